// Kubernetes `Status` bodies, worded exactly like kube-apiserver's, because clients (Helm,
// psa-clean) match on code, reason and sometimes on the message text.
import type { ResourceDef } from './catalog.js';

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: Record<string, unknown>;
  code: number;
}

/** Thrown by handlers; the server turns it into a Status response. */
export class ApiError extends Error {
  constructor(readonly body: StatusBody, readonly headers: Record<string, string> = {}) {
    super(body.message ?? body.reason ?? `HTTP ${body.code}`);
  }
  get code(): number {
    return this.body.code;
  }
}

export function failure(code: number, reason: string, message: string, details?: Record<string, unknown>, metadata: Record<string, unknown> = {}): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

/** "secrets" or "podsecuritypolicies.policy": how the apiserver names a resource in messages. */
export function qualified(def: Pick<ResourceDef, 'group' | 'resource'>, group = def.group): string {
  return group ? `${def.resource}.${group}` : def.resource;
}

export const notFound = (def: ResourceDef, name: string) =>
  new ApiError(failure(404, 'NotFound', `${qualified(def)} "${name}" not found`, { name, group: def.group, kind: def.resource }));

export const namespaceNotFound = (ns: string) =>
  new ApiError(failure(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' }));

export const notServed = () =>
  new ApiError(failure(404, 'NotFound', 'the server could not find the requested resource', {}));

export const alreadyExists = (def: ResourceDef, name: string) =>
  new ApiError(failure(409, 'AlreadyExists', `${qualified(def)} "${name}" already exists`, { name, group: def.group, kind: def.resource }));

export const conflict = (def: ResourceDef, name: string) =>
  new ApiError(
    failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(def)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, {
      name, group: def.group, kind: def.resource,
    }),
  );

export const preconditionConflict = (def: ResourceDef, name: string, field: 'UID' | 'ResourceVersion', want: string, have: string) =>
  new ApiError(
    failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(def)} "${name}": Precondition failed: ${field} in precondition: ${want}, ${field} in object meta: ${have}`, {
      name, group: def.group, kind: def.resource,
    }),
  );

export const badRequest = (message: string) => new ApiError(failure(400, 'BadRequest', message));

// One cause prints bare, several in brackets, as apimachinery's ErrorList does.
export const invalid = (def: ResourceDef, name: string, causes: Array<{ field: string; message: string }>) =>
  new ApiError(
    failure(422, 'Invalid', `${qualifiedKind(def)} "${name}" is invalid: ${causes.length === 1 ? `${causes[0].field}: ${causes[0].message}` : `[${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}]`}`, {
      name, group: def.group, kind: def.kind,
      causes: causes.map((c) => ({ reason: 'FieldValueInvalid', message: c.message, field: c.field })),
    }),
  );

/** "ConfigMap" or "Deployment.apps": how Invalid messages name a kind. */
function qualifiedKind(def: Pick<ResourceDef, 'group' | 'kind'>): string {
  return def.group ? `${def.kind}.${def.group}` : def.kind;
}

export const unsupportedMediaType = (ct: string) =>
  new ApiError(failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got "${ct}")`));

export const expired = (inconsistentContinue?: string) =>
  new ApiError(
    failure(
      410,
      'Expired',
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      undefined,
      inconsistentContinue ? { continue: inconsistentContinue } : {},
    ),
  );

export const unauthorized = () => new ApiError(failure(401, 'Unauthorized', 'Unauthorized'));

export function forbidden(user: string, verb: string, def: Pick<ResourceDef, 'group' | 'resource'>, namespace: string | undefined, name: string | undefined): ApiError {
  const subject = name ? `${qualified(def)} "${name}"` : qualified(def);
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  return new ApiError(
    failure(403, 'Forbidden', `${subject} is forbidden: User "${user}" cannot ${verb} resource "${def.resource}" in API group "${def.group}" ${scope}`, {
      ...(name ? { name } : {}), group: def.group, kind: def.resource,
    }),
  );
}

const REASONS: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
  409: 'Conflict', 410: 'Expired', 415: 'UnsupportedMediaType', 422: 'Invalid', 429: 'TooManyRequests',
  500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
};

/** A Status for an injected fault; wording follows the apiserver's generic errors. */
export function generic(code: number, retryAfterSeconds?: number): ApiError {
  const reason = REASONS[code] ?? 'Unknown';
  const message =
    code === 429 ? 'Too many requests, please try again later.'
      : code === 500 ? 'Internal error occurred: injected fault'
        : code === 503 ? 'The server is currently unable to handle the request'
          : code === 409 ? 'Operation cannot be fulfilled: injected conflict'
            : `injected fault ${code}`;
  const details = retryAfterSeconds !== undefined ? { retryAfterSeconds } : undefined;
  const headers: Record<string, string> = retryAfterSeconds !== undefined ? { 'Retry-After': String(retryAfterSeconds) } : {};
  return new ApiError(failure(code, reason, message, details), headers);
}

export function success(def: ResourceDef, name: string, uid?: string): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: def.group, kind: def.resource, ...(uid ? { uid } : {}) }, code: 200 };
}
