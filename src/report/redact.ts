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
type ValueReader = (text: string, r: DocRegion) => SecretValue[];
const readOnce: ValueReader = (text, r) => scanSecretValues(text.slice(r.start, r.end)) ?? parsedSecretValues(text, r);

/**
 * A reader that reads each distinct document text once. The two sides of a diff share
 * almost every document, and a pair was parsed four times (collect and redact, old and new):
 * with ConfigMaps redacted too, that was 4.1 s of a 9.6 s dry run of 2000 releases (bench).
 * A document's values depend only on its own text, so the result is the same.
 */
function cachedReader(): ValueReader {
  const cache = new Map<string, SecretValue[] | { failed: unknown }>();
  return (text, r) => {
    const key = text.slice(r.start, r.end);
    let got = cache.get(key);
    if (got === undefined) {
      try {
        got = readOnce(text, r);
      } catch (e) {
        got = { failed: e };
      }
      cache.set(key, got);
    }
    if ('failed' in got) throw got.failed;
    return got;
  };
}

function collect(text: string, regions: DocRegion[], read: ValueReader): Values {
  const out: Values = new Map();
  for (const r of regions) {
    if (!mayBeSecret(text.slice(r.start, r.end))) continue;
    try {
      for (const v of read(text, r)) out.set(v.path, v.value ?? '\u0000non-scalar');
    } catch {
      // unparseable: redacted whole in redact()
    }
  }
  return out;
}

function redact(text: string, regions: DocRegion[], other: Values | undefined, side: Side, read: ValueReader): string {
  const pieces: string[] = [];
  let cursor = 0;
  for (const r of regions) {
    const slice = text.slice(r.start, r.end);
    if (!mayBeSecret(slice)) continue;
    let values: SecretValue[];
    try {
      values = read(text, r);
    } catch {
      const marker = /^---[^\r\n]*(\r?\n)?/.exec(slice)?.[0] ?? '';
      pieces.push(text.slice(cursor, r.start), `${marker}# REDACTED: document could not be parsed (${Buffer.byteLength(slice)} bytes)\n`);
      cursor = r.end;
      continue;
    }
    const edits: Edit[] = [];
    for (const { path, field, start: s, end: e, value } of values) {
      const src = slice.slice(s, e);
      const n = value === undefined ? Buffer.byteLength(src) : byteLength(field, value);
      const same = other ? other.get(path) === (value ?? '\u0000non-scalar') : true;
      const word = same || side === 'same' ? 'REDACTED' : side === 'old' ? '--------' : '++++++++';
      const trail = /[\r\n]+$/.exec(src)?.[0] ?? '';
      edits.push({ start: s, end: e, text: `${word} # (${n} bytes)${trail}` });
    }
    if (!edits.length) continue;
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
  }
  if (!pieces.length) return text;
  pieces.push(text.slice(cursor));
  return pieces.join('');
}

/** The stream with every Secret data/stringData value replaced by `REDACTED # (N bytes)`. */
export function redactSecrets(manifestText: string): string {
  return redact(manifestText, splitRegions(manifestText), undefined, 'same', readOnce);
}

/** Both sides of a diff redacted, marking values that differ between them. */
export function redactSecretPair(oldText: string, newText: string): { oldText: string; newText: string } {
  const read = cachedReader();
  const oldRegions = splitRegions(oldText);
  const newRegions = splitRegions(newText);
  const oldValues = collect(oldText, oldRegions, read);
  const newValues = collect(newText, newRegions, read);
  return { oldText: redact(oldText, oldRegions, newValues, 'old', read), newText: redact(newText, newRegions, oldValues, 'new', read) };
}
