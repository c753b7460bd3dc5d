// What the rewriter reports about each document it changed (findings drive diff, JSON, audit).

export interface Finding {
  /** "manifest" or "hook:<Kind>/<hook name>". */
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
  /** Ids of every mapping walked for this finding (chains), first the one that matched. */
  via?: string[];
  /** Why the mapping applied at the target version. */
  reason?: string;
}

export interface RewriteResult {
  output: string;
  changed: boolean;
  findings: Finding[];
  /** Documents left in `output` (0 = a hook whose only document was dropped). */
  documentsLeft?: number;
  /**
   * The PodSecurityPolicy documents this rewrite parsed and changed, by region index
   * (splitRegions), each as a plain value on demand (toJS, aliases bounded): the PSP levels
   * of clean's report need not parse them again. Other parsed documents are not kept.
   */
  parsed?: Map<number, () => unknown>;
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
