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
}
