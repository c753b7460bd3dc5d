// -o text (default): a header with the target version and where it came from, per release
// the findings (and with --dry-run a unified diff per manifest and hook), one plan line per
// release, the mappings' notes once per run, and a final Plan:/Done: line. --summary keeps
// only the plan lines, the PSP level lines and the totals. Everything here goes to stdout.
import type { CleanReport, FindingOut, PspLevelOut, ReleaseOutcome, TargetInfo } from './model.js';
import type { RenderOptions } from './render-types.js';
import { diffLabels } from './labels.js';
import { RunNotes } from './notes.js';

export function targetLine(t: TargetInfo): string {
  if (t.source === 'flag') {
    return `Target Kubernetes version: ${t.version} (from --kube-version${t.preClean ? '; pre-clean: APIs the target no longer serves are rewritten even if the cluster still serves them' : ''})`;
  }
  return `Target Kubernetes version: ${t.version} (from the cluster's /version)`;
}

function releaseId(r: ReleaseOutcome): string {
  return r.name === null ? `${r.namespace || '(cluster)'}` : `${r.namespace}/${r.name}`;
}

function findingLine(f: FindingOut, notes: number[]): string {
  const where = `${f.source}, revision ${f.revision}`;
  const name = f.name ? ` "${f.name}"` : '';
  const early = f.early ? ' [pre-clean]' : '';
  const see = notes.map((n) => ` [note ${n}]`).join('');
  if (f.action === 'removed') return `removed  ${f.oldApiVersion} ${f.kind}${name} (${where}; no successor API)${early}${see}`;
  return `renamed  ${f.oldApiVersion} -> ${f.newApiVersion} ${f.kind}${name} (${where})${early}${see}`;
}

// The level only; the reasons are in -o json/yaml and `helm psa-clean audit` explains them.
function pspLine(r: ReleaseOutcome, p: PspLevelOut): string {
  return `PodSecurityPolicy "${p.name}" -> Pod Security Standards level ${p.level} (details: helm psa-clean audit -n ${r.namespace})`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function revisions(list: number[]): string {
  return `revision${list.length === 1 ? '' : 's'} ${list.join(', ')}`;
}

export function planLine(r: ReleaseOutcome, dryRun: boolean): string {
  const id = releaseId(r);
  switch (r.status) {
    case 'error':
      return `${id}: error: ${r.error ?? 'unknown error'}`;
    case 'skipped':
      return `${id}: skipped: ${r.skippedReason ?? ''}`;
    case 'unchanged':
      return `${id}: unchanged (revision ${r.chosenRevision ?? '?'} names no API the target removed)`;
    case 'changed': {
      const parts: string[] = [];
      if (r.newRevision !== undefined) parts.push(`${dryRun ? 'would write' : 'wrote'} revision ${r.newRevision} (deployed) from revision ${r.chosenRevision}`);
      if (r.supersededRevisions.length) parts.push(`${dryRun ? 'would mark' : 'marked'} ${revisions(r.supersededRevisions)} superseded`);
      if (r.rewrittenRevisions.length) parts.push(`${dryRun ? 'would rewrite' : 'rewrote'} ${revisions(r.rewrittenRevisions)} in place`);
      return `${id}: ${parts.join('; ')}`;
    }
  }
}

function releaseBlock(r: ReleaseOutcome, opts: RenderOptions, notes: RunNotes): string[] {
  const lines: string[] = [];
  if (r.status !== 'changed' && r.findings.length === 0 && r.warnings.length === 0) return lines;
  lines.push(`${releaseId(r)}:`);
  if (r.chosenRevision !== undefined) lines.push(`  using revision ${r.chosenRevision}: ${r.chosenReason ?? ''}`);
  for (const f of r.findings) lines.push(`  ${findingLine(f, notes.add(f))}`);
  for (const p of r.psp) lines.push(`  ${pspLine(r, p)}`);
  for (const h of r.removedHooks) lines.push(`  hook "${h}" is removed: every document in it was dropped`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  if (opts.diffs) {
    for (const c of r.changes) {
      const d = c.rendered ?? opts.renderDiff({ oldText: c.before, newText: c.after, ...diffLabels(r, c), color: opts.color, showSecrets: opts.showSecrets, context: opts.context });
      if (d) lines.push(d.replace(/\n$/, ''));
    }
  }
  return lines;
}

export function summaryLine(result: Pick<CleanReport, 'summary' | 'dryRun'>): string {
  const s = result.summary;
  if (result.dryRun) {
    return `Plan: ${plural(s.changed, 'release')} to update, ${s.unchanged} unchanged, ${s.skipped} skipped, ${plural(s.errors, 'error')}`;
  }
  return `Done: ${plural(s.changed, 'release')} updated, ${s.unchanged} unchanged, ${s.skipped} skipped, ${plural(s.errors, 'error')}`;
}

/**
 * The text report in chunks: the release blocks, then one plan line per release, then the
 * notes, the errors and the summary. Reads the releases twice (once with --summary) and
 * holds one at a time; the notes are few (one per mapping at most).
 */
export function* textChunks(report: CleanReport, opts: RenderOptions): Generator<string> {
  yield `${targetLine(report.target)}\nStorage driver: ${report.driver}${report.dryRun ? ' (dry run: nothing is written)' : ''}\n\n`;
  const notes = new RunNotes();
  if (!opts.summary) {
    for (const r of report.releases) {
      const block = releaseBlock(r, opts, notes);
      if (block.length) yield `${block.join('\n')}\n\n`;
    }
  }
  // The error lines are few: collected on the plan-line pass rather than read a third time.
  const errorLines: string[] = [];
  let withWarnings = 0;
  for (const r of report.releases) {
    yield `${planLine(r, report.dryRun)}\n`;
    if (opts.summary) {
      for (const p of r.psp) yield `  ${pspLine(r, p)}\n`;
      for (const f of r.findings) notes.add(f);
      if (r.warnings.length) withWarnings++;
    }
    if (r.status === 'error') errorLines.push(`  ${releaseId(r)}: ${r.error}`);
  }
  const tail: string[] = [''];
  const noteLines = notes.lines();
  if (noteLines.length) tail.push(...noteLines, '');
  if (withWarnings) tail.push(`${plural(withWarnings, 'release')} with warnings not shown by --summary (run without it, or with -o json).`);
  if (report.interrupted) tail.push(`Run interrupted (${report.interrupted}): the releases not reached are listed as skipped.`);
  if (errorLines.length) tail.push('Errors:', ...errorLines);
  if (!report.dryRun && report.backupDir) tail.push(`Backup of the replaced records: ${report.backupDir} (undo with: helm psa-clean restore ${report.backupDir})`);
  tail.push(summaryLine(report));
  yield `${tail.join('\n')}\n`;
}

export function renderText(report: CleanReport, opts: RenderOptions): string {
  return [...textChunks(report, opts)].join('');
}
