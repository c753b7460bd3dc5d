// A stream split into parsed documents with their offsets and identity (for the audit and
// anyone else who needs every document, not only the ones a mapping could match).
import { type Document } from 'yaml';
import { identityOf, parseRegion, PARSE_OPTIONS } from './document.js';
import { splitRegions } from './split.js';

export interface ManifestDocument {
  index: number;
  /** Offsets in the stream: [start, end) covers the `---` line, comments and the document. */
  start: number;
  end: number;
  text: string;
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  /** The parsed document (source ranges relative to `text`). */
  document: Document.Parsed;
  /** Plain JS value, aliases expanded with a bound (throws on a YAML bomb). */
  toJS(): unknown;
}

/** Parses every document; throws ManifestParseError(source, index, line) on non-YAML. */
export function splitDocuments(text: string, source = 'manifest'): ManifestDocument[] {
  return splitRegions(text).map((r) => {
    const doc = parseRegion(text, r, source);
    const id = identityOf(doc, doc.contents);
    return {
      index: r.index,
      start: r.start,
      end: r.end,
      text: text.slice(r.start, r.end),
      apiVersion: id.apiVersion?.value,
      kind: id.kind?.value,
      name: id.name,
      namespace: id.namespace,
      document: doc,
      toJS: () => doc.toJS({ maxAliasCount: PARSE_OPTIONS.maxAliasCount }),
    };
  });
}
