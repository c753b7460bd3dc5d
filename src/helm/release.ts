// The release as Helm stores it: a generic JSON object (kept whole, so unknown fields
// survive), plus a small typed view of the fields psa-clean reads and writes.

export type ReleaseJson = Record<string, unknown>;

export const RELEASE_STATUSES = [
  'unknown', 'deployed', 'uninstalled', 'superseded', 'failed', 'uninstalling',
  'pending-install', 'pending-upgrade', 'pending-rollback',
] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

export interface HookView {
  name: string;
  kind: string;
  path: string;
  manifest: string;
  events: string[];
}

function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Read-only accessors; every write goes through withChanges() so nothing else is touched. */
export const releaseView = {
  name: (r: ReleaseJson): string => str(r.name),
  namespace: (r: ReleaseJson): string => str(r.namespace),
  version: (r: ReleaseJson): number => (typeof r.version === 'number' ? r.version : NaN),
  status: (r: ReleaseJson): string => str(obj(r.info).status),
  description: (r: ReleaseJson): string => str(obj(r.info).description),
  manifest: (r: ReleaseJson): string => str(r.manifest),
  chartName: (r: ReleaseJson): string => str(obj(obj(r.chart).metadata).name),
  chartVersion: (r: ReleaseJson): string => str(obj(obj(r.chart).metadata).version),
  config: (r: ReleaseJson): Record<string, unknown> => obj(r.config),
  hooks: (r: ReleaseJson): HookView[] =>
    (Array.isArray(r.hooks) ? r.hooks : []).map((h) => {
      const o = obj(h);
      return {
        name: str(o.name), kind: str(o.kind), path: str(o.path), manifest: str(o.manifest),
        events: Array.isArray(o.events) ? o.events.map(String) : [],
      };
    }),
};

export interface ReleaseChanges {
  version?: number;
  status?: ReleaseStatus;
  description?: string;
  lastDeployed?: string;
  manifest?: string;
  /** New hooks array content: index into the original hooks + new manifest; omitted hooks are dropped. */
  hooks?: Array<{ index: number; manifest: string }>;
}

/**
 * Returns a deep copy of `release` with only the named fields changed. Key order of the
 * original object is kept (JSON.stringify writes keys in insertion order).
 */
export function withChanges(release: ReleaseJson, changes: ReleaseChanges): ReleaseJson {
  const copy = structuredClone(release);
  if (changes.version !== undefined) copy.version = changes.version;
  if (changes.manifest !== undefined) copy.manifest = changes.manifest;
  const info = obj(copy.info);
  if (changes.status !== undefined) info.status = changes.status;
  if (changes.description !== undefined) info.description = changes.description;
  if (changes.lastDeployed !== undefined) info.last_deployed = changes.lastDeployed;
  if (copy.info !== undefined || Object.keys(info).length > 0) copy.info = info;
  if (changes.hooks !== undefined) {
    const original = Array.isArray(copy.hooks) ? copy.hooks : [];
    copy.hooks = changes.hooks.map(({ index, manifest }) => ({ ...obj(original[index]), manifest }));
  }
  return copy;
}
