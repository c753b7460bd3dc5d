// Splits a YAML stream into document regions by its marker lines, without parsing.
// YAML forbids `---` and `...` at the start of a line inside any scalar (c-forbidden), so a
// line scan finds exactly the boundaries a parser would. A region starts at its `---` line
// (or at the first byte of a document written without one, after a BOM) and ends where the
// next region starts, so the regions tile the stream: dropping one keeps the rest valid and
// takes Helm's `# Source:` comment (written after `---`) with it.

export interface DocRegion {
  /** 0-based document index (the same count a YAML parser reports). */
  index: number;
  /** Offset of the region's first character (its `---` line, or comments before it). */
  start: number;
  /** Offset just past the region (start of the next region, or the text length). */
  end: number;
}

const isLineBreak = (c: number) => c === 10 || c === 13; // \r only as part of \r\n here
const isMarkerEnd = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return i >= text.length || c === 32 || c === 9 || c === 10 || (c === 13 && text.charCodeAt(i + 1) === 10);
};

/** Offset just past the line that contains `i` (after its \n; a CRLF line ends in \n too). */
export function lineEnd(text: string, i: number): number {
  const n = text.indexOf('\n', i);
  return n < 0 ? text.length : n + 1;
}

/**
 * Offsets of lines starting with `marker` followed by white space or a line end. Lines end
 * at \n only: the YAML parser we use does not break lines at a lone \r either, so both agree
 * on where documents are.
 */
function markerLines(text: string, marker: string, from: number): number[] {
  const out: number[] = [];
  if (text.startsWith(marker, from) && isMarkerEnd(text, from + 3)) out.push(from);
  let i = text.indexOf('\n' + marker, from);
  while (i >= 0) {
    if (isMarkerEnd(text, i + 4)) out.push(i + 1);
    i = text.indexOf('\n' + marker, i + 1);
  }
  return out;
}

/** True when the region holds no node: only blank lines, comments, directives, a bare `---`. */
export function isContentFree(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const e = Math.min(lineEnd(text, i), end);
    let j = i;
    if (text.startsWith('---', j) || text.startsWith('...', j)) j += 3;
    while (j < e && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
    const c = text.charCodeAt(j);
    if (j < e && !isLineBreak(c) && c !== 35 /* # */ && !(j === i && c === 37) /* %directive */) return false;
    i = e;
  }
  return true;
}

export function bomLength(text: string): number {
  return text.charCodeAt(0) === 0xfeff ? 1 : 0;
}

export function splitRegions(text: string): DocRegion[] {
  const from = bomLength(text);
  if (from >= text.length) return [];
  const dashes = markerLines(text, '---', from);
  const dots = markerLines(text, '...', from);
  let sorted: number[];
  let withMarker: (s: number) => boolean;
  if (!dots.length) {
    // Common case (no `...`): the "\n---" scan is already in order.
    sorted = dashes[0] === from ? dashes : [from, ...dashes];
    const first = dashes[0] === from;
    withMarker = (s) => s !== from || first;
  } else {
    const marked = new Set(dashes);
    const starts = new Set<number>([from, ...dashes]);
    for (const p of dots) starts.add(lineEnd(text, p));
    sorted = [...starts].filter((s) => s < text.length).sort((a, b) => a - b);
    withMarker = (s) => marked.has(s);
  }
  const raw: { start: number; end: number; marker: boolean }[] = sorted.map((s, k) => ({
    start: s,
    end: k + 1 < sorted.length ? sorted[k + 1] : text.length,
    marker: withMarker(s),
  }));
  // A stretch without `---` that holds only comments belongs to the next document (a parser
  // reads it as that document's prefix), or to the previous one when it is last.
  const merged: { start: number; end: number; marker: boolean }[] = [];
  for (let k = 0; k < raw.length; k++) {
    const r = raw[k];
    if (!r.marker && isContentFree(text, r.start, r.end)) {
      if (k + 1 < raw.length) {
        raw[k + 1] = { ...raw[k + 1], start: r.start };
        continue;
      }
      if (merged.length) {
        merged[merged.length - 1].end = r.end;
        continue;
      }
    }
    merged.push(r);
  }
  return merged.map((r, index) => ({ index, start: r.start, end: r.end }));
}

/** 1-based line number of an offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  let i = text.indexOf('\n');
  while (i >= 0 && i < offset) {
    line++;
    i = text.indexOf('\n', i + 1);
  }
  return line;
}

/** Index of the region containing `offset` (regions are sorted and tile the stream). */
export function regionAt(regions: DocRegion[], offset: number): number {
  let lo = 0;
  let hi = regions.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (regions[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
