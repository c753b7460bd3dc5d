// What the labels (or SQL columns) of one stored revision say: enough to choose revisions
// the way Helm does without decoding any body.

export interface ReleaseHead {
  name: string;
  namespace: string;
  revision: number;
  /** The `status` label / column. */
  status: string;
  /** Storage key: `sh.helm.release.v1.<name>.v<revision>`. */
  key: string;
  /** Optimistic-concurrency token: Kubernetes resourceVersion, or a digest of the SQL row. */
  resourceVersion: string;
  /** Every storage label, system and custom. */
  labels: Record<string, string>;
}
