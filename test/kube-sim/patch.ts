// PATCH semantics: JSON merge patch (RFC 7386), strategic merge patch (merge keys for the
// well-known lists, $patch/$setElementOrder/$retainKeys/$deleteFromPrimitiveList directives),
// JSON patch (RFC 6902) and server-side apply approximated by "apply the configuration,
// and drop fields this manager applied last time but no longer sets" (no managedFields, so
// no conflict detection between managers).
import { badRequest } from './status.js';

type Json = any;
const isObj = (v: unknown): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return structuredClone(patch);
  const out: Record<string, Json> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

// patchMergeKey of list fields in k8s.io/api (by field name; the values agree across kinds).
const MERGE_KEYS: Record<string, string | ((item: Json) => string)> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  conditions: 'type',
  ownerReferences: 'uid',
  // Container ports merge on containerPort, Service ports on port.
  ports: (item) => ('containerPort' in item ? 'containerPort' : 'port'),
};
// List fields whose strategy is "merge" of primitives (a set), not "replace".
const PRIMITIVE_MERGE = new Set(['finalizers']);

function keyFor(field: string, item: Json): string | undefined {
  const k = MERGE_KEYS[field];
  return typeof k === 'function' ? (isObj(item) ? k(item) : undefined) : k;
}

function smpList(field: string, target: Json, patch: Json[], order?: Json[]): Json[] {
  const base = Array.isArray(target) ? [...target] : [];
  if (patch.some((p) => isObj(p) && p.$patch === 'replace')) return patch.filter((p) => !(isObj(p) && p.$patch === 'replace'));
  if (PRIMITIVE_MERGE.has(field)) return [...new Set([...base, ...patch])];
  const sample = patch.find(isObj) ?? base.find(isObj);
  const mk = sample ? keyFor(field, sample) : undefined;
  if (!mk) return structuredClone(patch); // atomic list: replace
  let out = base;
  for (const item of patch) {
    if (!isObj(item)) continue;
    const idx = out.findIndex((b) => isObj(b) && b[mk] === item[mk]);
    if (item.$patch === 'delete') {
      if (idx >= 0) out = out.filter((_, i) => i !== idx);
    } else if (idx >= 0) out[idx] = strategicMerge(out[idx], item);
    else out.push(strategicMerge({}, item));
  }
  if (order) {
    const pos = (x: Json) => order.findIndex((o) => isObj(o) && isObj(x) && o[mk] === x[mk]);
    out = [...out].sort((a, b) => (pos(a) < 0 ? Infinity : pos(a)) - (pos(b) < 0 ? Infinity : pos(b)));
  }
  return out;
}

export function strategicMerge(target: Json, patch: Json): Json {
  if (!isObj(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return strategicMerge({}, rest);
  }
  if (patch.$patch === 'delete') return undefined;
  let out: Record<string, Json> = isObj(target) ? { ...target } : {};
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set<string>(patch.$retainKeys);
    out = Object.fromEntries(Object.entries(out).filter(([k]) => keep.has(k)));
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) {
      const m = /^\$deleteFromPrimitiveList\/(.+)$/.exec(k);
      if (m && Array.isArray(out[m[1]]) && Array.isArray(v)) out[m[1]] = out[m[1]].filter((x: Json) => !v.includes(x));
      continue;
    }
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = smpList(k, out[k], v, patch[`$setElementOrder/${k}`]);
    else if (isObj(v)) {
      const merged = strategicMerge(out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else out[k] = v;
  }
  return out;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`invalid JSON pointer "${path}"`);
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** RFC 6902 JSON patch (kubectl patch --type json). */
export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw badRequest('json patch must be an array of operations');
  let doc = structuredClone(target);
  const get = (segs: string[]) => segs.reduce((c, s) => (c == null ? undefined : c[s]), doc);
  for (const op of ops) {
    const segs = pointer(op.path);
    const parent = get(segs.slice(0, -1));
    const last = segs[segs.length - 1];
    switch (op.op) {
      case 'add':
      case 'replace':
        if (segs.length === 0) { doc = structuredClone(op.value); break; }
        if (Array.isArray(parent)) {
          const i = last === '-' ? parent.length : Number(last);
          if (op.op === 'add') parent.splice(i, 0, structuredClone(op.value));
          else parent[i] = structuredClone(op.value);
        } else if (isObj(parent)) parent[last] = structuredClone(op.value);
        else throw badRequest(`json patch: path "${op.path}" not found`);
        break;
      case 'remove':
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else if (isObj(parent) && last in parent) delete parent[last];
        else throw badRequest(`json patch: path "${op.path}" not found`);
        break;
      case 'test':
        if (JSON.stringify(get(segs)) !== JSON.stringify(op.value)) throw badRequest(`json patch: test failed at "${op.path}"`);
        break;
      default:
        throw badRequest(`json patch: unsupported op "${op.op}"`);
    }
  }
  return doc;
}

/** Removes from `live` the fields present in `prev` (last applied) but absent from `next`. */
function prune(live: Json, prev: Json, next: Json): Json {
  if (!isObj(live) || !isObj(prev)) return live;
  const out = { ...live };
  for (const k of Object.keys(prev)) {
    if (!isObj(next) || !(k in next)) delete out[k];
    else if (isObj(prev[k]) && isObj(next[k])) out[k] = prune(out[k], prev[k], next[k]);
  }
  return out;
}

/** Applies a configuration over the live object; lists are treated as atomic. */
export function applyConfig(live: Json, config: Json, previousApplied: Json | undefined): Json {
  const pruned = previousApplied ? prune(live, previousApplied, config) : live;
  return applyMerge(pruned, config);
}

function applyMerge(live: Json, config: Json): Json {
  if (!isObj(config)) return structuredClone(config);
  const out: Record<string, Json> = isObj(live) ? { ...live } : {};
  for (const [k, v] of Object.entries(config)) {
    if (v === null) delete out[k];
    else out[k] = applyMerge(out[k], v);
  }
  return out;
}
