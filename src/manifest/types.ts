// What the rewriter reports about each document it changed (findings drive diff, JSON, audit).

export interface Finding {
  /** "manifest" or "hook:<hook name>". */
  source: string;
  /** 0-based index of the YAML document in its stream. */
  docIndex: number;
  /** For items inside a `kind: List`, the item index. */
  itemIndex?: number;
  kind: string;
  name: string;
  namespace: string;
  oldApiVersion: string;
  /** null when the document was removed. */
  newApiVersion: string | null;
  action: 'renamed' | 'removed';
  mappingId: string;
  /** Applied before the cluster removes the API (pre-clean with --kube-version). */
  early: boolean;
  warnings: string[];
}

export interface RewriteResult {
  output: string;
  changed: boolean;
  findings: Finding[];
}

export class ManifestParseError extends Error {
  constructor(
    readonly source: string,
    readonly docIndex: number,
    readonly line: number,
    message: string,
  ) {
    super(`${source}: document ${docIndex} (line ${line}): ${message}`);
    this.name = 'ManifestParseError';
  }
}
