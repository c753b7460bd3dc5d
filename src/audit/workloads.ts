// Workloads for the Pod Security Standards check: every document of a manifest stream whose
// kind carries a pod spec (src/pss extractPod), evaluated at one policy version as the stream
// goes past. Only the small results are kept (issue 14 "Speed": a cluster's manifests would not
// fit): identical evaluations are shared, so 10,000 releases of one chart cost one result.
//
// Documents are cut from the text first (a substring test on `kind:` for the pod-spec kinds and
// Lists), then read with js-yaml: it builds plain objects directly and is ~20x faster than the
// `yaml` document model on Deployment-sized documents (measured in the commit that added it),
// which decides whether `audit -A` stays near today's time. Aliases are shared objects in
// js-yaml (no expansion), and the evaluation walks fixed paths only, so hostile YAML costs
// at most linear time.
import * as jsYaml from 'js-yaml';
import { evaluatePod, extractPod, type PolicyVersion, type Violation } from '../pss/index.js';
import type { PssLevel } from './levels.js';
import { splitRegions } from '../manifest/split.js';
import { withoutUnreadFields } from './prune.js';
import { own } from './own.js';
import { WorkloadList } from './workload-list.js';

export { own } from './own.js';

export interface WorkloadViolations {
  baseline: Violation[];
  restricted: Violation[];
}

/** One evaluation, shared by every workload that evaluated the same way. */
export interface WorkloadResult {
  /** The strictest level the pod spec satisfies; null when it could not be evaluated. */
  strictest: PssLevel | null;
  violations: WorkloadViolations;
  /** Why it could not be evaluated (never counted as passing). */
  error?: string;
}

/** Pods found running (with --live) that belong to a stored workload. */
export interface LivePods {
  count: number;
  /** Admitting PodSecurityPolicy (`kubernetes.io/psp`) -> pods; "" = no annotation. */
  psp: Record<string, number>;
  /** Worst level over those pods (a webhook or PSP may have changed them); null if one was not evaluable. */
  strictest: PssLevel | null;
  /** The first pod that evaluated worse than before (e.g. changed after creation), with its violations. */
  worst?: { name: string; violations: WorkloadViolations; error?: string };
}

export interface Workload {
  release: string | null;
  namespace: string;
  /** "manifest" | "hook:<Kind>/<name>" | "live". */
  source: string;
  /** Document index in the stream (null for live pods). */
  document: number | null;
  kind: string;
  name: string;
  strictest: PssLevel | null;
  violations: WorkloadViolations;
  /** Live pods: the PodSecurityPolicy that admitted it (`kubernetes.io/psp`), or null. */
  psp: string | null;
  error?: string;
  /** With --live: running pods grouped under this stored workload. */
  pods?: LivePods;
}

const POD_KINDS = 'Pod|PodTemplate|ReplicationController|ReplicaSet|Deployment|StatefulSet|DaemonSet|Job|CronJob';
/** A document that may hold a pod-spec kind (or a List of them). A superset: kinds are written plainly by Helm. */
const MAY_HOLD_POD = new RegExp(`kind:\\s*["']?(?:${POD_KINDS}|\\w*List)\\b`);

/**
 * YAML 1.2 core types (what pod specs use) plus merge keys (`<<`, which Kubernetes' YAML reader
 * accepts); no timestamps, binary or sets: resolving those costs time on every plain scalar.
 */
// js-yaml exports `types` at run time; @types/js-yaml does not declare it.
const SCHEMA = jsYaml.CORE_SCHEMA.extend([(jsYaml as unknown as { types: { merge: jsYaml.Type } }).types.merge]);

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Shares identical results, so a cluster of similar workloads keeps one copy of each. */
export class ResultPool {
  private readonly byKey = new Map<string, WorkloadResult>();
  intern(r: WorkloadResult): WorkloadResult {
    // Check IDs, reasons and details, in order, identify a result (JSON.stringify of it cost ~2x).
    let key = `${r.strictest}\u0002${r.error ?? ''}`;
    for (const level of ['baseline', 'restricted'] as const) {
      key += '\u0002';
      for (const v of r.violations[level]) key += `\u0001${v.check}\u0000${v.reason}\u0000${v.detail}`;
    }
    const had = this.byKey.get(key);
    if (had) return had;
    this.byKey.set(key, r);
    return r;
  }
}

/** Evaluates one object that may carry a pod spec; null for kinds that carry none. */
export function evaluateObject(o: unknown, version: PolicyVersion): { kind: string; name: string; namespace: string; result: WorkloadResult } | null {
  const md = obj(obj(o).metadata);
  const found = { kind: str(obj(o).kind), name: str(md.name), namespace: str(md.namespace) };
  let result: WorkloadResult;
  try {
    const pod = extractPod(o);
    if (!pod) return null;
    const ev = evaluatePod(pod, version);
    result = ev.ok ? { strictest: ev.strictest, violations: { baseline: ev.baseline, restricted: ev.restricted } } : notEvaluable(ev.error);
  } catch (e) {
    // A malformed workload is that workload's problem, never the run's (PodShapeError and anything else).
    result = notEvaluable((e as Error).message);
  }
  return { ...found, result };
}

/**
 * The engine names the value it could not read (`got a string ("...")`); a value in a broken
 * manifest may be a secret, so only its type is kept.
 */
function withoutValue(error: string): string {
  return error.replace(/(got an? (?:string|number|boolean)) \(.*\)$/s, '$1');
}

/** js-yaml's reason and line, without the source snippet its message quotes (it may hold a secret). */
function yamlProblem(e: unknown): string {
  const x = e as { reason?: unknown; mark?: { line?: unknown } };
  const line = typeof x.mark?.line === 'number' ? ` at line ${x.mark.line + 1} of the document` : '';
  return `not readable as YAML${typeof x.reason === 'string' ? `: ${x.reason}` : ''}${line}`;
}

function notEvaluable(error: string): WorkloadResult {
  return { strictest: null, violations: { baseline: [], restricted: [] }, error: withoutValue(error) };
}

export interface StreamContext {
  release: string | null;
  /** Namespace of objects without metadata.namespace (the release namespace). */
  namespace: string;
  source: string;
  version: PolicyVersion;
  pool: ResultPool;
}

/** Every pod-carrying workload of a manifest stream, evaluated (see addWorkloadsInManifest). */
export function workloadsInManifest(manifest: string, ctx: StreamContext): Workload[] {
  const list = new WorkloadList(ctx.release);
  addWorkloadsInManifest(manifest, ctx, list);
  return [...list.seal()];
}

/**
 * Adds every pod-carrying workload of a manifest stream, evaluated, to `out`. A document that
 * is not valid YAML but names a pod kind is reported as not evaluable (it might have been a workload).
 */
export function addWorkloadsInManifest(manifest: string, ctx: StreamContext, out: WorkloadList): void {
  for (const r of splitRegions(manifest)) {
    const text = manifest.slice(r.start, r.end);
    if (!MAY_HOLD_POD.test(text)) continue;
    let value: unknown;
    try {
      value = readDocument(text);
    } catch (e) {
      const kind = /kind:\s*["']?(\w+)/.exec(text)?.[1] ?? '';
      if (!new RegExp(`^(?:${POD_KINDS})$`).test(kind)) continue;
      const name = /\bname:\s*["']?([\w.-]+)/.exec(text)?.[1] ?? '';
      entry(out, ctx, r.index, kind, name, '', ctx.pool.intern(notEvaluable(yamlProblem(e))));
      continue;
    }
    const v = obj(value);
    const kind = str(v.kind);
    const items = Array.isArray(v.items) && kind.endsWith('List') ? v.items : [value];
    for (const item of items) {
      const ev = evaluateObject(item, ctx.version);
      if (ev) entry(out, ctx, r.index, ev.kind, ev.name, ev.namespace, ctx.pool.intern(ev.result));
    }
  }
}

/**
 * The document as plain objects, read without the fields no check reads when that is safe
 * (prune.ts: about half of a typical Deployment's text). If the cut text cannot be read, the
 * whole one is, so a broken document gets js-yaml's own reason and line.
 */
function readDocument(text: string): unknown {
  const cut = withoutUnreadFields(text);
  if (cut !== null) {
    try {
      return jsYaml.load(cut, { json: true, schema: SCHEMA });
    } catch {
      // read the whole document below
    }
  }
  return jsYaml.load(text, { json: true, schema: SCHEMA });
}

/**
 * One shared string per workload kind: a kind read from a document is a string of its own
 * (~32 bytes), held once per workload until the report is written (200,500 at 10,000 releases).
 */
const KIND_NAMES = new Map(POD_KINDS.split('|').map((k) => [k, k]));

function entry(into: WorkloadList, ctx: StreamContext, document: number, kind: string, name: string, namespace: string, r: WorkloadResult): void {
  // The name is not copied here: the list joins its names into one string of its own when sealed.
  into.add(ctx.source, own(namespace) || ctx.namespace, KIND_NAMES.get(kind) ?? own(kind), document, name, r);
}

/** The hook label shared with clean's output (issue 15): `hook:<Kind>/<name>`. */
export function hookSource(hook: unknown): string {
  const h = obj(hook);
  return `hook:${str(h.kind) || '?'}/${str(h.name) || '?'}`;
}

/** Failing check IDs of a workload at a level (restricted includes the baseline ones). */
export function failingChecks(w: Pick<Workload, 'violations'>, level: 'baseline' | 'restricted'): string[] {
  return [...new Set(w.violations[level].map((v) => v.check))];
}
