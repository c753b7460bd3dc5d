// The values redaction hides, read from a document's text without a YAML parser, for the
// documents that are plain enough to read that way; undefined for any other document, which
// then goes to the full parser (redact.ts). Diffs of a dry run redact every ConfigMap and
// Secret of both texts: parsing them was most of a dry run's diff time (bench 2000 x 10:
// ~3.7 s of a 14 s CPU profile), though such documents are nearly always simple block YAML.
//
// "Plain enough" is a strict subset of YAML, checked line by line over the whole document:
//   - indentation by spaces; no tab or carriage return anywhere;
//   - before the first key only `---`, comments and blank lines;
//   - every other line outside a block scalar is a comment, blank, or `KEY:` / `KEY: VALUE`
//     at the indentation of its mapping (a nested mapping is more indented, after `KEY:`);
//     KEY is a plain word ([A-Za-z_][A-Za-z0-9_./-]*, not true/false/null in any case);
//     VALUE is a plain scalar that starts with a letter or '/' and holds no ': ', ' #' or
//     trailing space, a quoted scalar on one line without escapes or inner quotes, or a
//     literal block scalar header `|`, `|-`, `|+` (no folding, no indentation indicator);
//   - a literal block scalar's first line is not blank and no blank line has more spaces
//     than its indentation;
//   - the top-level keys kind, metadata, data, stringData, binaryData and items occur once,
//     `items` not at all (List documents go to the parser), and so do name and namespace in
//     metadata; data keys are not repeated and have a value.
// Everything in the subset is valid YAML that the parser reads the same way: scalars that
// start with a letter are strings in the core schema unless they are true/false/null, which
// the key and value rules exclude. test/report/secret-scan.test.ts compares this reader with
// the parser on generated documents.

/** One value redaction shows, with its source range in the document text. */
export interface SecretValue {
  /** namespace/name/field/key, as redact.ts keys values across the two sides of a diff. */
  path: string;
  /** data | stringData | binaryData, or 'text' for a ConfigMap's data (not base64). */
  field: string;
  start: number;
  end: number;
  /** The scalar's value; undefined for a value that is not a scalar (never from this reader). */
  value: string | undefined;
}

export const REDACTED_KINDS = new Set(['Secret', 'ConfigMap']);
export const SECRET_FIELDS = ['data', 'stringData', 'binaryData'] as const;

const KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const NOT_A_STRING = /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;
const PLAIN = /^[A-Za-z/][^\t]*$/;

interface Line {
  start: number;
  /** Index after the line's text (before its \n). */
  end: number;
  /** Index after its \n, or end at the end of the text. */
  next: number;
  indent: number;
  /** The text after the indentation. */
  body: string;
}

function linesOf(text: string): Line[] {
  const out: Line[] = [];
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    let i = at;
    while (i < end && text.charCodeAt(i) === 32) i++;
    out.push({ start: at, end, next: nl < 0 ? end : nl + 1, indent: i - at, body: text.slice(i, end) });
    at = nl < 0 ? end : nl + 1;
  }
  return out;
}

/** A one-line scalar's value, or undefined when it is outside the subset. */
function scalarValue(v: string): string | undefined {
  const q = v.charCodeAt(0);
  if (q === 34 /* " */ || q === 39 /* ' */) {
    if (v.length < 2 || v.charCodeAt(v.length - 1) !== q) return undefined;
    const inner = v.slice(1, -1);
    if (inner.includes(v[0]) || (q === 34 && inner.includes('\\'))) return undefined;
    return inner;
  }
  if (!PLAIN.test(v) || NOT_A_STRING.test(v) || v.includes(': ') || v.endsWith(':') || v.includes(' #') || v.endsWith(' ')) return undefined;
  return v;
}

interface Entry {
  key: string;
  /** The text after `KEY:`, trimmed of the one space; '' when the value is on later lines. */
  rest: string;
  restStart: number;
}

function entryOf(line: Line): Entry | undefined {
  const colon = line.body.indexOf(':');
  if (colon <= 0) return undefined;
  const key = line.body.slice(0, colon);
  if (!KEY.test(key) || NOT_A_STRING.test(key) || key.length > 1000) return undefined;
  const after = line.body.slice(colon + 1);
  if (after === '') return { key, rest: '', restStart: line.end };
  if (after.charCodeAt(0) !== 32 || after.charCodeAt(1) === 32 || after.length < 2) return undefined;
  return { key, rest: after.slice(1), restStart: line.start + line.indent + colon + 2 };
}

interface Scalar {
  value: string;
  start: number;
  end: number;
}

/**
 * Reads the value of the entry on lines[i]: a one-line scalar, a literal block scalar, or
 * (rest '') a nested block. Returns the index of the first line after it and, for a scalar,
 * its value and range; undefined when outside the subset.
 */
function readValue(lines: Line[], i: number, e: Entry, parentIndent: number): { next: number; scalar?: Scalar } | undefined {
  const line = lines[i];
  if (e.rest === '|' || e.rest === '|-' || e.rest === '|+') {
    const first = lines[i + 1];
    if (!first || first.body === '' || first.indent <= parentIndent) return undefined;
    const n = first.indent;
    let j = i + 1;
    let lastContent = i + 1;
    while (j < lines.length && (lines[j].body === '' || lines[j].indent >= n)) {
      if (lines[j].body === '') {
        if (lines[j].indent > n) return undefined;
      } else {
        lastContent = j;
      }
      j++;
    }
    const parts: string[] = [];
    for (let k = i + 1; k <= lastContent; k++) parts.push(lines[k].body === '' ? '' : ' '.repeat(lines[k].indent - n) + lines[k].body);
    const body = parts.join('\n');
    const trailing = j - 1 - lastContent;
    if (e.rest === '|+') {
      if ((j === lines.length && trailing > 0) || lines[lastContent].next === lines[lastContent].end) return undefined;
      return { next: j, scalar: { value: `${body}\n${'\n'.repeat(trailing)}`, start: e.restStart, end: lines[j - 1].next } };
    }
    return { next: j, scalar: { value: e.rest === '|' ? `${body}\n` : body, start: e.restStart, end: lines[lastContent].next } };
  }
  if (e.rest === '') {
    // A nested block: its lines are those more indented than this entry (comments and blank
    // lines aside); the caller reads them as a mapping.
    return { next: i + 1 };
  }
  const value = scalarValue(e.rest);
  if (value === undefined) return undefined;
  return { next: i + 1, scalar: { value, start: e.restStart, end: line.end } };
}

interface MapRead {
  next: number;
  entries: Array<{ key: string; scalar?: Scalar; child?: MapRead }>;
}

/** Reads a block mapping whose entries are at `indent`, from lines[i]. */
function readMap(lines: Line[], i: number, indent: number, parentIndent: number): MapRead | undefined {
  const entries: MapRead['entries'] = [];
  let j = i;
  while (j < lines.length) {
    const line = lines[j];
    if (line.body === '' || line.body.charCodeAt(0) === 35 /* # */) {
      j++;
      continue;
    }
    if (line.indent < indent) break;
    if (line.indent > indent) return undefined; // a continuation line or a stray indentation
    const e = entryOf(line);
    if (!e) return undefined;
    const v = readValue(lines, j, e, indent);
    if (!v) return undefined;
    if (v.scalar) {
      entries.push({ key: e.key, scalar: v.scalar });
      j = v.next;
      continue;
    }
    // A nested mapping: the next content line, more indented.
    let k = v.next;
    while (k < lines.length && (lines[k].body === '' || lines[k].body.charCodeAt(0) === 35)) k++;
    if (k >= lines.length || lines[k].indent <= indent) return undefined; // an empty (null) value
    const child = readMap(lines, k, lines[k].indent, indent);
    if (!child) return undefined;
    entries.push({ key: e.key, child });
    j = child.next;
  }
  // Comment lines are allowed only between entries (a comment less indented than a mapping
  // that goes on would be read the same, but keep the subset small).
  void parentIndent;
  return { next: j, entries };
}

function once(entries: MapRead['entries'], key: string): MapRead['entries'][number] | undefined | null {
  let found: MapRead['entries'][number] | undefined;
  for (const e of entries) {
    if (e.key !== key) continue;
    if (found) return null;
    found = e;
  }
  return found;
}

/**
 * The values redact.ts hides in one document region's text (as parseRegion would parse it),
 * in the parser's order; [] for a document that is not a Secret or ConfigMap; undefined
 * when the text is outside the subset above (the caller parses it).
 */
export function scanSecretValues(slice: string): SecretValue[] | undefined {
  if (slice.includes('\t') || slice.includes('\r')) return undefined;
  const lines = linesOf(slice);
  let i = 0;
  for (; i < lines.length; i++) {
    const l = lines[i];
    if (l.body === '' || l.body.charCodeAt(0) === 35) continue;
    if (l.indent === 0 && l.body === '---' && i === 0) continue;
    break;
  }
  if (i >= lines.length || lines[i].indent !== 0) return undefined;
  const top = readMap(lines, i, 0, -1);
  if (!top || top.next !== lines.length) return undefined;
  for (const k of ['kind', 'metadata', 'items', ...SECRET_FIELDS]) if (once(top.entries, k) === null) return undefined;
  if (once(top.entries, 'items')) return undefined;
  const kind = once(top.entries, 'kind');
  if (!kind || !kind.scalar || !REDACTED_KINDS.has(kind.scalar.value)) {
    // The parser would find no values either, provided kind is a string: it is, or absent.
    return kind && !kind.scalar ? undefined : [];
  }
  let name = '';
  let namespace = '';
  const meta = once(top.entries, 'metadata');
  if (meta?.child) {
    const n = once(meta.child.entries, 'name');
    const ns = once(meta.child.entries, 'namespace');
    if (n === null || ns === null || n?.child || ns?.child) return undefined;
    name = n?.scalar?.value ?? '';
    namespace = ns?.scalar?.value ?? '';
  }
  const base = `${namespace}/${name}`;
  const out: SecretValue[] = [];
  for (const e of top.entries) {
    if (!(SECRET_FIELDS as readonly string[]).includes(e.key) || !e.child) continue;
    const field = kind.scalar.value === 'ConfigMap' && e.key === 'data' ? 'text' : e.key;
    const seen = new Set<string>();
    for (const kv of e.child.entries) {
      if (!kv.scalar || seen.has(kv.key)) return undefined;
      seen.add(kv.key);
      out.push({ path: `${base}/${e.key}/${kv.key}`, field, start: kv.scalar.start, end: kv.scalar.end, value: kv.scalar.value });
    }
  }
  return out;
}
