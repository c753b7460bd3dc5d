// limit/continue paging with consistent snapshots, as etcd-backed servers give: the first
// page pins the list (items and resourceVersion), later pages read from that pin, so writes
// between pages do not shift or duplicate items. Continue tokens are opaque (base64 JSON)
// and expire like a compacted etcd revision — when the admin "epoch" moves (expire all now),
// when more than `ttlWrites` writes happened since the token was issued, or when the pinned
// snapshot was evicted — answering 410 Gone `Expired` with an "inconsistent" token that
// resumes on live data, exactly as kube-apiserver offers one.
import { badRequest, expired } from './status.js';

interface Token {
  v: 1;
  /** namespace/name of the last item returned */
  after: string;
  epoch: number;
  commits: number;
  /** Snapshot id; -1 = inconsistent continuation over live data. */
  snap: number;
}

interface Snapshot {
  items: unknown[];
  rv: number;
}

const MAX_SNAPSHOTS = 64;

export class Pager {
  epoch = 0;
  private snapshots = new Map<number, Snapshot>();
  private nextId = 1;

  constructor(readonly ttlWrites?: number) {}

  /** Expires every continue token issued so far. */
  expireAll(): void {
    this.epoch++;
    this.snapshots.clear();
  }

  pin(items: unknown[], rv: number): number {
    const id = this.nextId++;
    this.snapshots.set(id, { items, rv });
    if (this.snapshots.size > MAX_SNAPSHOTS) this.snapshots.delete(this.snapshots.keys().next().value!);
    return id;
  }

  encode(after: string, snap: number, commits: number): string {
    const t: Token = { v: 1, after, epoch: this.epoch, commits, snap };
    return Buffer.from(JSON.stringify(t)).toString('base64url');
  }

  /** Resolves a continue token to the snapshot to read (undefined = live data) and the resume key. */
  resume(s: string, commitsNow: number): { after: string; snap: number; snapshot?: Snapshot } {
    let t: Token;
    try {
      t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    } catch {
      throw badRequest('continue key is not valid: illegal base64 data');
    }
    if (t?.v !== 1 || typeof t.after !== 'string' || typeof t.snap !== 'number') {
      throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    }
    if (t.snap === -1) return { after: t.after, snap: -1 };
    const snapshot = this.snapshots.get(t.snap);
    const tooOld = t.epoch !== this.epoch || !snapshot || (this.ttlWrites !== undefined && commitsNow - t.commits > this.ttlWrites);
    if (tooOld) throw expired(this.encode(t.after, -1, commitsNow));
    return { after: t.after, snap: t.snap, snapshot };
  }
}

/** One page of `items` (sorted by key) starting after `after`; returns the slice and what is left. */
export function page<T>(items: T[], keyOf: (t: T) => string, limit: number, after?: string): { items: T[]; remaining: number } {
  let start = 0;
  if (after !== undefined) {
    start = items.findIndex((i) => keyOf(i) > after);
    if (start < 0) start = items.length;
  }
  const slice = limit > 0 ? items.slice(start, start + limit) : items.slice(start);
  return { items: slice, remaining: items.length - start - slice.length };
}
