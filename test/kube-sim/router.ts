// Turns a request path into what it addresses. Pure: no profile or store knowledge, so the
// same parse serves discovery, authorization (verb + resource) and the handlers.

export type Route =
  | { type: 'version' }
  | { type: 'health' }
  | { type: 'api' }
  | { type: 'apis' }
  | { type: 'apiGroup'; group: string }
  | { type: 'apiResources'; group: string; version: string }
  | { type: 'openapiIndex' }
  | { type: 'openapiDoc'; key: string }
  | { type: 'openapiV2' }
  | { type: 'resource'; group: string; version: string; resource: string; namespace?: string; name?: string; subresource?: string }
  | { type: 'admin'; action: string }
  | { type: 'unknown' };

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function route(path: string): Route {
  if (path === '/version' || path === '/version/') return { type: 'version' };
  if (/^\/(healthz|readyz|livez)(\/.*)?$/.test(path)) return { type: 'health' };
  if (path.startsWith('/__sim/')) return { type: 'admin', action: path.slice('/__sim/'.length) };
  if (path === '/openapi/v3' || path === '/openapi/v3/') return { type: 'openapiIndex' };
  if (path.startsWith('/openapi/v3/')) return { type: 'openapiDoc', key: path.slice('/openapi/v3/'.length) };
  if (path === '/openapi/v2' || path === '/swagger.json') return { type: 'openapiV2' };

  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { type: 'api' };
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { type: 'apis' };
    if (parts.length === 2) return { type: 'apiGroup', group: parts[1] };
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else return { type: 'unknown' };

  if (rest.length === 0) return { type: 'apiResources', group, version };
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2]))) {
    const [, namespace, resource, name, subresource, ...extra] = rest;
    if (extra.length) return { type: 'unknown' };
    return { type: 'resource', group, version, resource, namespace, name, subresource };
  }
  const [resource, name, subresource, ...extra] = rest;
  if (extra.length) return { type: 'unknown' };
  return { type: 'resource', group, version, resource, name, subresource };
}

/** Kubernetes authorization verb of a resource request. */
export function verbOf(method: string, r: Extract<Route, { type: 'resource' }>, query: Record<string, string>): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (query.watch === 'true' || query.watch === '1') return 'watch';
      return r.name ? 'get' : 'list';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return r.name ? 'delete' : 'deletecollection';
    default: return method.toLowerCase();
  }
}
