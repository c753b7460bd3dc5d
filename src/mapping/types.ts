// The mapping table: which apiVersion/kind pairs a cluster version no longer serves, and
// what replaces them (or that nothing does, so the document must go).

/** A Kubernetes version reduced to what ordering needs: major.minor (see deprecations.md §3). */
export interface KubeVersion {
  major: number;
  minor: number;
  /** The text it was parsed from, e.g. "v1.25.16-eks-3af4770". */
  raw: string;
}

export interface ApiRef {
  apiVersion: string; // "policy/v1beta1", "v1"
  kind: string; // "PodSecurityPolicy"
}

export interface Mapping {
  /** Stable id, e.g. "policy/v1beta1/PodSecurityPolicy". */
  id: string;
  deprecated: ApiRef;
  /** The final successor (chains resolved); null = no successor, drop the document. */
  replacement: ApiRef | null;
  deprecatedIn?: KubeVersion;
  removedIn?: KubeVersion;
  /** First version where the replacement is served. */
  replacementAvailableIn?: KubeVersion;
  /** Spec changes a rename does not perform (warnings in findings). */
  notes: string[];
  /** Where the entry came from: "builtin", or a mapfile path. */
  source: string;
  /** Switched off by an extra mapfile. */
  disabled?: boolean;
  /** The direct successor as the mapfile wrote it (one step; `replacement` is the end of the chain). */
  next?: ApiRef | null;
  /** The mappings that follow `next` in the table, in chain order (target-aware resolution walks them). */
  chain?: MappingStep[];
  /** Which mapfile format the entry came from. */
  format?: 'psa-clean' | 'mapkubeapis';
}

/** One later link of a chained rename (e.g. flowcontrol v1beta2 -> v1beta3 -> v1). */
export interface MappingStep {
  id: string;
  deprecated: ApiRef;
  next: ApiRef | null;
  deprecatedIn?: KubeVersion;
  removedIn?: KubeVersion;
  replacementAvailableIn?: KubeVersion;
  notes: string[];
}

export interface MappingTable {
  entries: Mapping[];
  /** The enabled entry for an exact apiVersion + kind, if any. */
  lookup(apiVersion: string, kind: string): Mapping | undefined;
}

/** Whether a mapping fires at a target version, and why (for output). */
export interface Applicability {
  applies: boolean;
  /** True when it applies only because pre-cleaning was asked for (--kube-version before removal). */
  early: boolean;
  reason: string;
  /** True when the target is at or past removedIn (the API is gone there). */
  necessary?: boolean;
  /** The successor chosen for this target after walking the chain; null = drop the document. */
  replacement?: ApiRef | null;
  /** Ids of every mapping walked, first the matched one. */
  via?: string[];
  /** Notes of every mapping walked (spec changes the rename does not make). */
  notes?: string[];
}
