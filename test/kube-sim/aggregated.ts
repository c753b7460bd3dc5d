// Aggregated discovery (APIGroupDiscoveryList): one document for /api and one for /apis
// listing every served resource, which lets clients skip the per-group-version requests.
// Real servers serve it from 1.27 (apidiscovery.k8s.io/v2beta1; v2 from 1.30; v2beta1 gone
// in 1.33), and only to
// clients that ask for it in Accept; older servers answer the legacy documents.
import type { ResourceDef } from './catalog.js';
import { VERBS } from './catalog.js';
import type { Profile } from './profile.js';

export type DiscoveryVersion = 'v2' | 'v2beta1';

/** The aggregated format to answer with, or undefined for legacy discovery. */
export function negotiateAggregated(p: Profile, accept: string | undefined): DiscoveryVersion | undefined {
  if (!accept || p.minorNumber < 27) return undefined;
  const offered = accept.split(',').flatMap((alt) => {
    const params = new Map(alt.split(';').slice(1).map((kv) => kv.trim().split('=') as [string, string]));
    return params.get('as') === 'APIGroupDiscoveryList' && params.get('g') === 'apidiscovery.k8s.io' ? [params.get('v')] : [];
  });
  // v2 arrived in 1.30; v2beta1 stopped being served in 1.33 (AggregatedDiscoveryRemoveBetaType).
  const served: DiscoveryVersion[] = p.minorNumber >= 33 ? ['v2'] : p.minorNumber >= 30 ? ['v2', 'v2beta1'] : ['v2beta1'];
  return served.find((v) => offered.includes(v));
}

export function aggregatedContentType(v: DiscoveryVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`;
}

function resources(defs: ResourceDef[]): object[] {
  return defs.map((d) => ({
    resource: d.resource,
    responseKind: { group: d.group, version: d.version, kind: d.kind },
    scope: d.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: d.singular,
    verbs: VERBS,
    ...(d.shortNames ? { shortNames: d.shortNames } : {}),
  }));
}

/** The document for /api (`core`) or /apis. */
export function aggregatedDiscovery(p: Profile, core: boolean, v: DiscoveryVersion): object {
  const items = core
    ? [{ metadata: { creationTimestamp: null }, versions: [{ version: 'v1', resources: resources(p.byGroupVersion.get('v1') ?? []), freshness: 'Current' }] }]
    : p.groups.map((g) => ({
        metadata: { name: g.name, creationTimestamp: null },
        versions: g.versions.map((version) => ({ version, resources: resources(p.byGroupVersion.get(`${g.name}/${version}`) ?? []), freshness: 'Current' })),
      }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${v}`, metadata: {}, items };
}
