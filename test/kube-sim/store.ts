// The object store: every object under its storage group + resource ("bucket"), keyed by
// namespace/name, with a cluster-wide monotonic resourceVersion like etcd's revision.
// It knows nothing about HTTP; handlers decide what a conflict means. Every committed
// change is pushed to the persistence layer (if any) and to watchers.
import { randomUUID } from 'node:crypto';
import type { KubeObject } from './types.js';

export interface StoredRecord {
  obj: KubeObject;
  /** Last configuration applied by each server-side-apply field manager (for pruning). */
  applied?: Record<string, KubeObject>;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  bucket: string;
  namespace: string;
  rv: number;
  obj: KubeObject;
}

export interface Persistence {
  save(bucket: string, namespace: string, name: string, rec: StoredRecord): void;
  remove(bucket: string, namespace: string, name: string): void;
  /** Called with every new resourceVersion; may persist lazily (reserve blocks). */
  noteResourceVersion(rv: number): void;
}

/** "apps/deployments", "/secrets" for the core group. */
export const bucketOf = (storageGroup: string, resource: string) => `${storageGroup}/${resource}`;
const keyOf = (ns: string, name: string) => `${ns}/${name}`;

const HISTORY = 10_000; // events kept for watches that resume from a resourceVersion

export class Store {
  private buckets = new Map<string, Map<string, StoredRecord>>();
  private listeners = new Set<(ev: StoreEvent) => void>();
  private history: StoreEvent[] = [];
  /** Number of committed writes; continue tokens measure their age in writes. */
  commits = 0;

  /** Runs on every created/updated object after server metadata is set (stand-in controllers). */
  controllers?: (obj: KubeObject) => void;

  constructor(private rv = 0, private persistence?: Persistence) {}

  get resourceVersion(): number {
    return this.rv;
  }

  /** Loads a record without notifying anyone (startup from disk). */
  load(bucket: string, rec: StoredRecord): void {
    const ns = rec.obj.metadata?.namespace ?? '';
    this.bucket(bucket).set(keyOf(ns, rec.obj.metadata.name), rec);
    this.rv = Math.max(this.rv, Number(rec.obj.metadata?.resourceVersion ?? 0));
  }

  private bucket(b: string): Map<string, StoredRecord> {
    let m = this.buckets.get(b);
    if (!m) this.buckets.set(b, (m = new Map()));
    return m;
  }

  get(bucket: string, ns: string, name: string): StoredRecord | undefined {
    return this.buckets.get(bucket)?.get(keyOf(ns, name));
  }

  /** Records of a bucket, optionally one namespace, in namespace/name order (stable paging). */
  list(bucket: string, ns?: string): StoredRecord[] {
    const m = this.buckets.get(bucket);
    if (!m) return [];
    const keys = [...m.keys()].filter((k) => ns === undefined || k.startsWith(`${ns}/`)).sort();
    return keys.map((k) => m.get(k)!);
  }

  bucketNames(): string[] {
    return [...this.buckets.keys()];
  }

  private nextRv(): number {
    this.rv += 1;
    this.persistence?.noteResourceVersion(this.rv);
    return this.rv;
  }

  /** Inserts a new object; fills uid, creationTimestamp, resourceVersion, generation. */
  create(bucket: string, obj: KubeObject, applied?: Record<string, KubeObject>): StoredRecord {
    const rv = this.nextRv();
    const meta = (obj.metadata = { ...obj.metadata });
    meta.uid = randomUUID();
    meta.creationTimestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    meta.resourceVersion = String(rv);
    delete meta.deletionTimestamp;
    if (obj.spec !== undefined) meta.generation = 1;
    else delete meta.generation;
    this.controllers?.(obj);
    const rec: StoredRecord = { obj, ...(applied ? { applied } : {}) };
    this.commit('ADDED', bucket, rec, rv);
    return rec;
  }

  /** Replaces an existing object, keeping server-owned metadata. */
  update(bucket: string, previous: StoredRecord, obj: KubeObject, applied?: Record<string, KubeObject>): StoredRecord {
    const rv = this.nextRv();
    const old = previous.obj.metadata;
    const meta = (obj.metadata = { ...obj.metadata });
    meta.uid = old.uid;
    meta.creationTimestamp = old.creationTimestamp;
    meta.resourceVersion = String(rv);
    if (obj.spec !== undefined) {
      const specChanged = JSON.stringify(obj.spec) !== JSON.stringify(previous.obj.spec);
      meta.generation = (old.generation ?? 0) + (specChanged || !old.generation ? 1 : 0);
    } else delete meta.generation;
    this.controllers?.(obj);
    const rec: StoredRecord = { obj, ...(applied ?? previous.applied ? { applied: applied ?? previous.applied } : {}) };
    this.commit('MODIFIED', bucket, rec, rv);
    return rec;
  }

  delete(bucket: string, previous: StoredRecord): KubeObject {
    const rv = this.nextRv();
    const obj = { ...previous.obj, metadata: { ...previous.obj.metadata, resourceVersion: String(rv) } };
    const ns = obj.metadata.namespace ?? '';
    this.bucket(bucket).delete(keyOf(ns, obj.metadata.name));
    this.persistence?.remove(bucket, ns, obj.metadata.name);
    this.commits++;
    this.emit({ type: 'DELETED', bucket, namespace: ns, rv, obj });
    return obj;
  }

  private commit(type: EventType, bucket: string, rec: StoredRecord, rv: number): void {
    const ns = rec.obj.metadata.namespace ?? '';
    this.bucket(bucket).set(keyOf(ns, rec.obj.metadata.name), rec);
    this.persistence?.save(bucket, ns, rec.obj.metadata.name, rec);
    this.commits++;
    this.emit({ type, bucket, namespace: ns, rv, obj: rec.obj });
  }

  private emit(ev: StoreEvent): void {
    this.history.push(ev);
    if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
    for (const l of this.listeners) l(ev);
  }

  /** Events after `rv` still in history; undefined if `rv` is older than the history window. */
  eventsSince(rv: number): StoreEvent[] | undefined {
    const oldest = this.history[0]?.rv ?? this.rv + 1;
    if (rv < oldest - 1 && rv < this.rv) return undefined;
    return this.history.filter((e) => e.rv > rv);
  }

  subscribe(fn: (ev: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
