// The clean run as a whole: select releases, process them, summarise. I/O comes in through
// deps (driver, clock, backup session, abort signal); src/cli wires the real ones.
import { countOutcome, type CleanReport, type CleanRunResult, type TargetInfo } from '../report/model.js';
import { runBatch, type BatchDeps, type BatchOptions } from './batch.js';

export { planRelease, buildNewRevision, CLEAN_DESCRIPTION, type ReleasePlan, type PlanContext, type Rewriter } from './plan.js';
export { BackupSession, backupDirName } from './backup.js';
export { restoreBackup, RestoreError, type RestoreResult } from './restore.js';
export { SelectorError, parseSelector } from './selector.js';
export type { BatchOptions, BatchDeps, Progress } from './batch.js';

/**
 * The run as the CLI reports it: selection errors first (they are what to fix), then every
 * release by namespace and name, decoded one at a time as the report reaches it.
 */
export async function runCleanReport(opts: BatchOptions, deps: BatchDeps, meta: { target: TargetInfo; driver: string }): Promise<CleanReport> {
  const { errors, outcomes } = await runBatch(deps.driver, opts, deps);
  const summary = { ...outcomes.summary };
  for (const e of errors) countOutcome(summary, e);
  const report: CleanReport = {
    target: meta.target,
    dryRun: opts.dryRun,
    driver: meta.driver,
    releases: {
      *[Symbol.iterator]() {
        yield* errors;
        yield* outcomes.read();
      },
    },
    summary,
  };
  if (deps.backup?.used) report.backupDir = deps.backup.dir;
  if (deps.signal?.aborted) report.interrupted = String(deps.signal.reason ?? 'aborted');
  return report;
}

/** The same run with every outcome in memory (library use and tests). */
export async function runClean(opts: BatchOptions, deps: BatchDeps, meta: { target: TargetInfo; driver: string }): Promise<CleanRunResult> {
  const report = await runCleanReport(opts, deps, meta);
  return { ...report, releases: [...report.releases] };
}
