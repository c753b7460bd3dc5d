// Workloads held until the report is written, packed. A cluster has one per Deployment, Job,
// CronJob... of every release (200,500 at 10,000 bench releases), and the report needs all of
// them at the end (-o json lists every one after the namespace verdicts). As one object each
// they cost ~130 bytes (object, name string, array slot) and made `audit -A` at 10,000
// releases use more memory than it did before workloads were checked (issue 14 "Speed").
// Packed per release they cost ~40: the names share one string, the document index and the
// (source, namespace, kind) of each share one Int32Array, and the evaluation is a pointer to
// the result that identical workloads share (ResultPool). A Workload object is made when one
// is read (JSON rendering, verdicts) and dropped right after.
import { own } from './own.js';
import type { LivePods, Workload, WorkloadResult } from './workloads.js';

/** What workloads of one list share: few distinct per release (the manifest, each hook). */
interface Tag {
  source: string;
  namespace: string;
  kind: string;
}

const NAME_SEPARATOR = '\n';

export class WorkloadList implements Iterable<Workload> {
  private tags: Tag[] = [];
  private tagIndex: Map<string, number> | undefined = new Map();
  /** Per workload: document (-1 = none), tag index, end of its name in `names`. */
  private codes: number[] | Int32Array = [];
  private results: WorkloadResult[] = [];
  /** The names, joined by NAME_SEPARATOR once sealed; an array while building or when a name holds the separator. */
  private names: string[] | string = [];
  /** What every name starts with, left out of `names` (the release name, or ''). */
  private prefix = '';
  private pods?: Map<number, LivePods>;
  private psp?: Map<number, string>;

  constructor(readonly release: string | null) {}

  get length(): number {
    return this.results.length;
  }

  /**
   * Adds one workload. `name` may be a slice of a manifest: the list copies the names when
   * sealed; the other strings must be the caller's own copies (they are kept as given).
   */
  add(source: string, namespace: string, kind: string, document: number | null, name: string, result: WorkloadResult, psp: string | null = null): void {
    if (this.tagIndex === undefined) throw new Error('WorkloadList: add after seal');
    const key = `${source}\u0000${namespace}\u0000${kind}`;
    let tag = this.tagIndex.get(key);
    if (tag === undefined) {
      tag = this.tags.push({ source, namespace, kind }) - 1;
      this.tagIndex.set(key, tag);
    }
    (this.codes as number[]).push(document ?? -1, tag, 0);
    this.results.push(result);
    (this.names as string[]).push(name);
    if (psp !== null) (this.psp ??= new Map()).set(this.results.length - 1, psp);
  }

  /** Packs what was added; the list takes no more workloads. */
  seal(): this {
    if (this.tagIndex === undefined) return this;
    const names = this.names as string[];
    const codes = Int32Array.from(this.codes as number[]);
    if (!names.some((n) => n.includes(NAME_SEPARATOR))) {
      // Charts name their objects after the release (`{{ .Release.Name }}-web`): when every
      // name starts with it, only the rest is kept (10,000 bench releases: 3.6 -> 1 MB).
      const release = this.release;
      if (release && names.length > 1 && names.every((n) => n.startsWith(release))) {
        this.prefix = release;
        for (let i = 0; i < names.length; i++) names[i] = names[i].slice(release.length);
      }
      let end = 0;
      names.forEach((n, i) => {
        end += n.length + (i > 0 ? NAME_SEPARATOR.length : 0);
        codes[i * 3 + 2] = end;
      });
      // join copies the characters of two or more: the one string holds no manifest alive.
      this.names = names.length === 1 ? own(names[0]) : names.join(NAME_SEPARATOR);
    } else this.names = names.map(own);
    this.codes = codes;
    // Arrays grown by push keep spare capacity (~1.5x); exact copies do not.
    this.results = this.results.slice();
    this.tags = this.tags.slice();
    this.tagIndex = undefined;
    return this;
  }

  private nameAt(i: number): string {
    if (typeof this.names !== 'string') return this.names[i];
    const start = i === 0 ? 0 : this.codes[i * 3 - 1] + NAME_SEPARATOR.length;
    return this.prefix + this.names.slice(start, this.codes[i * 3 + 2]);
  }

  /** The namespaces of the workloads (without reading them). */
  namespaces(): string[] {
    return [...new Set(this.tags.map((t) => t.namespace))];
  }

  resultAt(i: number): WorkloadResult {
    return this.results[i];
  }

  podsAt(i: number): LivePods | undefined {
    return this.pods?.get(i);
  }

  /** Running pods grouped under workload i (--live): the one mutable part of a stored workload. */
  setPods(i: number, pods: LivePods): void {
    (this.pods ??= new Map()).set(i, pods);
  }

  /** Workload i as the report prints it: same keys, same order as one built field by field. */
  at(i: number): Workload {
    const tag = this.tags[this.codes[i * 3 + 1]];
    const document = this.codes[i * 3];
    const r = this.results[i];
    const w: Workload = {
      release: this.release, namespace: tag.namespace, source: tag.source, document: document < 0 ? null : document, kind: tag.kind, name: this.nameAt(i),
      strictest: r.strictest, violations: r.violations, psp: this.psp?.get(i) ?? null,
    };
    if (r.error !== undefined) w.error = r.error;
    const pods = this.pods?.get(i);
    if (pods) w.pods = pods;
    return w;
  }

  *[Symbol.iterator](): Generator<Workload> {
    for (let i = 0; i < this.results.length; i++) yield this.at(i);
  }
}

/**
 * Workloads kept by reference, as runs (a list, the first index, how many): what the verdicts
 * keep of the workloads that limit a namespace. A release's workloads sit next to each other,
 * so a namespace of 800 workloads from 40 releases is 40 runs, not 800 objects.
 */
export class WorkloadRefs implements Iterable<Workload> {
  /** Per run: its list, or a loose workload (a run of one). */
  private readonly held: Array<WorkloadList | Workload> = [];
  private readonly start: number[] = [];
  private readonly count: number[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  /** Keeps `w` as (list, index) when it came from a list, else the object itself. */
  push(w: Workload, list: WorkloadList | null, index: number): void {
    this.size++;
    const last = this.held.length - 1;
    if (list && last >= 0 && this.held[last] === list && this.start[last] + this.count[last] === index) {
      this.count[last]++;
      return;
    }
    this.held.push(list ?? w);
    this.start.push(list ? index : -1);
    this.count.push(1);
  }

  /** Every workload with where it is kept. */
  *entries(): Generator<HeldWorkload> {
    for (let r = 0; r < this.held.length; r++) {
      const h = this.held[r];
      if (!(h instanceof WorkloadList)) {
        yield { workload: h, list: null, index: -1 };
        continue;
      }
      for (let i = this.start[r]; i < this.start[r] + this.count[r]; i++) yield { workload: h.at(i), list: h, index: i };
    }
  }

  *[Symbol.iterator](): Generator<Workload> {
    for (const e of this.entries()) yield e.workload;
  }
}

/** One workload read for the verdicts, with where it is kept (list null: a loose object). */
export interface HeldWorkload {
  workload: Workload;
  list: WorkloadList | null;
  index: number;
}

/** Every workload of the lists, then the loose ones, each with where it is kept. */
export function* heldWorkloads(lists: Iterable<WorkloadList>, loose: Iterable<Workload> = []): Generator<HeldWorkload> {
  for (const list of lists) for (let i = 0; i < list.length; i++) yield { workload: list.at(i), list, index: i };
  for (const w of loose) yield { workload: w, list: null, index: -1 };
}

/**
 * The report's workloads: every workload of the lists, then the loose ones. Iterated as
 * workloads, or with where each is kept (held), for renderers that keep some of them.
 */
export class AllWorkloads implements Iterable<Workload> {
  constructor(private readonly lists: readonly WorkloadList[], private readonly loose: readonly Workload[] = []) {}

  held(): Generator<HeldWorkload> {
    return heldWorkloads(this.lists, this.loose);
  }

  *[Symbol.iterator](): Generator<Workload> {
    for (const list of this.lists) yield* list;
    yield* this.loose;
  }
}
