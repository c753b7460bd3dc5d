// Kubernetes version strings as clusters and users write them, reduced to major.minor.
// Ordering compares major and minor as integers only: patch, pre-release and build metadata
// never matter for API availability (helm/helm-mapkubeapis#111: semver ranks
// v1.25.0-2786+abc-dirty below v1.25, so a v1.25 gate was skipped on such clusters).
import type { KubeVersion } from './types.js';

const VERSION_RE = /^v?(\d{1,4})\.(\d{1,4})\+?(?:\.(\d{1,6}))?(?:[-+][0-9A-Za-z.+_-]*)?$/;

export class KubeVersionError extends Error {
  constructor(readonly text: string) {
    super(`invalid Kubernetes version "${text}" (expected e.g. 1.25, v1.25, v1.25.16 or v1.25.16-eks-3af4770)`);
    this.name = 'KubeVersionError';
  }
}

/** Parses `1.25`, `v1.25`, `v1.25.0`, `v1.25.16-eks-3af4770`, `v1.26.3+k3s1`, `v1.25.0-2786+abc-dirty`. */
export function parseKubeVersion(text: string): KubeVersion {
  const raw = String(text).trim();
  const m = VERSION_RE.exec(raw);
  if (!m) throw new KubeVersionError(String(text));
  return { major: Number(m[1]), minor: Number(m[2]), raw };
}

/** Negative when a < b, 0 when equal in major.minor, positive when a > b. */
export function compareKubeVersions(a: KubeVersion, b: KubeVersion): number {
  return a.major - b.major || a.minor - b.minor;
}

/** Canonical short form used in output and ids: `v1.25`. */
export function formatKubeVersion(v: KubeVersion): string {
  return `v${v.major}.${v.minor}`;
}

/** True when `t` is at or past `gate`. */
export function atLeast(t: KubeVersion, gate: KubeVersion): boolean {
  return compareKubeVersions(t, gate) >= 0;
}
