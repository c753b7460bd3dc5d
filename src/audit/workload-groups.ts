// The text report's details: per namespace, the workloads below restricted grouped by the
// evaluation they share, each group printed with its first few members and a count. A large
// cluster prints most of its workloads this way (bench, 10,000 releases: 12,000 groups, 150,000
// workloads shown), and the groups are complete only after the last workload is read, so what
// a group keeps is what the text report holds at its peak. Kept as objects, or as one small
// array per group, the members cost 13-20 MB there; as numbers in two shared Int32Arrays
// (which list, which index in it) they cost ~2 MB.
import type { Workload } from './workloads.js';
import type { WorkloadList } from './workload-list.js';

export interface WorkloadGroup {
  /** The first members, in the order they were added. */
  shown: Workload[];
  /** All members. */
  count: number;
}

export class WorkloadGroups {
  /** Where shown members are kept: packed lists, or loose workloads (a holder of one). */
  private readonly holders: Array<WorkloadList | Workload> = [];
  private lastList: WorkloadList | null = null;
  /** Per group, `shownPerGroup` slots: the holder of each shown member and its index there. */
  private holderAt: Int32Array = new Int32Array(0);
  private indexAt: Int32Array = new Int32Array(0);
  private counts: Int32Array = new Int32Array(0);
  private size = 0;
  private readonly byNamespace = new Map<string, Map<object, number>>();

  constructor(private readonly shownPerGroup: number) {}

  /** Adds `w` to the group of its namespace and evaluation (`key`); `list`/`index` say where it is kept (list null: `w` itself). */
  add(w: Workload, key: object, list: WorkloadList | null, index: number): void {
    const groups = this.byNamespace.get(w.namespace) ?? new Map<object, number>();
    this.byNamespace.set(w.namespace, groups);
    let g = groups.get(key);
    if (g === undefined) {
      g = this.newGroup();
      groups.set(key, g);
    }
    const n = this.counts[g]++;
    if (n >= this.shownPerGroup) return;
    const slot = g * this.shownPerGroup + n;
    this.holderAt[slot] = this.holderOf(w, list);
    this.indexAt[slot] = list ? index : -1;
  }

  /** The namespaces that have groups, sorted. */
  namespaces(): string[] {
    return [...this.byNamespace.keys()].sort();
  }

  /** The groups of a namespace in the order their first members were added. */
  *groupsOf(namespace: string): Generator<WorkloadGroup> {
    for (const g of this.byNamespace.get(namespace)?.values() ?? []) {
      const count = this.counts[g];
      const shown: Workload[] = [];
      for (let k = 0; k < Math.min(count, this.shownPerGroup); k++) {
        const slot = g * this.shownPerGroup + k;
        const h = this.holders[this.holderAt[slot]];
        shown.push(this.indexAt[slot] < 0 ? (h as Workload) : (h as WorkloadList).at(this.indexAt[slot]));
      }
      yield { shown, count };
    }
  }

  private holderOf(w: Workload, list: WorkloadList | null): number {
    // A list's workloads are added one after another: one holder per list, found by the last.
    if (list !== null && list === this.lastList) return this.holders.length - 1;
    this.lastList = list;
    return this.holders.push(list ?? w) - 1;
  }

  private newGroup(): number {
    if (this.size === this.counts.length) {
      const capacity = Math.max(64, this.size * 2);
      this.counts = grown(this.counts, capacity);
      this.holderAt = grown(this.holderAt, capacity * this.shownPerGroup);
      this.indexAt = grown(this.indexAt, capacity * this.shownPerGroup);
    }
    return this.size++;
  }
}

function grown(a: Int32Array, length: number): Int32Array {
  const b = new Int32Array(length);
  b.set(a);
  return b;
}
