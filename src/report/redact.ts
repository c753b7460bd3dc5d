// Hides the values of Secret `data` and `stringData` before manifests are shown (helm-diff
// style): `REDACTED # (N bytes)` when a value is the same on both sides of a diff, and
// `-------- # (N bytes)` / `++++++++ # (N bytes)` when it differs. Only value bytes change, so
// the diff still shows which keys exist. A document that may be a Secret but does not parse
// is replaced whole: nothing of it is shown.
import { isMap, isScalar, type Document, type Node, type YAMLMap } from 'yaml';
import { identityOf, parseRegion } from '../manifest/document.js';
import { splitRegions, type DocRegion } from '../manifest/split.js';
import { REDACTED_KINDS, scanSecretValues, SECRET_FIELDS, type SecretValue } from './secret-scan.js';

type Side = 'same' | 'old' | 'new';
type Values = Map<string, string>;

interface Edit {
  start: number;
  end: number;
  text: string;
}

// ConfigMaps too: charts put DSNs, license keys and passwords in them as often as in
// Secrets, and a diff shows them as context next to a removed API (reliability secrets test).

function byteLength(field: string, value: string): number {
  if (field === 'data' || field === 'binaryData') {
    const clean = value.replace(/\s+/g, '');
    if (/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return Buffer.from(clean, 'base64').length;
  }
  return Buffer.byteLength(value, 'utf8');
}

/** The line breaks a value's source ends with (kept after the replacement); no regex: `[\r\n]+$` rescans from every offset. */
function trailingBreaks(src: string): string {
  let i = src.length;
  while (i > 0 && (src.charCodeAt(i - 1) === 10 || src.charCodeAt(i - 1) === 13)) i--;
  return src.slice(i);
}

function pairs(map: YAMLMap) {
  return map.items.map((p) => ({ key: isScalar(p.key) ? String(p.key.value) : String(p.key), value: p.value as Node | null }));
}

/** Visits every Secret value (top-level documents and List items). */
function eachSecretValue(doc: Document, visit: (path: string, field: string, value: Node, text: string | undefined) => void): void {
  const visitObject = (obj: unknown, prefix: string) => {
    const id = identityOf(doc, obj);
    if (REDACTED_KINDS.has(String(id.kind?.value)) && isMap(obj)) {
      const base = `${prefix}${id.namespace ?? ''}/${id.name ?? ''}`;
      for (const p of pairs(obj)) {
        if (!(SECRET_FIELDS as readonly string[]).includes(p.key) || !isMap(p.value)) continue;
        for (const kv of pairs(p.value)) {
          if (!kv.value) continue;
          const text = isScalar(kv.value) && kv.value.value !== null ? String(kv.value.value) : undefined;
          // ConfigMap `data` is plain text (only Secret `data` and `binaryData` are base64).
          visit(`${base}/${p.key}/${kv.key}`, id.kind?.value === 'ConfigMap' && p.key === 'data' ? 'text' : p.key, kv.value, text);
        }
      }
    }
    if (id.items) id.items.items.forEach((item, i) => visitObject(item, `${prefix}items[${i}]:`));
  };
  visitObject(doc.contents, '');
}

/** The values of one document by the YAML parser (throws when it does not parse). */
export function parsedSecretValues(text: string, r: DocRegion): SecretValue[] {
  const doc = parseRegion(text, r, 'redact');
  const out: SecretValue[] = [];
  eachSecretValue(doc, (path, field, node, value) => {
    const [start, end] = node.range!;
    out.push({ path, field, start, end, value });
  });
  return out;
}

const mayBeSecret = (s: string) => s.includes('Secret') || s.includes('ConfigMap') || s.includes('\\');

/** A document's values (scan-secret.ts when its text is plain enough, else the parser); throws when it does not parse. */
const readOnce = (text: string, r: DocRegion): SecretValue[] => scanSecretValues(text.slice(r.start, r.end)) ?? parsedSecretValues(text, r);

/** What one region holds: nothing to hide (null), its values, or a parse failure (hidden whole). */
type Read = SecretValue[] | { failed: true } | null;

function readRegion(text: string, r: DocRegion): Read {
  if (!mayBeSecret(text.slice(r.start, r.end))) return null;
  try {
    return readOnce(text, r);
  } catch {
    return { failed: true };
  }
}

/** Every region read, in order. `shared(j)` may give a region's read from another text with the same document text. */
function readAll(text: string, regions: DocRegion[], shared: (j: number) => Read | undefined = () => undefined): Read[] {
  return regions.map((r, j) => {
    const known = shared(j);
    return known !== undefined ? known : readRegion(text, r);
  });
}

function collect(reads: Read[]): Values {
  const out: Values = new Map();
  for (const read of reads) {
    if (!Array.isArray(read)) continue; // nothing to hide, or unparseable (redacted whole in redact())
    for (const v of read) out.set(v.path, v.value ?? '\u0000non-scalar');
  }
  return out;
}

function redact(text: string, regions: DocRegion[], reads: Read[], other: Values | undefined, side: Side): string {
  const pieces: string[] = [];
  let cursor = 0;
  regions.forEach((r, k) => {
    const read = reads[k];
    if (read === null) return;
    const slice = text.slice(r.start, r.end);
    if (!Array.isArray(read)) {
      const marker = /^---[^\r\n]*(\r?\n)?/.exec(slice)?.[0] ?? '';
      pieces.push(text.slice(cursor, r.start), `${marker}# REDACTED: document could not be parsed (${Buffer.byteLength(slice)} bytes)\n`);
      cursor = r.end;
      return;
    }
    const edits: Edit[] = [];
    for (const { path, field, start: s, end: e, value } of read) {
      const src = slice.slice(s, e);
      const n = value === undefined ? Buffer.byteLength(src) : byteLength(field, value);
      const same = other ? other.get(path) === (value ?? '\u0000non-scalar') : true;
      const word = same || side === 'same' ? 'REDACTED' : side === 'old' ? '--------' : '++++++++';
      edits.push({ start: s, end: e, text: `${word} # (${n} bytes)${trailingBreaks(src)}` });
    }
    if (!edits.length) return;
    edits.sort((a, b) => a.start - b.start);
    let out = '';
    let at = 0;
    for (const ed of edits) {
      if (ed.start < at) continue;
      out += slice.slice(at, ed.start) + ed.text;
      at = ed.end;
    }
    pieces.push(text.slice(cursor, r.start), out + slice.slice(at));
    cursor = r.end;
  });
  if (!pieces.length) return text;
  pieces.push(text.slice(cursor));
  return pieces.join('');
}

/** The stream with every Secret data/stringData value replaced by `REDACTED # (N bytes)`. */
export function redactSecrets(manifestText: string): string {
  const regions = splitRegions(manifestText);
  return redact(manifestText, regions, readAll(manifestText, regions), undefined, 'same');
}

/**
 * How many regions two streams share at their start and at their end, by text. A repair drops
 * or edits a few documents, so the two sides of its diff share almost every document, and a
 * document's values depend only on its own text: a shared one is read once. (Before, a cache
 * keyed by document text did this; hashing those texts cost as much as reading them.)
 */
function sharedRegions(a: string, ar: DocRegion[], b: string, br: DocRegion[]): { head: number; tail: number } {
  const same = (i: number, j: number) => ar[i].end - ar[i].start === br[j].end - br[j].start && a.slice(ar[i].start, ar[i].end) === b.slice(br[j].start, br[j].end);
  const max = Math.min(ar.length, br.length);
  let head = 0;
  while (head < max && same(head, head)) head++;
  let tail = 0;
  while (tail < max - head && same(ar.length - 1 - tail, br.length - 1 - tail)) tail++;
  return { head, tail };
}

/** Both sides of a diff redacted, marking values that differ between them. */
export function redactSecretPair(oldText: string, newText: string): { oldText: string; newText: string } {
  const oldRegions = splitRegions(oldText);
  const newRegions = splitRegions(newText);
  const oldReads = readAll(oldText, oldRegions);
  const { head, tail } = sharedRegions(oldText, oldRegions, newText, newRegions);
  const shift = oldRegions.length - newRegions.length;
  const newReads = readAll(newText, newRegions, (j) => (j < head ? oldReads[j] : j >= newRegions.length - tail ? oldReads[j + shift] : undefined));
  const oldValues = collect(oldReads);
  const newValues = collect(newReads);
  return { oldText: redact(oldText, oldRegions, oldReads, newValues, 'old'), newText: redact(newText, newRegions, newReads, oldValues, 'new') };
}
