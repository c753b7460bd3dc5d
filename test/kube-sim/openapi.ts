// Minimal OpenAPI v3: an index of served group-versions and, per group-version, one path
// item per resource whose PATCH operation declares the `fieldValidation` query parameter.
// That is all client-go's validation needs to decide "the server validates fields" and skip
// client-side schema checks (helm-api-traffic.md §6). No schemas are served.
import { createHash } from 'node:crypto';
import type { Profile } from './profile.js';

function docPath(gv: string): string {
  return gv.includes('/') ? `apis/${gv}` : `api/${gv}`;
}

function hashOf(p: Profile, gv: string): string {
  return createHash('sha512').update(`${p.gitVersion}:${gv}`).digest('hex').slice(0, 128).toUpperCase();
}

export function openapiIndex(p: Profile): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of p.byGroupVersion.keys()) {
    paths[docPath(gv)] = { serverRelativeURL: `/openapi/v3/${docPath(gv)}?hash=${hashOf(p, gv)}` };
  }
  return { paths };
}

/** The document for "api/v1" or "apis/g/v"; undefined when that group-version is not served. */
export function openapiDocument(p: Profile, docKey: string): object | undefined {
  const gv = docKey.startsWith('api/') ? docKey.slice(4) : docKey.startsWith('apis/') ? docKey.slice(5) : undefined;
  const defs = gv ? p.byGroupVersion.get(gv) : undefined;
  if (!gv || !defs) return undefined;
  const [group, version] = gv.includes('/') ? gv.split('/') : ['', gv];
  const paths: Record<string, object> = {};
  for (const d of defs) {
    const base = `/${docPath(gv)}${d.namespaced ? '/namespaces/{namespace}' : ''}/${d.resource}/{name}`;
    const gvk = { group, version, kind: d.kind };
    const params = [
      { name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } },
      ...(d.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }] : []),
    ];
    const op = (verb: string, extra: object[] = []) => ({
      operationId: `${verb}${d.kind}`,
      parameters: extra,
      responses: { '200': { description: 'OK' } },
      'x-kubernetes-action': verb,
      'x-kubernetes-group-version-kind': gvk,
    });
    const q = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });
    paths[base] = {
      get: op('get'),
      put: op('put', [q('dryRun'), q('fieldManager'), q('fieldValidation')]),
      patch: op('patch', [q('dryRun'), q('fieldManager'), q('fieldValidation'), { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } }]),
      delete: op('delete'),
      parameters: params,
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: p.gitVersion },
    paths,
    components: { schemas: {} },
  };
}
