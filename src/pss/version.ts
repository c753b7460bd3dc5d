// Policy versions as the PodSecurity admission plugin understands them: "latest" or "v1.x"
// (upstream api.ParseVersion), and the mapping from a Kubernetes release to the version its
// API server evaluates by default.

export interface PolicyVersion {
  readonly major: number;
  readonly minor: number;
  /** latest => major/minor are the newest policy version this engine knows. */
  readonly latest: boolean;
}

export class PssVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PssVersionError';
  }
}

/**
 * The newest policy version any check changes at (upstream's registry maxVersion). Later
 * versions evaluate exactly as this one. test/pss/registry.test.ts ties it to the checks.
 */
export const NEWEST_KNOWN: PolicyVersion = Object.freeze({ major: 1, minor: 37, latest: false });

export const LATEST: PolicyVersion = Object.freeze({ major: NEWEST_KNOWN.major, minor: NEWEST_KNOWN.minor, latest: true });

// Same grammar as upstream: "v1." then 0 or a number without a leading zero; nothing around it.
const POLICY_VERSION = /^v1\.(0|[1-9][0-9]*)$/;
// Upstream converts with strconv.Atoi (64-bit): a minor beyond int64 is rejected, not wrapped.
const INT64_MAX = 9223372036854775807n;

export function parsePolicyVersion(text: string): PolicyVersion {
  if (text === 'latest') return LATEST;
  const match = typeof text === 'string' ? POLICY_VERSION.exec(text) : null;
  if (!match || BigInt(match[1]) > INT64_MAX) {
    throw new PssVersionError(`invalid Pod Security policy version ${JSON.stringify(text)}: must be "latest" or "v1.x"`);
  }
  // Minors past JavaScript's safe integers are all "newer than known"; they evaluate as latest.
  const minor = Math.min(Number(match[1]), Number.MAX_SAFE_INTEGER);
  return { major: 1, minor, latest: false };
}

export function formatPolicyVersion(v: PolicyVersion): string {
  return v.latest ? 'latest' : `v${v.major}.${v.minor}`;
}

/**
 * The policy version the API server of a Kubernetes release evaluates: its own major.minor.
 * Accepts what clusters report: "v1.25.16", "1.25", "v1.27.3-eks-a5565ad", GKE's minor "25+".
 */
export function policyVersionForKube(kubeVersion: string): PolicyVersion {
  const match = typeof kubeVersion === 'string' ? /^v?(\d+)\.(\d+)(?:[.+-].*)?$/.exec(kubeVersion.trim()) : null;
  if (!match) {
    throw new PssVersionError(`invalid Kubernetes version ${JSON.stringify(kubeVersion)}: expected MAJOR.MINOR[.PATCH], e.g. v1.25.16`);
  }
  return { major: Number(match[1]), minor: Number(match[2]), latest: false };
}

/** a < b in upstream's order: latest is newer than every numbered version. */
export function olderThan(a: PolicyVersion, b: PolicyVersion): boolean {
  if (a.latest) return false;
  if (b.latest) return true;
  return a.major !== b.major ? a.major < b.major : a.minor < b.minor;
}

export function v(major: number, minor: number): PolicyVersion {
  return { major, minor, latest: false };
}
