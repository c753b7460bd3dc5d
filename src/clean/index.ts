// The clean run as a whole: select releases, process them, summarise. I/O comes in through
// deps (driver, clock, backup session, abort signal); src/cli wires the real ones.
import { summarize, type CleanRunResult, type TargetInfo } from '../report/model.js';
import { runBatch, type BatchDeps, type BatchOptions } from './batch.js';

export { planRelease, buildNewRevision, CLEAN_DESCRIPTION, type ReleasePlan, type PlanContext, type Rewriter } from './plan.js';
export { BackupSession, backupDirName } from './backup.js';
export { restoreBackup, RestoreError, type RestoreResult } from './restore.js';
export { SelectorError, parseSelector } from './selector.js';
export type { BatchOptions, BatchDeps, Progress } from './batch.js';

export async function runClean(opts: BatchOptions, deps: BatchDeps, meta: { target: TargetInfo; driver: string }): Promise<CleanRunResult> {
  const { errors, outcomes } = await runBatch(deps.driver, opts, deps);
  // Selection errors (missing named releases, unreadable records) first: they are what to fix.
  const releases = [...errors, ...outcomes];
  const result: CleanRunResult = {
    target: meta.target,
    dryRun: opts.dryRun,
    driver: meta.driver,
    releases,
    summary: summarize(releases),
  };
  if (deps.backup?.used) result.backupDir = deps.backup.dir;
  if (deps.signal?.aborted) result.interrupted = String(deps.signal.reason ?? 'aborted');
  return result;
}
