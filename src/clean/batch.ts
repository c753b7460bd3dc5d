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
import { byRelease, OutcomeStore } from './outcomes.js';

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

/** A namespace name (RFC 1123 label): an include pattern like this is a name, not a glob. */
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

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
  // Named releases are looked up in their namespace (or every namespace with -A). Namespaces
  // included by name (no glob) are listed one by one: an identity that may read only those
  // needs no cluster-wide list. Otherwise -A lists cluster-wide and filters.
  const byName = opts.allNamespaces && opts.namespaceInclude.length > 0 && opts.namespaceInclude.every((p) => NAMESPACE_NAME.test(p));
  const listings = named
    ? opts.releases.map((releaseName) => ({ releaseName, namespace: opts.allNamespaces ? undefined : opts.namespace }))
    : byName
      ? [...new Set(opts.namespaceInclude)].sort().map((namespace) => ({ releaseName: undefined, namespace }))
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
      if (l.namespace === undefined && isStorageError(e) && e.code === 'forbidden') {
        out.error += '; an identity that may read only some namespaces can name them with --namespace-include NAME (each is listed on its own) or use -n NAMESPACE';
      }
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

/**
 * Lists and processes at once: releases are handed to `concurrency` workers as the listing
 * closes each namespace (streamReleases), and the listing waits while enough work is queued,
 * so what is held is one namespace's heads plus a short queue, not the whole cluster's.
 * Finished outcomes wait for the report in an OutcomeStore (sorted by namespace, then name).
 */
export async function runBatch(driver: Driver, opts: BatchOptions, deps: BatchDeps): Promise<{ errors: ReleaseOutcome[]; outcomes: OutcomeStore }> {
  const queue: ReleaseTask[] = [];
  const outcomes = new OutcomeStore();
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
      outcomes.add(out);
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
      // e.g. onOutcome threw: stop listing.
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
  return { errors, outcomes };
}
