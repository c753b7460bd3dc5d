// Parses one document region and finds its identity fields (apiVersion, kind, metadata.name,
// metadata.namespace, items) wherever they stand in the top-level mapping, with the source
// ranges needed to edit them in place. Aliases are resolved for reading only, never expanded.
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { ManifestParseError } from './types.js';
import { lineOf, type DocRegion } from './split.js';

export const PARSE_OPTIONS = {
  keepSourceTokens: true,
  // Helm (go-yaml) accepts repeated keys and keeps the last; so do we.
  uniqueKeys: false,
  prettyErrors: false,
  // Only toJS() expands aliases; bound it for anyone who calls it (YAML bombs).
  maxAliasCount: 100,
} as const;

export interface Field {
  /** The node as written (a scalar or an alias). */
  node: Node;
  /** Its string value after alias resolution, if it is a scalar. */
  value: string | undefined;
}

export interface Identity {
  apiVersion?: Field;
  kind?: Field;
  name?: string;
  namespace?: string;
  /** The `items` sequence of a List document. */
  items?: YAMLSeq;
}

export function parseRegion(text: string, region: DocRegion, source: string): Document.Parsed {
  const slice = text.slice(region.start, region.end);
  let doc: Document.Parsed;
  try {
    doc = parseDocument(slice, PARSE_OPTIONS) as Document.Parsed;
  } catch (e) {
    // The composer recurses per nesting level: absurd nesting ends here, never in a hang.
    const msg = e instanceof RangeError ? 'nesting too deep' : (e as Error).message;
    throw new ManifestParseError(source, region.index, lineOf(text, region.start), msg);
  }
  if (doc.errors.length) {
    const err = doc.errors[0];
    const line = lineOf(text, region.start + (err.pos?.[0] ?? 0));
    throw new ManifestParseError(source, region.index, line, err.message.split('\n')[0]);
  }
  return doc;
}

function scalarValue(doc: Document, node: unknown): string | undefined {
  let n = node;
  if (isAlias(n)) {
    try {
      n = n.resolve(doc);
    } catch {
      return undefined;
    }
  }
  if (isScalar(n) && n.value !== null && n.value !== undefined && typeof n.value !== 'object') return String(n.value);
  return undefined;
}

function lastPair(map: YAMLMap, key: string): Pair | undefined {
  let found: Pair | undefined;
  for (const p of map.items) {
    const k = isScalar(p.key) ? p.key.value : p.key;
    if (k === key) found = p as Pair;
  }
  return found;
}

export function identityOf(doc: Document, map: unknown): Identity {
  if (!isMap(map)) return {};
  const id: Identity = {};
  const field = (key: string): Field | undefined => {
    const p = lastPair(map, key);
    if (!p || !p.value) return undefined;
    return { node: p.value as Node, value: scalarValue(doc, p.value) };
  };
  id.apiVersion = field('apiVersion');
  id.kind = field('kind');
  const meta = lastPair(map, 'metadata')?.value;
  if (isMap(meta)) {
    const name = lastPair(meta, 'name');
    const ns = lastPair(meta, 'namespace');
    id.name = name ? scalarValue(doc, name.value) : undefined;
    id.namespace = ns ? scalarValue(doc, ns.value) : undefined;
  }
  const items = lastPair(map, 'items')?.value;
  if (isSeq(items)) id.items = items;
  return id;
}
