// One release, end to end: choose the revision Helm would upgrade from, plan (pure), and
// unless --dry-run write in the safe order of design.md:
//   1. back up every stored object that will change (and announce the revision to create),
//   2. create revision N+1 (AlreadyExists = a concurrent helm took N+1: stop, nothing lost),
//   3. mark the previously label-deployed revision(s) superseded, with the resourceVersion
//      precondition (a conflict re-reads and retries only while the record is still exactly
//      what was planned against; a revision Helm changed meanwhile is never overwritten),
//   4. with --all-revisions, rewrite older revisions in place (same precondition).
// A run that dies between 2 and 3 leaves two label-deployed revisions; Helm's Deployed()
// takes the highest (ours) and a re-run finishes step 3.
// History is NOT pruned to HELM_MAX_HISTORY: a repair tool deletes nothing; Helm's next
// upgrade prunes as usual.
import type { Driver, ReleaseHead, StoredRevision } from '../storage/driver.js';
import { isStorageError } from '../storage/errors.js';
import { selectRevision } from '../helm/select.js';
import { labelsForNewRevision, labelsForUpdatedRevision } from '../helm/labels.js';
import { withChanges, type ReleaseJson } from '../helm/release.js';
import { ManifestParseError, type Finding } from '../manifest/types.js';
import { splitRegions } from '../manifest/split.js';
import type { DocumentCache } from '../manifest/rewrite.js';
import { emptyOutcome, type FindingOut, type PspLevelOut, type ReleaseOutcome, type TextChange } from '../report/model.js';
import { buildNewRevision, CLEAN_DESCRIPTION, planRelease, rewriteInPlace, type PlanContext, type ReleasePlan } from './plan.js';
import type { BackupSession } from './backup.js';

export interface ReleaseTask {
  namespace: string;
  name: string;
  heads: ReleaseHead[];
}

export interface ApplyOptions {
  dryRun: boolean;
  force: boolean;
  allRevisions: boolean;
}

export interface ApplyDeps {
  driver: Driver;
  planCtx: PlanContext;
  now: () => Date;
  /** Undefined with --no-backup or --dry-run. */
  backup?: BackupSession;
  /** Aborted on timeout/signal: no new write phase starts; a started one finishes. */
  signal?: AbortSignal;
  /** PSS levels of the PodSecurityPolicies in a manifest (audit engine). */
  pspLevels?: (manifest: string) => PspLevelOut[];
  /** The same for one document already parsed to a plain value (audit engine). */
  pspLevelsInValue?: (value: unknown) => PspLevelOut[];
  /** The stored workloads (manifest, hooks) that would fail a PSS level, one label each (audit engine). */
  workloadsFailing?: (manifests: string[], level: string) => string[];
  /** Conflict retries for the supersede/rewrite updates. */
  retries?: number;
}

export class AbortedError extends Error {}

/** "the run was interrupted (SIGINT)" / "the run timed out". */
export function interruption(signal: AbortSignal): string {
  const why = String(signal.reason ?? 'aborted');
  return why === 'timeout' ? 'the run timed out (--timeout)' : `the run was interrupted (${why})`;
}

/** Error text safe for output: names the object and problem, never release data. */
export function describeError(e: unknown): string {
  if (e instanceof ManifestParseError) {
    // The parser's own message may quote manifest text (secrets): rebuild it from the fields.
    return `${e.source}: document ${e.docIndex} (line ${e.line}) is not valid YAML`;
  }
  if (isStorageError(e)) return e.message;
  if (e instanceof AbortedError) return e.message;
  if (e instanceof Error && e.name.startsWith('YAML')) {
    // The yaml library's messages carry a code frame of the source text: never print it.
    const line = (e as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    return `a stored manifest is not valid YAML${line ? ` (line ${line})` : ''}`;
  }
  if (e instanceof Error) return e.name === 'Error' ? e.message : `${e.name}: ${e.message}`;
  return 'unexpected failure';
}

function findingOut(f: Finding, revision: number): FindingOut {
  return {
    source: f.source, revision, kind: f.kind, name: f.name, namespace: f.namespace,
    oldApiVersion: f.oldApiVersion, newApiVersion: f.newApiVersion, action: f.action,
    early: f.early, warnings: [...f.warnings],
  };
}

function textChanges(plan: ReleasePlan, revision: number, newRevision: boolean): TextChange[] {
  const out: TextChange[] = [];
  if (plan.manifest.after !== plan.manifest.before) {
    out.push({ revision, source: 'manifest', before: plan.manifest.before, after: plan.manifest.after, newRevision });
  }
  for (const h of plan.hooks) {
    if (h.removed || h.after !== h.before) {
      out.push({ revision, source: `hook:${h.label}`, before: h.before, after: h.removed ? '' : h.after, removed: h.removed, newRevision });
    }
  }
  return out;
}

/**
 * The PSS levels of the PodSecurityPolicies in one manifest stream, in document order. Only
 * documents whose text names PodSecurityPolicy are read: the audit engine parses all it gets
 * with a full YAML parser, and a 100 KB manifest holds one or two PSPs (profiled: parsing
 * whole manifests was 1.2 s of a 4.6 s dry run of 200 releases). A document the rewrite
 * already parsed (every PSP it removes) is assessed from that parse, not parsed again
 * (profile of a dry run of 2000 releases: the second parse was 1.0 s of 27 s sampled).
 */
function pspLevelsOf(text: string, parsed: Map<number, () => unknown> | undefined, deps: ApplyDeps): PspLevelOut[] {
  if (!deps.pspLevels || !text.includes('PodSecurityPolicy')) return [];
  const out: PspLevelOut[] = [];
  for (const r of splitRegions(text)) {
    const at = text.indexOf('PodSecurityPolicy', r.start);
    if (at < 0) break;
    if (at + 'PodSecurityPolicy'.length > r.end) continue; // not in this document (no slice of every document)
    const value = parsed?.get(r.index);
    if (value && deps.pspLevelsInValue) {
      let v: unknown;
      try {
        v = value();
      } catch {
        continue; // as the audit's own parse does: a document it cannot expand is skipped
      }
      out.push(...deps.pspLevelsInValue(v));
    } else {
      out.push(...deps.pspLevels(text.slice(r.start, r.end)));
    }
  }
  return out;
}

function pspOut(plan: ReleasePlan, deps: ApplyDeps): PspLevelOut[] {
  if (!deps.pspLevels) return [];
  const removed = new Set(plan.findings.filter((f) => f.action === 'removed' && f.kind === 'PodSecurityPolicy').map((f) => f.name));
  if (removed.size === 0) return [];
  const sources = [{ text: plan.manifest.before, parsed: plan.manifest.parsed }, ...plan.hooks.map((h) => ({ text: h.before, parsed: h.parsed }))];
  const out: PspLevelOut[] = [];
  for (const s of sources) {
    try {
      for (const p of pspLevelsOf(s.text, s.parsed, deps)) if (removed.has(p.name) && !out.some((o) => o.name === p.name)) out.push(p);
    } catch {
      // The audit is advisory; a manifest it cannot read does not stop the repair.
    }
  }
  return out;
}

/**
 * One line for a release whose stored workloads would fail the level its removed PSPs map to
 * (the most permissive of them): labelling the namespace with that level would reject them.
 */
function workloadsNote(plan: ReleasePlan, psp: PspLevelOut[], namespace: string, deps: ApplyDeps): string | undefined {
  if (!deps.workloadsFailing || psp.length === 0) return undefined;
  const level = ['privileged', 'baseline', 'restricted'].find((l) => psp.some((p) => p.level === l));
  if (!level || level === 'privileged') return undefined;
  let failing: string[];
  try {
    failing = deps.workloadsFailing([plan.manifest.before, ...plan.hooks.map((h) => h.before)], level);
  } catch {
    return undefined; // advisory, like the PSP levels
  }
  if (failing.length === 0) return undefined;
  const shown = failing.length > 3 ? `${failing.slice(0, 3).join(', ')} and ${failing.length - 3} more` : failing.join(', ');
  return `stored workloads would fail Pod Security Standards "${level}", the level the removed PodSecurityPolicy maps to: ${shown} (details: helm psa-clean audit -n ${namespace})`;
}

interface OldRevisionWork {
  head: ReleaseHead;
  stored: StoredRevision;
  supersede: boolean;
  plan?: ReleasePlan; // set when the revision's data changes (--all-revisions)
}

export async function processRelease(task: ReleaseTask, opts: ApplyOptions, deps: ApplyDeps): Promise<ReleaseOutcome> {
  const out = emptyOutcome(task.namespace, task.name);
  try {
    await plan(task, opts, deps, out);
  } catch (e) {
    if (e instanceof AbortedError) {
      // Abandoned before any write: nothing changed, so it is skipped, not failed.
      out.status = 'skipped';
      out.skippedReason = e.message;
      out.changes = [];
    } else {
      out.status = 'error';
      out.error = describeError(e);
    }
  }
  return out;
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError(`not written: ${interruption(signal)}`);
}

async function plan(task: ReleaseTask, opts: ApplyOptions, deps: ApplyDeps, out: ReleaseOutcome): Promise<void> {
  const sel = selectRevision(task.heads, { force: opts.force });
  if (sel.kind === 'none') {
    out.status = 'skipped';
    out.skippedReason = sel.reason;
    return;
  }
  if (sel.kind === 'pending') {
    out.status = 'skipped';
    out.latestRevision = sel.latest.revision;
    out.skippedReason = sel.reason;
    return;
  }
  const latest = sel.latest.revision;
  out.latestRevision = latest;
  out.chosenRevision = sel.head.revision;
  out.chosenReason = sel.reason;
  checkAbort(deps.signal);
  const chosen = await deps.driver.get(task.namespace, task.name, sel.head.revision);
  const documents: DocumentCache = new Map();
  const mainPlan = planRelease(chosen.release, deps.planCtx, documents);
  const newRevision = latest + 1;
  for (const f of mainPlan.findings) out.findings.push(findingOut(f, sel.head.revision));
  out.removedHooks = [...mainPlan.removedHooks];
  out.psp = pspOut(mainPlan, deps);
  const note = workloadsNote(mainPlan, out.psp, task.namespace, deps);
  if (note) out.warnings.push(note);

  // A run that stopped between "create N+1" and "supersede N" (crash, kill, persistent API
  // error) left older label-deployed revisions under psa-clean's own deployed revision, and
  // the plan of that revision is empty: finish the supersede step now, or a re-run would
  // report "unchanged" and leave two deployed revisions for good.
  const leftover = new Set(
    !mainPlan.changed && sel.head.status === 'deployed' && (chosen.release.info as Record<string, unknown> | undefined)?.description === CLEAN_DESCRIPTION
      ? (sel.deployedAll ?? []).filter((h) => h.revision < sel.head.revision).map((h) => h.revision)
      : [],
  );

  // Older revisions matter only when something is written (rollback warning) or asked for.
  const olds = new Map<number, OldRevisionWork>();
  const unread: number[] = [];
  if (mainPlan.changed || opts.allRevisions || leftover.size > 0) {
    for (const head of [...task.heads].sort((a, b) => b.revision - a.revision)) {
      // Without --all-revisions, read only what is written (label-deployed revisions) and the
      // revision `helm rollback` returns to by default (latest - 1): reading every revision
      // made a changed release cost R GETs and R bodies (bench: 7404 requests, 148 MB for
      // 2000 releases x 10 revisions; the budget is list pages + planned + 3 x changed).
      if (!opts.allRevisions && head.revision !== sel.head.revision && head.status !== 'deployed' && !leftover.has(head.revision) && head.revision !== latest - 1) {
        unread.push(head.revision);
        continue;
      }
      let stored: StoredRevision;
      try {
        stored = head.revision === sel.head.revision ? chosen : await deps.driver.get(task.namespace, task.name, head.revision);
      } catch (e) {
        out.warnings.push(`revision ${head.revision} could not be read (${describeError(e)}); it is left as is`);
        continue;
      }
      const p = head.revision === sel.head.revision ? mainPlan : planRelease(stored.release, deps.planCtx, documents);
      const supersede = (mainPlan.changed && head.status === 'deployed') || leftover.has(head.revision);
      if (p.changed) out.rollbackBlockedRevisions.push(head.revision);
      if (supersede || (opts.allRevisions && p.changed)) {
        olds.set(head.revision, { head, stored, supersede, ...(opts.allRevisions && p.changed ? { plan: p } : {}) });
      }
      if (opts.allRevisions && p.changed && head.revision !== sel.head.revision) {
        for (const f of p.findings) out.findings.push(findingOut(f, head.revision));
      }
    }
  }
  out.rollbackBlockedRevisions.sort((a, b) => a - b);
  if (mainPlan.changed && unread.length > 0) {
    unread.sort((a, b) => a - b);
    out.warnings.push(`revision${unread.length > 1 ? 's' : ''} ${unread.join(', ')} ${unread.length > 1 ? 'were' : 'was'} not read; helm rollback to ${unread.length > 1 ? 'them' : 'it'} fails too if ${unread.length > 1 ? 'their manifests name' : 'its manifest names'} removed APIs (--all-revisions checks and rewrites every revision)`);
  }
  if (opts.allRevisions) {
    out.rewrittenRevisions = [...olds.values()].filter((o) => o.plan).map((o) => o.head.revision).sort((a, b) => a - b);
    out.rollbackBlockedRevisions = [];
  }
  out.supersededRevisions = [...olds.values()].filter((o) => o.supersede).map((o) => o.head.revision).sort((a, b) => a - b);

  if (!mainPlan.changed && out.rewrittenRevisions.length === 0 && out.supersededRevisions.length === 0) {
    out.status = 'unchanged';
    return;
  }
  out.status = 'changed';
  if (mainPlan.changed) out.newRevision = newRevision;
  // Texts for diffs are kept only for --dry-run (the only output that shows them): a large
  // applied batch must not hold every manifest in memory until the report.
  if (opts.dryRun) {
    if (mainPlan.changed) out.changes.push(...textChanges(mainPlan, newRevision, true));
    for (const o of [...olds.values()].sort((a, b) => a.head.revision - b.head.revision)) {
      if (o.plan) out.changes.push(...textChanges(o.plan, o.head.revision, false));
    }
  }
  if (out.rollbackBlockedRevisions.length > 0) {
    const many = out.rollbackBlockedRevisions.length > 1;
    out.warnings.push(
      `helm rollback to revision${many ? 's' : ''} ${out.rollbackBlockedRevisions.join(', ')} will fail: ` +
        `${many ? 'their stored manifests still name' : 'its stored manifest still names'} removed APIs (use --all-revisions to rewrite ${many ? 'them' : 'it'} too)`,
    );
  }
  if (opts.dryRun) return;

  // ---- writes ----
  checkAbort(deps.signal);
  const now = deps.now();
  const changeOf = (o: OldRevisionWork) => (r: ReleaseJson): ReleaseJson => {
    let next = o.plan ? rewriteInPlace(r, o.plan) : r;
    if (o.supersede) next = withChanges(next, { status: 'superseded' });
    return next;
  };
  const ordered = [...olds.values()].sort((a, b) => b.head.revision - a.head.revision);
  if (mainPlan.changed && ordered.length > 0 && deps.driver.checkUpdate) {
    // The create cannot be undone by a tool that deletes nothing, so before it, ask the API
    // whether the supersede update would be accepted (RBAC `update`, size, precondition):
    // "created N+1, then forbidden to supersede N" becomes "nothing written".
    const o = ordered[0];
    const next = changeOf(o)(o.stored.release);
    await deps.driver.checkUpdate(o.head, next, labelsForUpdatedRevision(o.head.labels, next, now));
  }
  if (deps.backup) {
    await deps.backup.planRelease(task.namespace, task.name, latest, mainPlan.changed ? [newRevision] : []);
    for (const o of olds.values()) {
      // The object exactly as read for this plan: the update below is conditional on its
      // resourceVersion, so this is the record it can replace (and one GET less per release).
      await deps.backup.save(o.stored.raw, task.name, o.head.revision);
    }
  }
  checkAbort(deps.signal);
  if (mainPlan.changed) {
    const release = buildNewRevision(chosen.release, mainPlan, now, newRevision);
    try {
      await deps.driver.create(release, labelsForNewRevision(chosen.head.labels, release, now));
    } catch (e) {
      if (isStorageError(e) && e.code === 'already-exists') {
        throw new Error(`a concurrent helm operation took revision ${newRevision}; nothing was written, run again`);
      }
      throw e;
    }
    await deps.backup?.markCreated(task.namespace, task.name, newRevision);
  }
  // From here on the new revision exists: finish the bookkeeping even if the run is aborted.
  for (const o of ordered) {
    const change = changeOf(o);
    let done: boolean;
    try {
      done = await updateGuarded(deps, o.stored, change, now);
    } catch (e) {
      if (!mainPlan.changed) throw e;
      // Helm already builds from the new revision (highest label-deployed); say what is left.
      throw new Error(`revision ${newRevision} was written, but updating revision ${o.head.revision} failed (${describeError(e)}); run psa-clean again to finish`);
    }
    if (!done) {
      out.warnings.push(`revision ${o.head.revision} was changed by another writer meanwhile; it was left as that writer stored it`);
      if (o.supersede) out.supersededRevisions = out.supersededRevisions.filter((r) => r !== o.head.revision);
      if (o.plan) out.rewrittenRevisions = out.rewrittenRevisions.filter((r) => r !== o.head.revision);
    }
  }
}

/**
 * Update with the resourceVersion precondition. On conflict re-read: when the body and the
 * status label are still exactly what was planned against, retry with the fresh version;
 * otherwise give up (returns false) and leave the other writer's data alone.
 */
async function updateGuarded(deps: ApplyDeps, planned: StoredRevision, change: (r: ReleaseJson) => ReleaseJson, now: Date): Promise<boolean> {
  const want = JSON.stringify(planned.release);
  let current = planned;
  for (let attempt = 0; ; attempt++) {
    const next = change(current.release);
    try {
      await deps.driver.update(current.head, next, labelsForUpdatedRevision(current.head.labels, next, now));
      return true;
    } catch (e) {
      if (!(isStorageError(e) && e.code === 'conflict') || attempt >= (deps.retries ?? 3)) throw e;
    }
    current = await deps.driver.get(planned.head.namespace, planned.head.name, planned.head.revision);
    if (JSON.stringify(current.release) !== want || current.head.status !== planned.head.status) return false;
  }
}
