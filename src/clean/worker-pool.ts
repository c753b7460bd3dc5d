// Worker threads for a dry run: a second core runs part of the releases, each end to end
// (fetch, decode, plan, audit hooks, diff rendering) with the same processRelease as the
// calling thread, a driver of its own and the same settings; the calling thread keeps the
// listing, the order of the report and the output. Only a dry run may use it: it writes
// nothing, so a release a worker could not finish simply runs again in the calling thread.
//
// Release data stays in memory: tasks carry heads (labels), outcomes come back as the batch
// would keep them (texts dropped, diffs rendered and redacted); nothing is logged.
import { Worker } from 'node:worker_threads';
import type { ReleaseOutcome } from '../report/model.js';
import type { ReleaseTask } from './apply.js';

export interface PoolOptions {
  /** The built worker entry (dist/cli-clean-worker.mjs). */
  entry: URL;
  /** Given to each worker as workerData (structured clone): what it builds its deps from. */
  init: unknown;
  workers: number;
  /** Releases one worker holds at once; more run in the calling thread. */
  perWorker: number;
  /** Releases run in the calling thread before the first worker starts: a run with fewer starts none. */
  startAfter: number;
  /** Aborting tells the workers (no new write phase would start; dry runs have none, but outcomes say so). */
  signal?: AbortSignal;
  /**
   * A worker's young generation (resourceLimits.maxYoungGenerationSizeMb; V8's default is
   * 32 MB): every thread has its own, and peak RSS counts them all. Not a limit on what a
   * release may use: only the nursery is smaller, the old generation stays unbounded.
   */
  youngGenerationMb?: number;
}

/** Messages between the pool and a worker. */
export type ToWorker = { type: 'task'; id: number; task: ReleaseTask } | { type: 'abort'; reason: string };
export type FromWorker = { type: 'done'; id: number; out: ReleaseOutcome } | { type: 'failed'; id: number };

interface Slot {
  worker: Worker;
  waiting: Map<number, (out: ReleaseOutcome | undefined) => void>;
  dead: boolean;
}

export class ReleasePool {
  private readonly slots: Slot[] = [];
  private offered = 0;
  private nextId = 0;
  private readonly onAbort = () => this.post({ type: 'abort', reason: String(this.opts.signal?.reason ?? 'aborted') });

  constructor(private readonly opts: PoolOptions) {
    opts.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** BatchDeps.offload: a release for a worker with room, or undefined (run it here). */
  offer(task: ReleaseTask): Promise<ReleaseOutcome | undefined> | undefined {
    if (++this.offered <= this.opts.startAfter) return undefined;
    if (this.slots.length === 0) this.start();
    let slot: Slot | undefined;
    for (const s of this.slots) if (!s.dead && s.waiting.size < this.opts.perWorker && (!slot || s.waiting.size < slot.waiting.size)) slot = s;
    if (!slot) return undefined;
    const id = this.nextId++;
    const s = slot;
    return new Promise((resolve) => {
      s.waiting.set(id, resolve);
      s.worker.postMessage({ type: 'task', id, task } satisfies ToWorker);
    });
  }

  private start(): void {
    for (let i = 0; i < this.opts.workers; i++) {
      const worker = new Worker(this.opts.entry, {
        workerData: this.opts.init,
        ...(this.opts.youngGenerationMb ? { resourceLimits: { maxYoungGenerationSizeMb: this.opts.youngGenerationMb } } : {}),
      });
      const slot: Slot = { worker, waiting: new Map(), dead: false };
      const settle = (id: number, out: ReleaseOutcome | undefined) => {
        const resolve = slot.waiting.get(id);
        slot.waiting.delete(id);
        resolve?.(out);
      };
      // A worker that fails (it could not load, or crashed) hands its releases back.
      const fail = () => {
        slot.dead = true;
        for (const id of [...slot.waiting.keys()]) settle(id, undefined);
      };
      worker.on('message', (m: FromWorker) => settle(m.id, m.type === 'done' ? m.out : undefined));
      worker.on('error', fail);
      worker.on('exit', fail);
      if (this.opts.signal?.aborted) worker.postMessage({ type: 'abort', reason: String(this.opts.signal.reason ?? 'aborted') } satisfies ToWorker);
      this.slots.push(slot);
    }
  }

  private post(m: ToWorker): void {
    for (const s of this.slots) if (!s.dead) s.worker.postMessage(m);
  }

  async close(): Promise<void> {
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
