// Entry of a dry run's worker thread (built as dist/cli-clean-worker.mjs; started by
// src/clean/worker-pool.ts, never loaded by --help). It builds the same deps as the main
// thread from plain data (clean-engine.ts), opens a driver of its own and runs each release
// it is given with processRelease, then applies the same onOutcome (diffs rendered, texts
// dropped) before it sends the outcome back. It reads no environment: everything comes in
// workerData. Release data stays in memory; nothing is logged.
import { parentPort, workerData } from 'node:worker_threads';
import { processRelease, type ApplyOptions } from '../clean/apply.js';
import type { FromWorker, ToWorker } from '../clean/worker-pool.js';
import { loadMappingTable, type LoadOptions } from '../mapping/index.js';
import { openDriver, type StorageConfig } from '../storage/index.js';
import { releaseEngine, type EngineSetup } from './clean-engine.js';

export interface WorkerSetup {
  /** Without functions (log, limiter): the pool is used only when there are none. */
  storage: StorageConfig;
  /** The same files the main thread loaded (it printed their warnings already). */
  mapping: Omit<LoadOptions, 'warn'>;
  engine: EngineSetup;
  apply: ApplyOptions;
}

const setup = workerData as WorkerSetup;
const port = parentPort!;
const controller = new AbortController();
const ready = (async () => {
  const engine = releaseEngine(loadMappingTable(setup.mapping), setup.engine);
  const driver = await openDriver(setup.storage);
  return { ...engine, driver, now: () => new Date(), signal: controller.signal };
})();

port.on('message', (m: ToWorker) => {
  if (m.type === 'abort') {
    controller.abort(m.reason);
    return;
  }
  void (async () => {
    let reply: FromWorker;
    try {
      const deps = await ready;
      const out = await processRelease(m.task, setup.apply, deps);
      deps.onOutcome?.(out);
      reply = { type: 'done', id: m.id, out };
    } catch {
      // The pool runs the release again in the main thread, which reports what went wrong.
      reply = { type: 'failed', id: m.id };
    }
    port.postMessage(reply);
  })();
});
