// A version profile: what one Kubernetes release reports on /version and which
// group-versions it serves. Switching the profile is how tests simulate a cluster upgrade.
import { CATALOG, type ResourceDef, gvString, storageGroupOf, versionPriority } from './catalog.js';

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export interface Profile {
  gitVersion: string;
  minorNumber: number;
  version: VersionInfo;
  /** Served resources, by group-version string ("v1", "apps/v1"). */
  byGroupVersion: Map<string, ResourceDef[]>;
  /** Served group names in discovery order, with their versions (preferred first). */
  groups: Array<{ name: string; versions: string[] }>;
}

const VERSION_RE = /^v?(\d+)\.(\d+)\.(\d+)(.*)$/;

/** Normalises "1.24.17" to "v1.24.17"; keeps vendor suffixes ("-eks-3af4770", "+k3s1") verbatim. */
export function normaliseGitVersion(v: string): string {
  const m = VERSION_RE.exec(v.trim());
  if (!m) throw new Error(`invalid Kubernetes version "${v}" (expected e.g. v1.24.17)`);
  return v.trim().startsWith('v') ? v.trim() : `v${v.trim()}`;
}

// Go toolchains the real releases were built with (only reported, nothing depends on them).
function goVersionFor(minor: number): string {
  if (minor >= 33) return 'go1.24.2';
  if (minor >= 30) return 'go1.22.5';
  if (minor >= 27) return 'go1.20.10';
  if (minor >= 25) return 'go1.19.13';
  return 'go1.20.10';
}

export function makeProfile(kubeVersion: string): Profile {
  const gitVersion = normaliseGitVersion(kubeVersion);
  const m = VERSION_RE.exec(gitVersion)!;
  const minorNumber = Number(m[2]);
  // EKS and GKE report minor "25+" for vendor builds; client-go and Helm accept it.
  const minor = m[4] ? `${m[2]}+` : m[2];
  const version: VersionInfo = {
    major: m[1],
    minor,
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2024-01-01T00:00:00Z',
    goVersion: goVersionFor(minorNumber),
    compiler: 'gc',
    platform: 'linux/amd64',
  };
  const byGroupVersion = new Map<string, ResourceDef[]>();
  for (const def of CATALOG) {
    if (minorNumber < def.since) continue;
    if (def.removedIn !== undefined && minorNumber >= def.removedIn) continue;
    const gv = gvString(def.group, def.version);
    const list = byGroupVersion.get(gv) ?? [];
    list.push(def);
    byGroupVersion.set(gv, list);
  }
  const groupVersions = new Map<string, string[]>();
  for (const gv of byGroupVersion.keys()) {
    if (!gv.includes('/')) continue;
    const [g, v] = gv.split('/');
    groupVersions.set(g, [...(groupVersions.get(g) ?? []), v]);
  }
  const groups = [...groupVersions.entries()].map(([name, versions]) => ({
    name,
    versions: versions.sort((a, b) => versionPriority(b) - versionPriority(a)),
  }));
  return { gitVersion, minorNumber, version, byGroupVersion, groups };
}

/** Finds the served resource for a URL; undefined means "404 not served at this version". */
export function lookup(profile: Profile, group: string, version: string, resource: string): ResourceDef | undefined {
  return profile.byGroupVersion.get(gvString(group, version))?.find((d) => d.resource === resource);
}

/**
 * The served definition to present a stored object through when no version is given
 * (admin reads): the preferred version of its storage group+resource.
 */
export function preferredDefFor(profile: Profile, storageGroup: string, resource: string): ResourceDef | undefined {
  const candidates = CATALOG.filter((d) => storageGroupOf(d) === storageGroup && d.resource === resource);
  const served = candidates.filter((d) => lookup(profile, d.group, d.version, d.resource));
  const pool = served.length ? served : candidates;
  return pool.sort((a, b) => Number(b.group === storageGroup) - Number(a.group === storageGroup) || versionPriority(b.version) - versionPriority(a.version))[0];
}
