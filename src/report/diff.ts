// Unified diff of two manifest streams for --dry-run / --diff output. Secret values are
// redacted on both sides first unless showSecrets; colour only when the caller allows it.
import { palette } from './color.js';
import { twoFilesPatch } from './patch-window.js';
import { redactSecretPair } from './redact.js';

export interface DiffOptions {
  oldText: string;
  newText: string;
  oldLabel: string;
  newLabel: string;
  color: boolean;
  showSecrets: boolean;
  /** Lines of context around each change (default 3). */
  context?: number;
}

/** "" when the texts are equal; otherwise `--- old` / `+++ new` / hunks, newline-terminated. */
export function renderUnifiedDiff(opts: DiffOptions): string {
  if (opts.oldText === opts.newText) return '';
  const { oldText, newText } = opts.showSecrets ? opts : redactSecretPair(opts.oldText, opts.newText);
  if (oldText === newText) return '';
  const patch = twoFilesPatch({ oldLabel: opts.oldLabel, newLabel: opts.newLabel, oldText, newText, context: opts.context ?? 3 });
  const lines = patch.split('\n');
  // Drop jsdiff's "Index: <name>" line (written when both labels are equal) and "=====" banner;
  // keep the file headers and hunks.
  if (lines[0]?.startsWith('Index: ')) lines.shift();
  if (lines[0]?.startsWith('====')) lines.shift();
  if (lines[lines.length - 1] === '') lines.pop();
  const p = palette(opts.color);
  const out = lines.map((l) => {
    if (!opts.color) return l;
    if (l.startsWith('---') || l.startsWith('+++')) return p.bold(l);
    if (l.startsWith('@@')) return p.cyan(l);
    if (l.startsWith('-')) return p.red(l);
    if (l.startsWith('+')) return p.green(l);
    return l;
  });
  return out.join('\n') + '\n';
}
