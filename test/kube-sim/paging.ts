// limit/continue paging. Continue tokens are opaque (base64 JSON) and carry the key to
// resume after plus their age: the admin "epoch" (bumped to expire every token at once) and
// the store's commit count (tokens older than `ttlWrites` writes expire). Expired tokens
// answer 410 Gone `Expired`, like an apiserver whose etcd compacted the list's revision.
import { badRequest, expired } from './status.js';

interface Token {
  v: 1;
  /** namespace/name of the last item returned */
  after: string;
  rv: number;
  epoch: number;
  commits: number;
}

export interface PagingState {
  epoch: number;
  ttlWrites?: number;
}

export function encodeContinue(t: Omit<Token, 'v'>): string {
  return Buffer.from(JSON.stringify({ v: 1, ...t })).toString('base64url');
}

export function decodeContinue(s: string, state: PagingState, commitsNow: number): Token {
  let t: Token;
  try {
    t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data');
  }
  if (t?.v !== 1 || typeof t.after !== 'string') throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  const tooOld = t.epoch !== state.epoch || (state.ttlWrites !== undefined && commitsNow - t.commits > state.ttlWrites);
  if (tooOld) throw expired(encodeContinue({ ...t, epoch: state.epoch, commits: commitsNow }));
  return t;
}

/** One page of `keys` (sorted) starting after `after`; returns the slice and what is left. */
export function page<T>(items: T[], keyOf: (t: T) => string, limit: number, after?: string): { items: T[]; remaining: number } {
  let start = 0;
  if (after !== undefined) {
    start = items.findIndex((i) => keyOf(i) > after);
    if (start < 0) start = items.length;
  }
  const slice = limit > 0 ? items.slice(start, start + limit) : items.slice(start);
  return { items: slice, remaining: items.length - start - slice.length };
}
