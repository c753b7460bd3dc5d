// -o json / -o yaml: a stable document (schemas/clean-output.schema.json). Absent values are
// null rather than missing, so consumers see one shape. Diffs (only with --dry-run) are the
// rendered, redacted unified diffs, never raw manifest text.
import { stringify } from 'yaml';
import type { CleanRunResult, ReleaseOutcome } from './model.js';
import type { RenderOptions } from './render-types.js';
import { diffLabels } from './labels.js';

export const OUTPUT_API_VERSION = 'psa-clean.io/v1';

export function machineRelease(r: ReleaseOutcome, opts: RenderOptions): Record<string, unknown> {
  return {
    namespace: r.namespace,
    name: r.name,
    status: r.status,
    latestRevision: r.latestRevision ?? null,
    chosenRevision: r.chosenRevision ?? null,
    chosenReason: r.chosenReason ?? null,
    newRevision: r.newRevision ?? null,
    supersededRevisions: r.supersededRevisions,
    rewrittenRevisions: r.rewrittenRevisions,
    rollbackBlockedRevisions: r.rollbackBlockedRevisions,
    findings: r.findings,
    removedHooks: r.removedHooks,
    psp: r.psp,
    warnings: r.warnings,
    skippedReason: r.skippedReason ?? null,
    error: r.error ?? null,
    ...(opts.diffs
      ? {
          diffs: r.changes.map((c) => ({
            source: c.source,
            revision: c.revision,
            newRevision: c.newRevision,
            removed: c.removed ?? false,
            diff: c.rendered ?? opts.renderDiff({ oldText: c.before, newText: c.after, ...diffLabels(r, c), color: false, showSecrets: opts.showSecrets, context: opts.context }),
          })),
        }
      : {}),
  };
}

export function machineDocument(result: CleanRunResult, opts: RenderOptions): Record<string, unknown> {
  return {
    apiVersion: OUTPUT_API_VERSION,
    kind: 'CleanResult',
    dryRun: result.dryRun,
    target: result.target,
    driver: result.driver,
    backupDir: result.backupDir ?? null,
    interrupted: result.interrupted ?? null,
    summary: result.summary,
    releases: result.releases.map((r) => machineRelease(r, opts)),
  };
}

export function renderJson(result: CleanRunResult, opts: RenderOptions): string {
  return JSON.stringify(machineDocument(result, opts), null, 2) + '\n';
}

export function renderYaml(result: CleanRunResult, opts: RenderOptions): string {
  return stringify(machineDocument(result, opts), { lineWidth: 0 });
}
