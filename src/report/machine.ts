// -o json / -o yaml: a stable document (schemas/clean-output.schema.json). Absent values are
// null rather than missing, so consumers see one shape. Diffs (only with --dry-run) are the
// rendered, redacted unified diffs, never raw manifest text.
import { stringify } from 'yaml';
import type { CleanReport, ReleaseOutcome } from './model.js';
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

/** Everything but the releases, in the document's key order (releases come last). */
function documentHead(report: CleanReport): Record<string, unknown> {
  return {
    apiVersion: OUTPUT_API_VERSION,
    kind: 'CleanResult',
    dryRun: report.dryRun,
    target: report.target,
    driver: report.driver,
    backupDir: report.backupDir ?? null,
    interrupted: report.interrupted ?? null,
    summary: report.summary,
  };
}

export function machineDocument(report: CleanReport, opts: RenderOptions): Record<string, unknown> {
  return { ...documentHead(report), releases: Array.from(report.releases, (r) => machineRelease(r, opts)) };
}

/**
 * The document `JSON.stringify(machineDocument(...), null, 2)` would give, byte for byte, in
 * chunks of one release: a run over thousands of releases never holds the whole text.
 * JSON escapes line breaks inside strings, so indenting a release's lines is safe.
 */
export function* jsonChunks(report: CleanReport, opts: RenderOptions): Generator<string> {
  const head = JSON.stringify({ ...documentHead(report), releases: [] }, null, 2);
  const open = head.slice(0, -'[]\n}'.length);
  let first = true;
  for (const r of report.releases) {
    yield `${first ? `${open}[\n` : ',\n'}    ${JSON.stringify(machineRelease(r, opts), null, 2).replace(/\n/g, '\n    ')}`;
    first = false;
  }
  yield first ? `${head}\n` : '\n  ]\n}\n';
}

/**
 * The document `stringify(machineDocument(...))` would give, in chunks of one release:
 * each release is a one-item sequence indented under `releases:`. Line width 0 (no folding)
 * keeps a scalar's form independent of its indentation; empty lines stay empty.
 */
export function* yamlChunks(report: CleanReport, opts: RenderOptions): Generator<string> {
  let first = true;
  for (const r of report.releases) {
    if (first) yield stringify({ ...documentHead(report), releases: null }, { lineWidth: 0 }).replace(/releases: null\n$/, 'releases:\n');
    first = false;
    yield indentLines(stringify([machineRelease(r, opts)], { lineWidth: 0 }), '  ');
  }
  if (first) yield stringify({ ...documentHead(report), releases: [] }, { lineWidth: 0 });
}

/**
 * Indents every non-empty line. Lines end at \n only: YAML writes U+2028 and U+2029 raw inside
 * scalars, and a regex `^` in multiline mode would treat them (and \r) as line starts.
 */
function indentLines(text: string, pad: string): string {
  return text.split('\n').map((l) => (l === '' ? l : pad + l)).join('\n');
}

export function renderJson(report: CleanReport, opts: RenderOptions): string {
  return [...jsonChunks(report, opts)].join('');
}

export function renderYaml(report: CleanReport, opts: RenderOptions): string {
  return [...yamlChunks(report, opts)].join('');
}
