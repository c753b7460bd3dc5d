// Running pods (audit --live): each evaluated, its admitting PodSecurityPolicy read from the
// `kubernetes.io/psp` annotation, and grouped under the stored workload that owns it when
// there is one. Pure: pod objects in, workload entries out.
//
// Ownership is decided from the pod alone, with the names controllers give what they create
// (no extra reads of ReplicaSets or Jobs):
//   Pod --ownerReference--> ReplicaSet R: the stored Deployment D of the namespace with
//     R = D-<pod-template-hash> (the pod carries that label), else a stored ReplicaSet R;
//   Job J: a stored Job J, else the stored CronJob C with J = C-<digits> (the scheduled time);
//   StatefulSet, DaemonSet, ReplicationController: the stored one of that name;
//   no owner: a stored Pod of that name (a hook Pod, or a Pod in a chart).
// A pod that matches no stored workload is listed on its own (source "live").
import type { PolicyVersion } from '../pss/index.js';
import type { PssLevel } from './levels.js';
import { levelRank } from './levels.js';
import { evaluateObject, own, type LivePods, type ResultPool, type Workload } from './workloads.js';
import { WorkloadList, type HeldWorkload } from './workload-list.js';

export const PSP_ANNOTATION = 'kubernetes.io/psp';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

interface Owner {
  kind: string;
  name: string;
}

/** The controlling owner (controller: true), else the first owner reference. */
function ownerOf(pod: Obj): Owner | null {
  const refs = Array.isArray(obj(pod.metadata).ownerReferences) ? (obj(pod.metadata).ownerReferences as unknown[]).map(obj) : [];
  const ref = refs.find((r) => r.controller === true) ?? refs[0];
  return ref ? { kind: str(ref.kind), name: str(ref.name) } : null;
}

const key = (ns: string, kind: string, name: string): string => `${ns}\u0000${kind}\u0000${name}`;

/** A stored workload as the index keeps it: its name and level, and where its pods go. */
export class StoredWorkload {
  constructor(
    readonly name: string,
    readonly strictest: PssLevel | null,
    private readonly held: WorkloadList | Workload,
    private readonly index: number,
  ) {}

  static of({ workload: w, list, index }: HeldWorkload): StoredWorkload {
    return new StoredWorkload(w.name, w.strictest, list ?? w, index);
  }

  pods(): LivePods | undefined {
    return this.held instanceof WorkloadList ? this.held.podsAt(this.index) : this.held.pods;
  }

  setPods(p: LivePods): void {
    if (this.held instanceof WorkloadList) this.held.setPods(this.index, p);
    else this.held.pods = p;
  }
}

/** Index of stored workloads by namespace, kind and name (first one wins: the manifest's order). */
export function indexStored(stored: Iterable<HeldWorkload>): Map<string, StoredWorkload> {
  const m = new Map<string, StoredWorkload>();
  for (const h of stored) {
    const k = key(h.workload.namespace, h.workload.kind, h.workload.name);
    if (!m.has(k)) m.set(k, StoredWorkload.of(h));
  }
  return m;
}

/** The stored workload a pod belongs to, by the naming rules above; undefined when none. */
export function storedOwner(pod: unknown, stored: Map<string, StoredWorkload>): StoredWorkload | undefined {
  const p = obj(pod);
  const md = obj(p.metadata);
  const ns = str(md.namespace);
  const owner = ownerOf(p);
  const get = (kind: string, name: string) => stored.get(key(ns, kind, name));
  if (!owner) return get('Pod', str(md.name));
  switch (owner.kind) {
    case 'ReplicaSet': {
      const hash = str(obj(md.labels)['pod-template-hash']);
      if (hash && owner.name.endsWith(`-${hash}`)) {
        const d = get('Deployment', owner.name.slice(0, -hash.length - 1));
        if (d) return d;
      }
      return get('ReplicaSet', owner.name);
    }
    case 'Job': {
      const j = get('Job', owner.name);
      if (j) return j;
      const m = /^(.+)-\d+$/.exec(owner.name);
      return m ? get('CronJob', m[1]) : undefined;
    }
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicationController':
      return get(owner.kind, owner.name);
    default:
      return undefined;
  }
}

/** Worse of two live levels; null (not evaluable) is worst. */
function worse(a: PssLevel | null, b: PssLevel | null): PssLevel | null {
  if (a === null || b === null) return null;
  return levelRank(a) >= levelRank(b) ? a : b;
}

/**
 * Evaluates the running pods and attaches them: grouped pods add to their stored workload's
 * `pods` (mutating those entries), the others come back as `live` entries.
 */
export function attachLivePods(pods: Iterable<unknown>, stored: Map<string, StoredWorkload>, version: PolicyVersion, pool: ResultPool): Workload[] {
  const alone: Workload[] = [];
  for (const pod of pods) {
    const p = obj(pod);
    const md = obj(p.metadata);
    const psp = str(obj(md.annotations)[PSP_ANNOTATION]);
    const ev = evaluateObject({ ...p, kind: 'Pod' }, version);
    if (!ev) continue;
    const result = pool.intern(ev.result);
    const owner = storedOwner(p, stored);
    if (owner) {
      let g = owner.pods();
      if (!g) owner.setPods((g = { count: 0, psp: {}, strictest: 'restricted' }));
      g.count++;
      g.psp[psp] = (g.psp[psp] ?? 0) + 1;
      g.strictest = worse(g.strictest, result.strictest);
      // The first pod worse than its template (changed by a webhook or a mutating PSP) is named.
      if (!g.worst && worse(result.strictest, owner.strictest) !== owner.strictest) {
        g.worst = { name: str(md.name), violations: result.violations, ...(result.error !== undefined ? { error: result.error } : {}) };
      }
      continue;
    }
    const w: Workload = {
      release: null, namespace: own(str(md.namespace)), source: 'live', document: null, kind: 'Pod', name: own(str(md.name)),
      strictest: result.strictest, violations: result.violations, psp: psp ? own(psp) : null,
    };
    if (result.error !== undefined) w.error = result.error;
    alone.push(w);
  }
  return alone;
}

/** Running pods counted by the PodSecurityPolicy that admitted them (`kubernetes.io/psp`). */
export class LiveTally {
  private pods = 0;
  private readonly byPsp = new Map<string, { pods: number; namespaces: Set<string> }>();
  add(pod: unknown): void {
    const md = obj(obj(pod).metadata);
    const psp = str(obj(md.annotations)[PSP_ANNOTATION]);
    const t = this.byPsp.get(psp) ?? { pods: 0, namespaces: new Set<string>() };
    t.pods++;
    t.namespaces.add(str(md.namespace));
    this.byPsp.set(psp, t);
    this.pods++;
  }
  summary(): { pods: number; admittedBy: Array<{ psp: string | null; pods: number; namespaces: string[] }> } {
    const admittedBy = [...this.byPsp.entries()]
      .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0))
      .map(([psp, t]) => ({ psp: psp || null, pods: t.pods, namespaces: [...t.namespaces].sort() }));
    return { pods: this.pods, admittedBy };
  }
}
