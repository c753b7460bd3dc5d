// The pure core of a repair: one stored release in, the rewritten manifest and hooks plus
// what changed out. No I/O, no clock: apply.ts and the reports build on the result.
import type { Finding, RewriteResult } from '../manifest/types.js';
import type { DocumentCache, RewriteContext } from '../manifest/rewrite.js';
import type { KubeVersion, MappingTable } from '../mapping/types.js';
import { releaseView, withChanges, type ReleaseJson } from '../helm/release.js';

/** Same shape as src/manifest rewriteManifest(); injected so the core is testable alone. */
export type Rewriter = (text: string, opts: RewriteContext, source: string) => RewriteResult;

export interface PlanContext {
  table: MappingTable;
  target: KubeVersion;
  /** True when the target came from --kube-version: rewrite before the cluster removes an API. */
  preClean: boolean;
  rewrite: Rewriter;
}

export interface HookPlan {
  /** Index into the original hooks[]. */
  index: number;
  name: string;
  /** "Kind/name" (hookLabel): what the reports call this hook. */
  label: string;
  before: string;
  after: string;
  /** Every document of the hook was dropped: the hook leaves hooks[]. */
  removed: boolean;
  /** The documents the rewrite parsed (RewriteResult.parsed). */
  parsed?: Map<number, () => unknown>;
}

export interface ReleasePlan {
  changed: boolean;
  manifest: { before: string; after: string; parsed?: Map<number, () => unknown> };
  /** One entry per original hook, in order (unchanged hooks have before === after). */
  hooks: HookPlan[];
  findings: Finding[];
  /** Labels ("Kind/name", hookLabel) of hooks dropped entirely. */
  removedHooks: string[];
}

/**
 * How the reports name a hook: "Kind/name". Charts reuse one name for several hooks
 * (ingress-nginx's admission Job, Role, ServiceAccount and PodSecurityPolicy are all
 * `<release>-ingress-nginx-admission`), so the name alone does not say which one changed.
 * Helm stores each hook's kind; a record without one is named by its name only.
 */
export function hookLabel(hook: { kind: string; name: string }): string {
  return hook.kind ? `${hook.kind}/${hook.name}` : hook.name;
}

export const CLEAN_DESCRIPTION = 'Kubernetes deprecated API upgrade - DO NOT rollback from this version';

/** True when a manifest stream holds no document with content (only separators/comments). */
export function isEmptyManifest(text: string): boolean {
  return text
    .split(/\r?\n/)
    .every((line) => line.trim() === '' || line.trim() === '---' || line.trim() === '...' || line.trimStart().startsWith('#'));
}

/** `documents`: parses shared by the plans of one release's revisions (see DocumentCache). */
export function planRelease(release: ReleaseJson, ctx: PlanContext, documents?: DocumentCache): ReleasePlan {
  const opts = { table: ctx.table, target: ctx.target, preClean: ctx.preClean, ...(documents ? { documents } : {}) };
  const before = releaseView.manifest(release);
  const m = ctx.rewrite(before, opts, 'manifest');
  const findings: Finding[] = [...m.findings];
  const hooks: HookPlan[] = [];
  const removedHooks: string[] = [];
  let changed = m.changed && m.output !== before;
  releaseView.hooks(release).forEach((hook, index) => {
    const label = hookLabel(hook);
    const r = ctx.rewrite(hook.manifest, opts, `hook:${label}`);
    findings.push(...r.findings);
    const after = r.changed ? r.output : hook.manifest;
    // A hook whose every document was dropped would leave Helm an empty hook to run or
    // delete; Helm builds nothing from it either way, so it is removed from hooks[].
    const empty = r.documentsLeft !== undefined ? r.documentsLeft === 0 : isEmptyManifest(after);
    const removed = r.changed && empty && !isEmptyManifest(hook.manifest);
    if (removed) removedHooks.push(label);
    if (after !== hook.manifest || removed) changed = true;
    hooks.push({ index, name: hook.name, label, before: hook.manifest, after, removed, ...(r.parsed ? { parsed: r.parsed } : {}) });
  });
  return { changed, manifest: { before, after: m.changed ? m.output : before, ...(m.parsed ? { parsed: m.parsed } : {}) }, hooks, findings, removedHooks };
}

/** Helm writes Go RFC3339Nano times; JavaScript has milliseconds, which Go parses the same way. */
export function helmTime(now: Date): string {
  return now.toISOString();
}

/**
 * The revision psa-clean stores: the chosen revision's JSON with only the rewritten
 * manifest/hooks, version, status, description and last_deployed changed (withChanges keeps
 * every other field, known or not, verbatim). `version` is the release's latest revision + 1,
 * which may be above the chosen revision + 1 (e.g. a failed latest).
 */
export function buildNewRevision(source: ReleaseJson, plan: ReleasePlan, now: Date, version: number): ReleaseJson {
  return withChanges(source, {
    version,
    status: 'deployed',
    description: CLEAN_DESCRIPTION,
    lastDeployed: helmTime(now),
    manifest: plan.manifest.after,
    ...(hooksChanged(plan) ? { hooks: plan.hooks.filter((h) => !h.removed).map((h) => ({ index: h.index, manifest: h.after })) } : {}),
  });
}

/** The same revision, rewritten in place (--all-revisions): status and times stay. */
export function rewriteInPlace(source: ReleaseJson, plan: ReleasePlan): ReleaseJson {
  return withChanges(source, {
    manifest: plan.manifest.after,
    ...(hooksChanged(plan) ? { hooks: plan.hooks.filter((h) => !h.removed).map((h) => ({ index: h.index, manifest: h.after })) } : {}),
  });
}

function hooksChanged(plan: ReleasePlan): boolean {
  return plan.hooks.some((h) => h.removed || h.after !== h.before);
}
