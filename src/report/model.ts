// The result of a clean run as every output format sees it. clean/ fills it; the text,
// JSON and YAML renderers only read it. Release bodies never enter it: diffs are rendered
// (and redacted) from `changes`, which the machine formats never serialise directly.

export type ReleaseStatusOutcome = 'changed' | 'unchanged' | 'skipped' | 'error';

export interface FindingOut {
  /** "manifest" or "hook:<Kind>/<name>" (a hook stored without a kind: "hook:<name>"). */
  source: string;
  /** Revision whose stored data holds the finding. */
  revision: number;
  kind: string;
  name: string;
  namespace: string;
  oldApiVersion: string;
  newApiVersion: string | null;
  action: 'renamed' | 'removed';
  early: boolean;
  warnings: string[];
}

export interface PspLevelOut {
  name: string;
  level: string;
  reasons: string[];
}

/** One text that changes: the report turns it into a (redacted) unified diff. */
export interface TextChange {
  revision: number;
  /** "manifest" or "hook:<Kind>/<name>" (a hook stored without a kind: "hook:<name>"). */
  source: string;
  before: string;
  after: string;
  /** The hook leaves hooks[] entirely. */
  removed?: boolean;
  /** Written as a new revision (true) or rewritten in place (--all-revisions). */
  newRevision: boolean;
  /**
   * The diff, rendered as soon as the release finished (the CLI does this so a dry run does
   * not hold two manifests per changed release until the end); before/after are then ''.
   */
  rendered?: string;
}

export interface ReleaseOutcome {
  namespace: string;
  /** null for an error that concerns a namespace or an unreadable record, not one release. */
  name: string | null;
  status: ReleaseStatusOutcome;
  latestRevision?: number;
  chosenRevision?: number;
  chosenReason?: string;
  /** The revision psa-clean writes (or would write with --dry-run). */
  newRevision?: number;
  /** Revisions marked superseded (or that would be). */
  supersededRevisions: number[];
  /** Revisions rewritten in place with --all-revisions (or that would be). */
  rewrittenRevisions: number[];
  /** Revisions that still hold removed APIs, so `helm rollback` to them would fail. */
  rollbackBlockedRevisions: number[];
  findings: FindingOut[];
  /** Hooks dropped entirely, as "<Kind>/<name>". */
  removedHooks: string[];
  psp: PspLevelOut[];
  warnings: string[];
  skippedReason?: string;
  error?: string;
  /** Internal: texts for the diff renderer. Never serialised as is. */
  changes: TextChange[];
}

export interface TargetInfo {
  /** As given or as reported, e.g. "v1.25.16". */
  version: string;
  source: 'cluster' | 'flag';
  preClean: boolean;
}

export interface RunSummary {
  total: number;
  changed: number;
  unchanged: number;
  skipped: number;
  errors: number;
}

export interface CleanRunResult {
  target: TargetInfo;
  dryRun: boolean;
  driver: string;
  backupDir?: string;
  releases: ReleaseOutcome[];
  summary: RunSummary;
  /** Set when the run stopped early: "timeout", "SIGINT", "SIGTERM". */
  interrupted?: string;
}

/**
 * What the renderers read: a run's result whose releases are any sequence that can be read
 * more than once (the text report reads it twice). A CleanRunResult is one; the CLI
 * passes one that decodes each release as it is reached (src/clean/outcomes.ts).
 */
export interface CleanReport extends Omit<CleanRunResult, 'releases'> {
  releases: Iterable<ReleaseOutcome>;
}

export function emptyOutcome(namespace: string, name: string | null): ReleaseOutcome {
  return {
    namespace, name, status: 'unchanged', supersededRevisions: [], rewrittenRevisions: [],
    rollbackBlockedRevisions: [], findings: [], removedHooks: [], psp: [], warnings: [], changes: [],
  };
}

export function emptySummary(): RunSummary {
  return { total: 0, changed: 0, unchanged: 0, skipped: 0, errors: 0 };
}

/** Adds one outcome to a summary's counts. */
export function countOutcome(s: RunSummary, r: ReleaseOutcome): void {
  s.total++;
  if (r.status === 'changed') s.changed++;
  else if (r.status === 'unchanged') s.unchanged++;
  else if (r.status === 'skipped') s.skipped++;
  else s.errors++;
}

export function summarize(releases: Iterable<ReleaseOutcome>): RunSummary {
  const s = emptySummary();
  for (const r of releases) countOutcome(s, r);
  return s;
}
