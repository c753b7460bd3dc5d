// Rewrites a manifest stream for a target version: renames deprecated apiVersions (only the
// bytes of the apiVersion value change) and drops documents whose API has no successor
// (the whole region: `---`, Helm's `# Source:` comment, the document). Every other byte is
// kept. Only documents that could match are parsed: a document can name a deprecated
// apiVersion only if its text contains that string, or a backslash escape that spells it.
import { isAlias, isMap, type Document, type Node, type YAMLSeq } from 'yaml';
import { applicability } from '../mapping/gate.js';
import type { KubeVersion, MappingTable } from '../mapping/types.js';
import { identityOf, parseRegion, PARSE_OPTIONS, type Field } from './document.js';
import { lineEnd, regionAt, splitRegions, type DocRegion } from './split.js';
import type { Finding, RewriteResult } from './types.js';

export interface RewriteContext {
  table: MappingTable;
  target: KubeVersion;
  /** The target came from an explicit --kube-version: allow applying before removal. */
  preClean: boolean;
  /** Documents already parsed, by their text: the rewrites of one release's revisions share it. */
  documents?: DocumentCache;
}

/**
 * Parsed documents by region text. Revisions of a release mostly repeat their PodSecurityPolicy
 * documents word for word (bench: all 10 of 10 releases checked), and a parse depends on
 * nothing but the text, so the rollback target's documents need not be parsed again (yaml's
 * parse was 0.49 s of a 6.9 s dry run of 2000 releases, half of it for rollback targets).
 * Only documents that parsed are kept: one that did not is parsed again for its error.
 */
export type DocumentCache = Map<string, Document.Parsed>;

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Which regions could name a mapped apiVersion. One regex pass over the whole stream finds
 * the version parts (`v1beta1`, ...) and backslashes, skipping to the end of a region at its
 * first hit; the few hit regions are then checked for a full deprecated apiVersion, or a
 * backslash (an escape could spell anything). Only candidates are parsed (so only they can
 * raise ManifestParseError); every other region is copied unchanged.
 */
function candidates(text: string, regions: DocRegion[], needles: Needles): Set<number> {
  const out = new Set<number>();
  const re = new RegExp(needles.coarse.source, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const r = regionAt(regions, m.index);
    const slice = text.slice(regions[r].start, regions[r].end);
    if (slice.includes('\\') || needles.apiVersions.some((a) => slice.includes(a))) out.add(r);
    re.lastIndex = Math.max(regions[r].end, m.index + 1);
  }
  return out;
}

interface Needles {
  /** Version parts of every deprecated apiVersion, and a backslash. */
  coarse: RegExp;
  apiVersions: string[];
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const needlesByTable = new WeakMap<MappingTable, Needles | undefined>();

/** The needles of a table (kept per table: every manifest of a run is searched with the same ones). */
export function needlesOf(table: MappingTable): Needles | undefined {
  if (!needlesByTable.has(table)) needlesByTable.set(table, buildNeedles(table));
  return needlesByTable.get(table);
}

function buildNeedles(table: MappingTable): Needles | undefined {
  const apiVersions = new Set<string>();
  for (const m of table.entries) if (!m.disabled) apiVersions.add(m.deprecated.apiVersion);
  if (!apiVersions.size) return undefined;
  const parts = new Set([...apiVersions].map((a) => a.slice(a.lastIndexOf('/') + 1)));
  return { coarse: new RegExp([...parts].map(escapeRe).concat('\\\\').join('|')), apiVersions: [...apiVersions] };
}

/** New scalar source for an apiVersion value, in the style it was written. */
function renameScalar(src: string, node: Node, oldValue: string, newValue: string): string {
  if (isAlias(node)) return newValue;
  const at = src.indexOf(oldValue);
  if (at >= 0 && src.indexOf(oldValue, at + 1) < 0) return src.slice(0, at) + newValue + src.slice(at + oldValue.length);
  // Escapes spelled the old value: write the new one plainly in the same quoting style.
  const type = (node as { type?: string }).type;
  if (type === 'QUOTE_DOUBLE') return JSON.stringify(newValue);
  if (type === 'QUOTE_SINGLE') return `'${newValue}'`;
  const trail = /[\r\n]+$/.exec(src)?.[0] ?? '';
  return newValue + trail;
}

type Hit = { m: { id: string; notes: string[] }; a: ReturnType<typeof applicability> };

/** The finding fields that describe what a mapping did to one object. */
function describeHit(hit: Hit, apiVersion: string, kind: string, name: string | undefined, namespace: string | undefined): Omit<Finding, 'source' | 'docIndex'> {
  const next = hit.a.replacement ?? null;
  return {
    kind,
    name: name ?? '',
    namespace: namespace ?? '',
    oldApiVersion: apiVersion,
    newApiVersion: next ? next.apiVersion : null,
    action: next ? 'renamed' : 'removed',
    mappingId: hit.m.id,
    early: hit.a.early,
    warnings: hit.a.notes ?? hit.m.notes,
    via: hit.a.via,
    reason: hit.a.reason,
  };
}

interface DocOutcome {
  drop: boolean;
  edits: Edit[];
  findings: Finding[];
}

function rewriteDocument(doc: Document, slice: string, region: DocRegion, source: string, ctx: RewriteContext): DocOutcome {
  const out: DocOutcome = { drop: false, edits: [], findings: [] };
  const id = identityOf(doc, doc.contents);
  const apiVersion = id.apiVersion?.value;
  const kind = id.kind?.value;
  if (!apiVersion || !kind) return out;
  const finding = (base: Omit<Finding, 'source' | 'docIndex'>): Finding => ({ source, docIndex: region.index, ...base });
  const fire = (apiV: string, k: string) => {
    const m = ctx.table.lookup(apiV, k);
    if (!m) return undefined;
    const a = applicability(m, ctx.target, { preClean: ctx.preClean });
    return a.applies ? { m, a } : undefined;
  };
  const rename = (f: Field, from: string, to: string) => {
    const [s, e] = f.node.range!;
    out.edits.push({ start: s, end: e, text: renameScalar(slice.slice(s, e), f.node, from, to) });
  };

  const hit = fire(apiVersion, kind);
  if (hit) {
    const next = hit.a.replacement ?? null;
    out.findings.push(finding(describeHit(hit, apiVersion, kind, id.name, id.namespace)));
    if (!next) {
      out.drop = true;
      return out;
    }
    rename(id.apiVersion!, apiVersion, next.apiVersion);
  }
  if (id.items && (kind === 'List' || kind.endsWith('List'))) rewriteItems(doc, slice, id.items, out, fire, rename, finding);
  return out;
}

function rewriteItems(
  doc: Document,
  slice: string,
  seq: YAMLSeq,
  out: DocOutcome,
  fire: (a: string, k: string) => Hit | undefined,
  rename: (f: Field, from: string, to: string) => void,
  finding: (b: Omit<Finding, 'source' | 'docIndex'>) => Finding,
) {
  const removed: number[] = [];
  seq.items.forEach((item, itemIndex) => {
    if (!isMap(item)) return;
    const id = identityOf(doc, item);
    const apiVersion = id.apiVersion?.value;
    const kind = id.kind?.value;
    if (!apiVersion || !kind) return;
    const hit = fire(apiVersion, kind);
    if (!hit) return;
    const next = hit.a.replacement ?? null;
    out.findings.push(finding({ itemIndex, ...describeHit(hit, apiVersion, kind, id.name, id.namespace) }));
    if (next) rename(id.apiVersion!, apiVersion, next.apiVersion);
    else removed.push(itemIndex);
  });
  if (removed.length) out.edits.push(...removeItems(slice, seq, removed));
}

/** Edits that delete the given items of a sequence (block: whole `- ` entries; flow: rebuilt). */
function removeItems(slice: string, seq: YAMLSeq, removed: number[]): Edit[] {
  const gone = new Set(removed);
  const [seqStart, seqEnd] = seq.range!;
  const kept = seq.items.filter((_, i) => !gone.has(i));
  const tok = seq.srcToken as { type?: string; items?: { start: { type: string; offset: number }[] }[] } | undefined;
  if (seq.flow || tok?.type === 'flow-collection') {
    const body = kept.map((n) => {
      const [s, e] = (n as Node).range!;
      return slice.slice(s, e).trimEnd();
    });
    return [{ start: seqStart, end: seqEnd, text: `[${body.join(', ')}]` }];
  }
  if (!kept.length) {
    // No item left: `[]` keeps `items` a list. It goes where the first `-` was, indented at
    // least one space so it is the value of `items:` even after a comment on that line.
    const from = indicatorLineStart(slice, tok, 0, (seq.items[0] as Node).range![0]);
    let indent = 0;
    while (slice.charCodeAt(from + indent) === 32) indent++;
    const to = (seq.items[seq.items.length - 1] as Node).range![1];
    const tail = /[\r\n]+$/.exec(slice.slice(from, to))?.[0] ?? '';
    return [{ start: from, end: to, text: `${' '.repeat(Math.max(1, indent))}[]${tail}` }];
  }
  const edits: Edit[] = [];
  for (const i of removed) {
    const node = seq.items[i] as Node;
    const start = indicatorLineStart(slice, tok, i, node.range![0]);
    const end = i + 1 < seq.items.length ? indicatorLineStart(slice, tok, i + 1, (seq.items[i + 1] as Node).range![0]) : lineEndAt(slice, node.range![1], seqEnd);
    edits.push({ start, end, text: '' });
  }
  return edits;
}

function lineStartOf(text: string, i: number): number {
  return text.lastIndexOf('\n', i - 1) + 1;
}

/** Start of the line holding item i's `-` indicator. */
function indicatorLineStart(slice: string, tok: { items?: { start: { type: string; offset: number }[] }[] } | undefined, i: number, valueStart: number): number {
  const ind = tok?.items?.[i]?.start.find((t) => t.type === 'seq-item-ind');
  return lineStartOf(slice, ind ? ind.offset : valueStart);
}

/** End of the last item: through its line break, but never past the sequence. */
function lineEndAt(slice: string, i: number, limit: number): number {
  if (i > 0 && slice[i - 1] === '\n') return i;
  return Math.min(lineEnd(slice, i), Math.max(limit, i));
}

export function rewriteManifest(text: string, ctx: RewriteContext, source: string): RewriteResult {
  const needles = needlesOf(ctx.table);
  if (!needles || !text) return { output: text, changed: false, findings: [], documentsLeft: countDocs(text) };
  const regions = splitRegions(text);
  const todo = candidates(text, regions, needles);
  if (!todo.size) return { output: text, changed: false, findings: [], documentsLeft: regions.length };
  const pieces: string[] = [];
  const findings: Finding[] = [];
  let cursor = 0;
  let dropped = 0;
  const parsed = new Map<number, () => unknown>();
  for (const r of [...todo].sort((a, b) => a - b)) {
    const region = regions[r];
    const slice = text.slice(region.start, region.end);
    let doc = ctx.documents?.get(slice);
    if (!doc) {
      doc = parseRegion(text, region, source);
      ctx.documents?.set(slice, doc);
    }
    const res = rewriteDocument(doc, slice, region, source, ctx);
    if (!res.findings.length) continue;
    if (res.findings.some((f) => f.kind === 'PodSecurityPolicy')) {
      // Only PodSecurityPolicy documents are read again (clean's PSP levels), and only as plain
      // values. Keeping every parsed document (with its source tokens) alive until the result
      // is dropped made the collector's work grow with them: 10 MB stream, 1 document in 10
      // deprecated: 62.9 -> 38.9 MB/s at 449b1b6.
      parsed.set(r, plainValue(doc));
    }
    findings.push(...res.findings);
    pieces.push(text.slice(cursor, region.start));
    cursor = region.end;
    if (res.drop) {
      dropped++;
      continue;
    }
    pieces.push(applyEdits(slice, res.edits));
  }
  if (!findings.length) return { output: text, changed: false, findings, documentsLeft: regions.length, parsed };
  pieces.push(text.slice(cursor));
  return { output: pieces.join(''), changed: true, findings, documentsLeft: regions.length - dropped, parsed };
}

/**
 * The document as a plain value (toJS, aliases bounded), made now so the parsed document
 * itself is not kept; a failure (an alias bomb) is thrown when the value is asked for.
 */
function plainValue(doc: Document.Parsed): () => unknown {
  let got = plainValues.get(doc);
  if (!got) plainValues.set(doc, (got = toPlain(doc)));
  return got;
}

/** One plain value per parsed document (a DocumentCache hands the same one to two revisions). */
const plainValues = new WeakMap<Document.Parsed, () => unknown>();

function toPlain(doc: Document.Parsed): () => unknown {
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: PARSE_OPTIONS.maxAliasCount });
  } catch (e) {
    return () => {
      throw e;
    };
  }
  return () => value;
}

function countDocs(text: string): number {
  return text ? splitRegions(text).length : 0;
}

function applyEdits(slice: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) continue; // overlapping edit (cannot happen: renames sit inside kept items)
    out += slice.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + slice.slice(at);
}
