// Validates the raw pod (parsed YAML/JSON) against schema.ts and builds the PodView the checks
// read. A pod that the API server could not decode (a list that is not a list, a string where an
// object belongs, an unknown field) cannot be judged: PodShapeError names the field and problem.
import type { PodView, PodSpecView, VolumeView } from './model.js';
import { POD_SPEC, type FieldShape, type ObjectShape } from './schema.js';

export class PodShapeError extends Error {
  constructor(
    /** Field path, e.g. spec.containers[0].securityContext */
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'PodShapeError';
  }
}

/**
 * @param base where the pod's metadata/spec live in the object the user wrote ('' for a Pod,
 * 'spec.template' for a Deployment), so that error paths point into the user's own document.
 */
export function readPod(pod: { metadata?: unknown; spec: unknown }, base = ''): PodView {
  const at = (field: string) => (base ? `${base}.${field}` : field);
  if (pod.spec === undefined || pod.spec === null) throw new PodShapeError(at('spec'), 'missing: there is no pod spec to evaluate');
  const spec = readObject(pod.spec, POD_SPEC, at('spec')) as Record<string, unknown>;
  return { annotations: readAnnotations(pod.metadata, at('metadata')), spec: toSpecView(spec, base === '') };
}

// The API server defaults an object before PodSecurity sees it; two defaults change what the
// checks find (k8s pkg/apis/core/v1 defaults.go): a volume without a source is an emptyDir
// (pods and templates alike), and in a Pod with hostNetwork every container port without a
// hostPort gets its containerPort as hostPort (in pod templates too before Kubernetes 1.28;
// since then, only in Pods, which is what this follows).
function toSpecView(spec: Record<string, unknown>, isPod: boolean): PodSpecView {
  const volumes = (spec.volumes as Record<string, unknown>[]).map((raw): VolumeView => {
    const { name, ...sources } = raw;
    const set = Object.keys(sources);
    return { name: name as string, sources: new Set(set.length > 0 ? set : ['emptyDir']) };
  });
  const view = { ...spec, volumes } as Record<string, unknown>;
  if (isPod && spec.hostNetwork === true) {
    for (const key of ['containers', 'initContainers']) {
      view[key] = (spec[key] as Record<string, unknown>[]).map((c) => ({
        ...c,
        ports: (c.ports as { hostPort: number; containerPort: number }[]).map((p) => (p.hostPort === 0 ? { ...p, hostPort: p.containerPort } : p)),
      }));
    }
  }
  return view as unknown as PodSpecView;
}

function readAnnotations(metadata: unknown, path: string): Map<string, string> {
  const annotations = new Map<string, string>();
  if (metadata === undefined || metadata === null) return annotations;
  if (!isPlainObject(metadata)) throw new PodShapeError(path, `expected an object, got ${describe(metadata)}`);
  const raw = metadata.annotations;
  if (raw === undefined || raw === null) return annotations;
  if (!isPlainObject(raw)) throw new PodShapeError(`${path}.annotations`, `expected a map of strings, got ${describe(raw)}`);
  for (const [key, value] of Object.entries(raw)) {
    // A null value decodes to "" in Go's map[string]string.
    if (value !== null && typeof value !== 'string') {
      throw new PodShapeError(`${path}.annotations[${JSON.stringify(key)}]`, `expected a string, got ${describe(value)}`);
    }
    annotations.set(key, value ?? '');
  }
  return annotations;
}

function readObject(raw: unknown, shape: ObjectShape, path: string): Record<string, unknown> {
  if (!isPlainObject(raw)) throw new PodShapeError(path, `expected an object, got ${describe(raw)}`);
  // Start from the zero values of the fields Go would zero (bool, string, int32, lists), then
  // read only the keys present: one pass over what the user wrote, not over the whole schema.
  const out: Record<string, unknown> = { ...zeroValues(shape) };
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(shape, key)) throw new PodShapeError(path, `unknown field ${JSON.stringify(key)}`);
    const field = shape[key];
    if (field === 'any') continue; // not read by any check: neither examined nor kept
    const value = readField(raw[key], field, `${path}.${key}`);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

const zeros = new WeakMap<ObjectShape, Readonly<Record<string, unknown>>>();

function zeroValues(shape: ObjectShape): Readonly<Record<string, unknown>> {
  let z = zeros.get(shape);
  if (!z) {
    // Shared between pods, so frozen: nothing downstream may change a view.
    const entries = Object.entries(shape).map(([key, field]) => [key, Object.freeze(readField(undefined, field, key))] as const);
    z = Object.freeze(Object.fromEntries(entries.filter(([, value]) => value !== undefined)));
    zeros.set(shape, z);
  }
  return z;
}

function readField(raw: unknown, field: FieldShape, path: string): unknown {
  const absent = raw === undefined || raw === null;
  switch (field) {
    case 'any':
      return undefined; // not read by any check: neither examined nor kept
    case 'bool':
    case 'bool?':
      if (absent) return field === 'bool' ? false : undefined;
      if (typeof raw !== 'boolean') throw new PodShapeError(path, `expected a boolean, got ${describe(raw)}`);
      return raw;
    case 'string':
    case 'string?':
      if (absent) return field === 'string' ? '' : undefined;
      if (typeof raw !== 'string') throw new PodShapeError(path, `expected a string, got ${describe(raw)}`);
      return raw;
    case 'int32':
      if (absent) return 0;
      if (!Number.isInteger(raw) || (raw as number) < -(2 ** 31) || (raw as number) >= 2 ** 31) {
        throw new PodShapeError(path, `expected a 32-bit integer, got ${describe(raw)}`);
      }
      return raw;
    case 'int64?':
      if (absent) return undefined;
      if (typeof raw === 'bigint') return Number(raw);
      if (!Number.isInteger(raw)) throw new PodShapeError(path, `expected an integer, got ${describe(raw)}`);
      return raw;
    case 'source':
      if (absent) return undefined;
      if (!isPlainObject(raw)) throw new PodShapeError(path, `expected an object, got ${describe(raw)}`);
      return true;
  }
  if ('object' in field) return absent ? undefined : readObject(raw, field.object, path);
  if (absent) return [];
  if (!Array.isArray(raw)) throw new PodShapeError(path, `expected a list, got ${describe(raw)}`);
  const item = field.list;
  return raw.map((element, i) => (item === 'string' ? readString(element, `${path}[${i}]`) : readObject(element, item, `${path}[${i}]`)));
}

function readString(raw: unknown, path: string): string {
  if (typeof raw !== 'string') throw new PodShapeError(path, `expected a string, got ${describe(raw)}`);
  return raw;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value === 'number' || typeof value === 'bigint') return `a number (${String(value)})`;
  if (typeof value === 'boolean') return `a boolean (${value})`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
