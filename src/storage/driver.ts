// One small contract for Helm's three persistent backends (Secret, ConfigMap, SQL),
// modelled on helm/helm pkg/storage/driver. Heads come from labels/columns only (no bodies),
// so selecting revisions costs no decoding; bodies are fetched only for chosen revisions.
import type { ReleaseJson } from '../helm/release.js';
import type { StorageError } from './errors.js';
// ReleaseHead lives in src/helm: revision selection needs it, and helm sits below storage.
import type { ReleaseHead } from '../helm/head.js';

export type { ReleaseHead };

export type DriverKind = 'secret' | 'configmap' | 'sql';

/** A decoded revision plus the exact stored object it came from (for backups). */
export interface StoredRevision {
  head: ReleaseHead;
  release: ReleaseJson;
  raw: RawRecord;
}

/**
 * The stored object exactly as read, serialisable to JSON: a Kubernetes Secret/ConfigMap
 * (as returned by the API) or an SQL row with its custom labels. Used for backups and restore.
 */
export interface RawRecord {
  driver: DriverKind;
  namespace: string;
  key: string;
  object: Record<string, unknown>;
}

export interface ListOptions {
  /** Namespace to list; undefined = all namespaces. */
  namespace?: string;
  /** Only this release's revisions. */
  releaseName?: string;
}

export interface Driver {
  readonly kind: DriverKind;
  /**
   * Optional: true when listHeads yields each namespace's heads together (a namespace never
   * comes back once another began), as the API server (etcd key order) and the SQL driver
   * (ORDER BY namespace, key) do. A batch then processes a namespace as soon as the list has
   * moved past it instead of holding every head of the cluster first.
   */
  readonly groupsByNamespace?: boolean;
  /** Streams heads; a record whose labels are unusable yields a StorageError instead (listing goes on). */
  listHeads(opts: ListOptions): AsyncIterable<ReleaseHead | StorageError>;
  /** Fetches and decodes one revision; throws a StorageError naming the object on any problem. */
  get(namespace: string, name: string, revision: number): Promise<StoredRevision>;
  /** Creates a revision; throws AlreadyExistsError when the key is taken. */
  create(release: ReleaseJson, labels: Record<string, string>): Promise<ReleaseHead>;
  /** Replaces a revision iff it still has `expected.resourceVersion`; throws ConflictError otherwise. */
  update(expected: ReleaseHead, release: ReleaseJson, labels: Record<string, string>): Promise<ReleaseHead>;
  /**
   * Optional: asks the backend whether `update` with these arguments would be accepted
   * (permissions, size, precondition) without changing anything, e.g. a Kubernetes
   * server-side dry run. Throws the StorageError the real update would throw.
   */
  checkUpdate?(expected: ReleaseHead, release: ReleaseJson, labels: Record<string, string>): Promise<void>;
  /** Reads the stored object as-is (no decoding), for backups. */
  readRaw(namespace: string, key: string): Promise<RawRecord>;
  /** Writes back a raw record taken by readRaw (create or replace), for restore. */
  writeRaw(raw: RawRecord): Promise<void>;
  /** Deletes a revision iff it still has `expected.resourceVersion` (restore of created revisions). */
  delete(expected: ReleaseHead): Promise<void>;
  close(): Promise<void>;
}

export function storageKey(name: string, revision: number): string {
  return `sh.helm.release.v1.${name}.v${revision}`;
}
