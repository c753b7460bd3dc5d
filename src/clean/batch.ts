// Which releases a run covers, and running them with bounded concurrency. Heads come from
// labels only; bodies are fetched per release by apply.ts, only for what it plans.
// One failing release never stops the others; an aborted run (timeout, signal) starts no
// new release and reports the ones it did not reach as skipped.
import picomatch from 'picomatch';
import type { Driver, ReleaseHead } from '../storage/driver.js';
import { isStorageError, type StorageError } from '../storage/errors.js';
import { emptyOutcome, type ReleaseOutcome } from '../report/model.js';
import { lastHead } from '../helm/select.js';
import { describeError, interruption, processRelease, type ApplyDeps, type ApplyOptions, type ReleaseTask } from './apply.js';
import { matchesSelector, parseSelector, type Requirement } from './selector.js';

export interface SelectionOptions {
  releases: string[];
  /** Namespace for named releases (HELM_NAMESPACE). */
  namespace: string;
  allNamespaces: boolean;
  namespaceInclude: string[];
  namespaceExclude: string[];
  releaseInclude: string[];
  releaseExclude: string[];
  selector?: string;
}

export interface BatchOptions extends ApplyOptions, SelectionOptions {
  concurrency: number;
}

export interface Progress {
  done: number;
  total: number;
  changed: number;
  errors: number;
}

export interface BatchDeps extends ApplyDeps {
  onProgress?: (p: Progress) => void;
  /** Each release's outcome as soon as it is final (e.g. to render its diff and drop the texts). */
  onOutcome?: (out: ReleaseOutcome) => void;
}

/** Globs (picomatch) as a predicate: empty include = everything. */
export function globFilter(include: string[], exclude: string[]): (s: string) => boolean {
  const inc = include.length ? picomatch(include, { dot: true }) : () => true;
  const exc = exclude.length ? picomatch(exclude, { dot: true }) : () => false;
  return (s) => inc(s) && !exc(s);
}

/** Release name from a storage key `sh.helm.release.v1.<name>.v<n>`, when it is one. */
export function releaseFromKey(key: string | undefined): string | null {
  const m = key?.match(/^sh\.helm\.release\.v1\.(.+)\.v\d+$/);
  return m ? m[1] : null;
}

function listingError(e: StorageError, fallbackNs: string): ReleaseOutcome {
  const out = emptyOutcome(e.object?.namespace ?? fallbackNs, releaseFromKey(e.object?.key));
  out.status = 'error';
  out.error = describeError(e);
  return out;
}

export interface Selected {
  tasks: ReleaseTask[];
  /** Named releases that do not exist, unreadable records, forbidden namespaces. */
  errors: ReleaseOutcome[];
}

function groupHeads(heads: ReleaseHead[]): Map<string, ReleaseTask> {
  const groups = new Map<string, ReleaseTask>();
  for (const h of heads) {
    const id = `${h.namespace}/${h.name}`;
    let t = groups.get(id);
    if (!t) groups.set(id, (t = { namespace: h.namespace, name: h.name, heads: [] }));
    t.heads.push(h);
  }
  return groups;
}

const byRelease = (a: { namespace: string; name: string | null }, b: { namespace: string; name: string | null }): number =>
  a.namespace === b.namespace ? (a.name ?? '').localeCompare(b.name ?? '') : a.namespace.localeCompare(b.namespace);

/**
 * Lists heads and hands over releases (all their heads, filtered) in batches: with a driver
 * that lists namespace by namespace, each namespace's releases as soon as the list has moved
 * past it (the end of a listing closes the last one); otherwise everything at the end.
 * Completeness is decided per namespace, never per release: keys are sorted as text, so one
 * release's revisions can interleave with another's (`a.v2` vs `a` revision 2).
 * `emit` may wait: the listing (and its paging) waits with it, so heads do not pile up
 * ahead of processing (bench 10,000 x 10: every head of 100,000 records held before the
 * first release started was what made the live heap, and peak RSS, grow with the cluster).
 * A head for a namespace already handed over (created during the run) is not taken.
 */
export async function streamReleases(driver: Driver, opts: SelectionOptions, emit: (tasks: ReleaseTask[]) => Promise<void> | void): Promise<{ errors: ReleaseOutcome[] }> {
  const reqs: Requirement[] | undefined = opts.selector ? parseSelector(opts.selector) : undefined;
  const nsOk = globFilter(opts.namespaceInclude, opts.namespaceExclude);
  const relOk = globFilter(opts.releaseInclude, opts.releaseExclude);
  const errors: ReleaseOutcome[] = [];
  const named = opts.releases.length > 0;
  const streaming = driver.groupsByNamespace === true;
  let pending: ReleaseHead[] = [];
  const flushed = new Set<string>();
  const flush = async () => {
    if (pending.length === 0) return;
    const heads = pending;
    pending = [];
    const tasks: ReleaseTask[] = [];
    for (const t of groupHeads(heads).values()) {
      if (!nsOk(t.namespace)) continue;
      if (!named && !relOk(t.name)) continue;
      if (reqs && !matchesSelector(reqs, lastHead(t.heads)?.labels ?? {})) continue;
      tasks.push(t);
    }
    if (tasks.length === 0) return;
    tasks.sort(byRelease);
    await emit(tasks);
  };
  // Named releases are looked up in their namespace (or every namespace with -A).
  const listings = named
    ? opts.releases.map((releaseName) => ({ releaseName, namespace: opts.allNamespaces ? undefined : opts.namespace }))
    : [{ releaseName: undefined, namespace: opts.allNamespaces ? undefined : opts.namespace }];
  for (const l of listings) {
    let found = 0;
    try {
      for await (const item of driver.listHeads({ ...(l.namespace !== undefined ? { namespace: l.namespace } : {}), ...(l.releaseName ? { releaseName: l.releaseName } : {}) })) {
        if (isStorageError(item)) {
          if (item.object?.namespace === undefined || nsOk(item.object.namespace)) errors.push(listingError(item, l.namespace ?? ''));
          continue;
        }
        found++;
        if (streaming && !named) {
          if (flushed.has(item.namespace)) continue;
          if (pending.length > 0 && pending[pending.length - 1].namespace !== item.namespace) {
            flushed.add(pending[pending.length - 1].namespace);
            await flush();
          }
        }
        pending.push(item);
      }
    } catch (e) {
      const out = emptyOutcome(l.namespace ?? '', l.releaseName ?? null);
      out.status = 'error';
      out.error = describeError(e);
      errors.push(out);
      continue;
    }
    if (l.releaseName && found === 0) {
      const out = emptyOutcome(l.namespace ?? '', l.releaseName);
      out.status = 'error';
      out.error = l.namespace !== undefined
        ? `release "${l.releaseName}" not found in namespace "${l.namespace}"`
        : `release "${l.releaseName}" not found in any namespace`;
      errors.push(out);
    }
  }
  await flush();
  return { errors };
}

export async function selectReleases(driver: Driver, opts: SelectionOptions): Promise<Selected> {
  const tasks: ReleaseTask[] = [];
  const { errors } = await streamReleases(driver, opts, (batch) => {
    tasks.push(...batch);
  });
  tasks.sort(byRelease);
  return { tasks, errors };
}

/** Strings the outcomes of one run share: see detached(). */
type StringPool = Map<string, string>;
const POOL_MIN = 32; // shorter strings are mostly names (unique) or cheap
const POOL_MAX = 2048; // rendered diffs and the like are unique: no point hashing them

/** Replaces repeated strings by one shared copy, in place (the value came from JSON.parse). */
function pooled<T>(v: T, pool: StringPool): T {
  if (typeof v === 'string') {
    if (v.length < POOL_MIN || v.length > POOL_MAX) return v;
    const hit = pool.get(v);
    if (hit !== undefined) return hit as T;
    pool.set(v, v);
    return v;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = pooled(v[i], pool);
  } else if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = pooled(o[k], pool);
  }
  return v;
}

/**
 * The outcome with its strings copied. Names and kinds cut out of a parsed manifest are V8
 * sliced strings that keep the whole manifest (and the release text it came from) alive, so a
 * batch retained one body per changed release until the end (bench 2000 x 10: the live heap
 * grew by ~50 MB over the run, and peak RSS grows with it). Diff texts that are still held
 * (no onOutcome rendered them) are left as they are: they are kept on purpose.
 * Outcomes are held until the report, so their size is what still grows with the cluster:
 * the long texts most of them repeat (finding warnings, PSS reasons, chosen/skipped
 * reasons) are shared through `pool` (bench 10,000 x 10: half of the outcomes' string bytes).
 */
function detached(out: ReleaseOutcome, pool: StringPool): ReleaseOutcome {
  if (out.changes.some((c) => c.before !== '' || c.after !== '')) {
    const { changes, ...rest } = out;
    return { ...pooled(JSON.parse(JSON.stringify(rest)) as Omit<ReleaseOutcome, 'changes'>, pool), changes };
  }
  return pooled(JSON.parse(JSON.stringify(out)) as ReleaseOutcome, pool);
}

/** Runs every task with at most `concurrency` in flight; results keep the tasks' order. */
export async function runTasks(tasks: ReleaseTask[], opts: BatchOptions, deps: BatchDeps): Promise<ReleaseOutcome[]> {
  const results: ReleaseOutcome[] = new Array(tasks.length);
  const progress: Progress = { done: 0, total: tasks.length, changed: 0, errors: 0 };
  let next = 0;
  const pool: StringPool = new Map();
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      const t = tasks[i];
      if (deps.signal?.aborted) {
        const out = emptyOutcome(t.namespace, t.name);
        out.status = 'skipped';
        out.skippedReason = `not processed: ${interruption(deps.signal)}`;
        results[i] = out;
      } else {
        results[i] = await processRelease(t, opts, deps);
      }
      deps.onOutcome?.(results[i]);
      results[i] = detached(results[i], pool);
      progress.done++;
      if (results[i].status === 'changed') progress.changed++;
      if (results[i].status === 'error') progress.errors++;
      deps.onProgress?.({ ...progress });
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency, tasks.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}

/**
 * Lists and processes at once: releases are handed to `concurrency` workers as the listing
 * closes each namespace (streamReleases), and the listing waits while enough work is queued,
 * so what is held is one namespace's heads plus a short queue, not the whole cluster's.
 * Outcomes come back in the order runTasks gives (namespace, then name).
 */
export async function runBatch(driver: Driver, opts: BatchOptions, deps: BatchDeps): Promise<{ errors: ReleaseOutcome[]; outcomes: ReleaseOutcome[] }> {
  const queue: ReleaseTask[] = [];
  // Finished outcomes wait for the report as JSON bytes outside the V8 heap: they are what
  // grows with the cluster (bench 10,000 x 10: 13 MB of objects), and V8 lets its heap grow to
  // several times what is live before it collects, so each MB held there cost several of
  // peak RSS. Outcomes still holding diff texts (no onOutcome rendered them) stay objects.
  const kept: Array<Buffer | ReleaseOutcome> = [];
  const pool: StringPool = new Map();
  const progress: Progress = { done: 0, total: 0, changed: 0, errors: 0 };
  const workers = Math.max(1, opts.concurrency);
  const high = Math.max(2 * workers, 16); // queued releases before the listing waits
  let listed = false;
  let wakeWorkers: (() => void) | undefined;
  let wakeLister: (() => void) | undefined;
  const wake = (w: (() => void) | undefined) => w?.();
  const worker = async () => {
    for (;;) {
      const t = queue.shift();
      if (!t) {
        if (listed) return;
        await new Promise<void>((resolve) => {
          const prev = wakeWorkers;
          wakeWorkers = () => {
            prev?.();
            resolve();
          };
        });
        continue;
      }
      if (queue.length < high) {
        const w = wakeLister;
        wakeLister = undefined;
        wake(w);
      }
      let out: ReleaseOutcome;
      if (deps.signal?.aborted) {
        out = emptyOutcome(t.namespace, t.name);
        out.status = 'skipped';
        out.skippedReason = `not processed: ${interruption(deps.signal)}`;
      } else {
        out = await processRelease(t, opts, deps);
      }
      deps.onOutcome?.(out);
      kept.push(out.changes.some((c) => c.before !== '' || c.after !== '') ? detached(out, pool) : Buffer.from(JSON.stringify(out), 'utf8'));
      progress.done++;
      if (out.status === 'changed') progress.changed++;
      if (out.status === 'error') progress.errors++;
      deps.onProgress?.({ ...progress });
    }
  };
  const release = () => {
    const w = wakeWorkers;
    wakeWorkers = undefined;
    wake(w);
  };
  let failure: { e: unknown } | undefined;
  const running = Array.from({ length: workers }, () =>
    worker().catch((e: unknown) => {
      // e.g. onOutcome threw: stop listing (runTasks rejected the same way).
      failure ??= { e };
      const w = wakeLister;
      wakeLister = undefined;
      wake(w);
    }),
  );
  let errors: ReleaseOutcome[];
  try {
    ({ errors } = await streamReleases(driver, opts, async (tasks) => {
      if (failure) throw failure.e;
      queue.push(...tasks);
      progress.total += tasks.length;
      release();
      while (queue.length >= high && !failure) await new Promise<void>((resolve) => (wakeLister = resolve));
    }));
  } finally {
    listed = true;
    release();
  }
  await Promise.all(running);
  if (failure) throw failure.e;
  const outcomes = kept.map((k) => (Buffer.isBuffer(k) ? pooled(JSON.parse(k.toString('utf8')) as ReleaseOutcome, pool) : k));
  kept.length = 0;
  outcomes.sort(byRelease);
  return { errors, outcomes };
}
