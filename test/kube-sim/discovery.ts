// Legacy discovery documents (/api, /apis, /api/v1, /apis/G, /apis/G/V) built from the
// active profile. Clients accept them even when they asked for aggregated discovery
// (helm-api-traffic.md §5); aggregated.ts serves that where the version has it.
import { VERBS, gvString } from './catalog.js';
import type { Profile } from './profile.js';

const ADDRESSES = [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }];

export function apiVersions(): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: ADDRESSES };
}

function groupDoc(g: { name: string; versions: string[] }): object {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}

export function apiGroupList(p: Profile): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: p.groups.map(groupDoc) };
}

export function apiGroup(p: Profile, group: string): object | undefined {
  const g = p.groups.find((x) => x.name === group);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g) } : undefined;
}

export function apiResourceList(p: Profile, group: string, version: string): object | undefined {
  const gv = gvString(group, version);
  const defs = p.byGroupVersion.get(gv);
  if (!defs) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: defs.map((d) => ({
      name: d.resource,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: VERBS,
      ...(d.shortNames ? { shortNames: d.shortNames } : {}),
      storageVersionHash: Buffer.from(`${gv}/${d.resource}`).toString('base64').slice(0, 11),
    })),
  };
}
