// Generic CRUD for every served resource: get, list (list.ts), watch (watch.ts), create,
// update, patch, delete, deletecollection. One implementation for all kinds; kind-specific
// behaviour lives in readiness.ts/controllers.ts (status, ReplicaSets) and normalise() below.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type ResourceDef, gvString, storageGroupOf } from './catalog.js';
import { decodeBody, mediaType } from './body.js';
import { applyConfig, jsonPatch, mergePatch, strategicMerge } from './patch.js';
import type { Pager } from './paging.js';
import { listResponse, selectorFilter } from './list.js';
import {
  alreadyExists, badRequest, conflict, failure, ApiError, invalid, namespaceNotFound, notFound, preconditionConflict, success,
} from './status.js';
import { bucketOf, type Store, type StoredRecord } from './store.js';
import { partialMetadata, present, wantsPartial } from './view.js';
import { validate } from './validation.js';
import { checkWatch, serveWatch } from './watch.js';
import type { KubeObject } from './types.js';
import type { WatchListMode } from './watchlist.js';

export interface ResourceRequest {
  method: string;
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: Record<string, string>;
  body: Buffer;
  contentType?: string;
  accept?: string;
}

export interface ResourceEnv {
  store: Store;
  paging: Pager;
  watchListMode: WatchListMode;
}

export type Outcome = { status: number; body: unknown } | { streamed: true };

const SUPPORTED_SUBRESOURCES = new Set(['status']);

export function handleResource(env: ResourceEnv, req: ResourceRequest, res: ServerResponse, onBytes: (n: number) => void): Outcome {
  const { def } = req;
  if (def.namespaced === false && req.namespace !== undefined) throw new ApiError(failure(404, 'NotFound', 'the server could not find the requested resource'));
  if (req.subresource && !SUPPORTED_SUBRESOURCES.has(req.subresource)) throw new ApiError(failure(404, 'NotFound', 'the server could not find the requested resource'));
  const bucket = bucketOf(storageGroupOf(def), def.resource);
  const ns = def.namespaced ? req.namespace ?? '' : '';

  switch (req.method) {
    case 'GET':
    case 'HEAD': {
      if (req.query.watch === 'true' || req.query.watch === '1') {
        const w = { def, namespace: def.namespaced ? req.namespace : undefined, filter: selectorFilter(req.query), query: req.query, watchListMode: env.watchListMode };
        checkWatch(w);
        serveWatch(env.store, w, res, onBytes);
        return { streamed: true };
      }
      if (req.name) {
        const rec = mustGet(env.store, bucket, ns, req.name, def);
        return { status: 200, body: wantsPartial(req.accept) ? partialMetadata(rec.obj) : present(rec.obj, def) };
      }
      return { status: 200, body: listResponse(env.store, env.paging, req, bucket) };
    }
    case 'POST':
      if (req.name) throw new ApiError(failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
      return create(env, req, bucket, ns);
    case 'PUT':
      return update(env, req, bucket, ns);
    case 'PATCH':
      return patch(env, req, bucket, ns);
    case 'DELETE':
      return req.name ? remove(env, req, bucket, ns) : removeCollection(env, req, bucket);
    default:
      throw new ApiError(failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
  }
}

function mustGet(store: Store, bucket: string, ns: string, name: string, def: ResourceDef): StoredRecord {
  const rec = store.get(bucket, ns, name);
  if (!rec) throw notFound(def, name);
  return rec;
}

function readObject(req: ResourceRequest): KubeObject {
  const obj = decodeBody(req.body, req.contentType);
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest('the request body must be a JSON object');
  return obj;
}

/** Server-side normalisation every real apiserver applies on write. */
function normalise(def: ResourceDef, obj: KubeObject, ns: string): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  const out: KubeObject = { apiVersion: gvString(def.group, def.version), kind: def.kind, ...rest, metadata: { ...(obj.metadata ?? {}) } };
  if (def.namespaced) out.metadata.namespace = ns;
  else delete out.metadata.namespace;
  delete out.metadata.managedFields;
  delete out.metadata.selfLink;
  if (def.kind === 'Secret' && out.stringData) {
    // stringData is write-only: folded into data, never stored.
    out.data = { ...(out.data ?? {}) };
    for (const [k, v] of Object.entries(out.stringData as Record<string, string>)) out.data[k] = Buffer.from(v, 'utf8').toString('base64');
    delete out.stringData;
  }
  if (def.kind === 'Secret' && !out.type) out.type = 'Opaque';
  return out;
}

function checkKind(def: ResourceDef, obj: KubeObject): void {
  if (obj.kind && obj.kind !== def.kind) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${gvString(def.group, def.version)})`);
  }
}

function checkNamespace(env: ResourceEnv, def: ResourceDef, ns: string): void {
  if (def.namespaced && !env.store.get('/namespaces', '', ns)) throw namespaceNotFound(ns);
}

const isDryRun = (q: Record<string, string>) => q.dryRun === 'All';

function create(env: ResourceEnv, req: ResourceRequest, bucket: string, ns: string): Outcome {
  const { def } = req;
  const body = readObject(req);
  checkKind(def, body);
  if (def.namespaced && body.metadata?.namespace && body.metadata.namespace !== ns) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const obj = normalise(def, body, ns);
  if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = `${obj.metadata.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
  if (!obj.metadata.name) throw invalid(def, '', [{ field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
  delete obj.metadata.resourceVersion;
  checkNamespace(env, def, ns);
  if (env.store.get(bucket, ns, obj.metadata.name)) throw alreadyExists(def, obj.metadata.name);
  return commit(env, req, bucket, undefined, obj);
}

/** Validates and stores (create when `prev` is absent), or only answers under dryRun=All. */
function commit(env: ResourceEnv, req: ResourceRequest, bucket: string, prev: StoredRecord | undefined, obj: KubeObject, applied?: Record<string, KubeObject>): Outcome {
  const { def } = req;
  validate(def, obj);
  const status = prev ? 200 : 201;
  if (isDryRun(req.query)) return { status, body: present(obj, def) };
  const rec = prev ? env.store.update(bucket, prev, obj, applied) : env.store.create(bucket, obj, applied);
  return { status, body: present(rec.obj, def) };
}

/** The status subresource: only .status of the sent object counts. */
function commitStatus(env: ResourceEnv, req: ResourceRequest, bucket: string, prev: StoredRecord, obj: KubeObject): Outcome {
  const merged = { ...prev.obj, status: obj.status };
  return { status: 200, body: present(isDryRun(req.query) ? merged : env.store.update(bucket, prev, merged).obj, req.def) };
}

function update(env: ResourceEnv, req: ResourceRequest, bucket: string, ns: string): Outcome {
  const { def } = req;
  if (!req.name) throw new ApiError(failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
  const body = readObject(req);
  checkKind(def, body);
  if (body.metadata?.name && body.metadata.name !== req.name) throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${req.name})`);
  const prev = mustGet(env.store, bucket, ns, req.name, def);
  const obj = normalise(def, { ...body, metadata: { ...body.metadata, name: req.name } }, ns);
  // An update without resourceVersion is unconditional (Helm's storage relies on that).
  const wanted = obj.metadata.resourceVersion;
  if (wanted && wanted !== prev.obj.metadata.resourceVersion) throw conflict(def, req.name);
  if (req.subresource === 'status') return commitStatus(env, req, bucket, prev, obj);
  return commit(env, req, bucket, prev, obj);
}

function patch(env: ResourceEnv, req: ResourceRequest, bucket: string, ns: string): Outcome {
  const { def } = req;
  if (!req.name) throw new ApiError(failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
  const mt = mediaType(req.contentType);
  const patchBody = decodeBody(req.body, mt === 'application/apply-patch+yaml' ? 'application/yaml' : 'application/json');
  const prev = env.store.get(bucket, ns, req.name);

  if (mt === 'application/apply-patch+yaml') {
    const manager = req.query.fieldManager;
    if (!manager) throw badRequest('PATCH requests with apply content type require fieldManager');
    if (!patchBody || typeof patchBody !== 'object') throw badRequest('apply patch must be an object');
    checkKind(def, patchBody);
    if (patchBody.metadata?.name && patchBody.metadata.name !== req.name) throw badRequest(`the name of the object (${patchBody.metadata.name}) does not match the name on the URL (${req.name})`);
    const config = structuredClone(patchBody);
    if (!prev) {
      checkNamespace(env, def, ns);
      const obj = normalise(def, { ...applyConfig({}, config, undefined), metadata: { ...config.metadata, name: req.name } }, ns);
      return commit(env, req, bucket, undefined, obj, { [manager]: config });
    }
    const merged = normalise(def, applyConfig(prev.obj, config, prev.applied?.[manager]), ns);
    merged.metadata.name = req.name;
    if (config.metadata?.resourceVersion && config.metadata.resourceVersion !== prev.obj.metadata.resourceVersion) throw conflict(def, req.name);
    return commit(env, req, bucket, prev, merged, { ...prev.applied, [manager]: config });
  }

  if (!prev) throw notFound(def, req.name);
  let next: KubeObject;
  switch (mt) {
    case 'application/merge-patch+json':
      next = mergePatch(prev.obj, patchBody);
      break;
    case 'application/strategic-merge-patch+json':
      next = strategicMerge(prev.obj, patchBody);
      break;
    case 'application/json-patch+json':
      next = jsonPatch(prev.obj, patchBody);
      break;
    default:
      throw new ApiError(failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`));
  }
  const wanted = next.metadata?.resourceVersion;
  if (wanted && wanted !== prev.obj.metadata.resourceVersion) throw conflict(def, req.name);
  const obj = normalise(def, { ...next, metadata: { ...next.metadata, name: req.name } }, ns);
  if (req.subresource === 'status') return commitStatus(env, req, bucket, prev, obj);
  return commit(env, req, bucket, prev, obj);
}

function deleteOptions(req: ResourceRequest): KubeObject {
  const body = req.body.length ? decodeBody(req.body, req.contentType) : undefined;
  return body && typeof body === 'object' ? body : {};
}

function remove(env: ResourceEnv, req: ResourceRequest, bucket: string, ns: string): Outcome {
  const { def } = req;
  const opts = deleteOptions(req);
  const prev = mustGet(env.store, bucket, ns, req.name!, def);
  const pre = opts.preconditions ?? {};
  if (pre.uid && pre.uid !== prev.obj.metadata.uid) throw preconditionConflict(def, req.name!, 'UID', pre.uid, prev.obj.metadata.uid);
  if (pre.resourceVersion && pre.resourceVersion !== prev.obj.metadata.resourceVersion) {
    throw preconditionConflict(def, req.name!, 'ResourceVersion', pre.resourceVersion, prev.obj.metadata.resourceVersion);
  }
  if (isDryRun(req.query) || (Array.isArray(opts.dryRun) && opts.dryRun.includes('All'))) return { status: 200, body: success(def, req.name!, prev.obj.metadata.uid) };
  if (def.kind === 'Namespace') deleteNamespaceContents(env.store, req.name!);
  env.store.delete(bucket, prev);
  return { status: 200, body: success(def, req.name!, prev.obj.metadata.uid) };
}

/** Namespace deletion: a real cluster finalizes asynchronously; kube-sim empties it at once. */
function deleteNamespaceContents(store: Store, ns: string): void {
  for (const b of store.bucketNames()) {
    for (const rec of store.list(b, ns)) store.delete(b, rec);
  }
}

function removeCollection(env: ResourceEnv, req: ResourceRequest, bucket: string): Outcome {
  const { def } = req;
  const filter = selectorFilter(req.query);
  const victims = env.store.list(bucket, def.namespaced ? req.namespace : undefined).filter((r) => filter(r.obj));
  const items = victims.map((r) => present(isDryRun(req.query) ? r.obj : env.store.delete(bucket, r), def));
  return { status: 200, body: { kind: `${def.kind}List`, apiVersion: gvString(def.group, def.version), metadata: { resourceVersion: String(env.store.resourceVersion) }, items } };
}
