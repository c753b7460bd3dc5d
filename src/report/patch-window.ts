// jsdiff's createTwoFilesPatch, computed over the lines that differ and their neighbours
// instead of over two whole manifests. A repair changes a few documents of a 100 KB stream;
// jsdiff splits, joins and re-splits every line of both texts (bench, 2000 releases: 0.57 s
// of a 6.9 s dry run, for 596 diffs of a few dozen lines each). The result is the same text,
// byte for byte, for these reasons (jsdiff 8, src/diff/base.ts and src/patch/create.ts):
//
// - Lines both texts start with: jsdiff's first step takes the whole common prefix as one
//   run of equal lines, and every later step works from where it ended. Dropping all but
//   `context` of those lines changes nothing but the line numbers, which are added back.
// - Lines both texts end with: the search only compares lines and looks at the two lengths
//   (a path that reaches the end of either text changes which paths it extends next). So a
//   shortened pair gives the same steps as long as no path other than the finishing one
//   reaches the end of either shortened text. That is checked, not assumed: the shortened
//   pair is first searched by jsdiff's own diffArrays with a comparator that sees line
//   numbers; if a path came near an end, more lines are kept (in the end, all of them).
// - The hunks: a kept common tail of at least `context` lines ends the last hunk as the
//   whole tail would, and the last line of a text (the only one that can lack a newline)
//   is never inside a hunk whose tail was shortened.
import { createTwoFilesPatch, diffArrays } from 'diff';

export interface PatchInput {
  oldLabel: string;
  newLabel: string;
  oldText: string;
  newText: string;
  context: number;
}

/** Common tail lines kept at first beyond the changed lines; doubled while the check fails. */
const TAIL_SLACK = 16;

/** Offset just past the n-th line break at or after `from` (or the text length). */
function afterLines(text: string, from: number, n: number): number {
  let at = from;
  for (let k = 0; k < n; k++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return text.length;
    at = nl + 1;
  }
  return at;
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** jsdiff's line tokens: each line with its line break (a last line may have none). */
function lineTokens(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl + 1;
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}

/**
 * True when jsdiff's search over the two texts never lets a path other than the finishing
 * one reach the last line of either text: then the same search over longer texts with the
 * same lines at the front takes the same steps. Every path that is not at an end compares
 * its next pair of lines, so a path can only reach an end after a comparison that touches
 * that end's last line on the path's own diagonal.
 */
function searchStaysInside(oldWindow: string, newWindow: string): boolean {
  const a = lineTokens(oldWindow);
  const b = lineTokens(newWindow);
  const lastA = a.length - 1;
  const lastB = b.length - 1;
  const finishing = b.length - a.length; // diagonal (new index - old index) of the end
  let inside = true;
  const ia = a.map((_, i) => i);
  const ib = b.map((_, i) => i);
  diffArrays(ia, ib, {
    comparator: (i: number, j: number) => {
      if ((i === lastA || j === lastB) && j - i !== finishing) inside = false;
      return a[i] === b[j];
    },
  });
  return inside;
}

/** Adds `shift` to both start lines of every `@@ -a,b +c,d @@` header. */
function shiftHunks(patch: string, shift: number): string {
  if (shift === 0) return patch;
  return patch.replace(/^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/gm, (_, a: string, b: string, c: string, d: string) => `@@ -${Number(a) + shift},${b} +${Number(c) + shift},${d} @@`);
}

/** Characters compared as one string by commonHead and commonTail. */
const BLOCK = 512;

/**
 * Length of the common start of two texts, at most `max`. Blocks are compared as strings
 * first (a native comparison; per character in JavaScript this was a third of the time).
 */
function commonHead(a: string, b: string, max: number): number {
  let c = 0;
  while (c + BLOCK <= max && a.slice(c, c + BLOCK) === b.slice(c, c + BLOCK)) c += BLOCK;
  while (c < max && a.charCodeAt(c) === b.charCodeAt(c)) c++;
  return c;
}

/** Length of the common end of two texts, at most `max`. */
function commonTail(a: string, b: string, max: number): number {
  const lenA = a.length;
  const lenB = b.length;
  let t = 0;
  while (t + BLOCK <= max && a.slice(lenA - t - BLOCK, lenA - t) === b.slice(lenB - t - BLOCK, lenB - t)) t += BLOCK;
  while (t < max && a.charCodeAt(lenA - 1 - t) === b.charCodeAt(lenB - 1 - t)) t++;
  return t;
}

/** createTwoFilesPatch(oldLabel, newLabel, oldText, newText, undefined, undefined, { context }), over a window. */
export function twoFilesPatch(p: PatchInput): string {
  const { oldText: a, newText: b, context } = p;
  const whole = () => createTwoFilesPatch(p.oldLabel, p.newLabel, a, b, undefined, undefined, { context });
  const lenA = a.length;
  const lenB = b.length;
  const min = Math.min(lenA, lenB);

  // Common leading lines: whole lines inside the common leading characters.
  const c = commonHead(a, b, min);
  const headEnd = c > 0 ? a.lastIndexOf('\n', c - 1) + 1 : 0; // just past the last common line (0: none)
  const headLines = countLines(a, 0, headEnd);
  const dropLines = Math.max(0, headLines - context);
  const from = afterLines(a, 0, dropLines);

  // Common trailing lines: whole lines inside the common trailing characters, after a line
  // break that is itself common (so a line starts there in both texts), not overlapping the head.
  const t = commonTail(a, b, min - headEnd);
  const nl = t > 0 ? a.indexOf('\n', lenA - t) : -1;
  const tailA = nl < 0 ? lenA : nl + 1; // first line of the common tail in a
  const tailLength = lenA - tailA;
  if (from === 0 && tailLength === 0) return whole();

  const middleLines = countLines(a, headEnd, tailA) + countLines(b, headEnd, lenB - tailLength) + 2;
  for (let keep = context + middleLines + TAIL_SLACK; ; keep *= 2) {
    const endA = afterLines(a, tailA, keep);
    if (endA >= lenA) {
      // The whole tail is kept: only the head is shortened, which needs no check.
      return from === 0 ? whole() : shiftHunks(createTwoFilesPatch(p.oldLabel, p.newLabel, a.slice(from), b.slice(from), undefined, undefined, { context }), dropLines);
    }
    const endB = lenB - (lenA - endA);
    const oldWindow = a.slice(from, endA);
    const newWindow = b.slice(from, endB);
    if (!searchStaysInside(oldWindow, newWindow)) continue;
    return shiftHunks(createTwoFilesPatch(p.oldLabel, p.newLabel, oldWindow, newWindow, undefined, undefined, { context }), dropLines);
  }
}
