// Secrets and ConfigMaps (helm/helm pkg/storage/driver/{secrets,cfgmaps}.go) behind the
// Driver contract: one implementation, two object shapes (helm-storage.md §1-2).
//   Secret:    type helm.sh/release.v1, data.release = base64(Helm's base64 text)
//   ConfigMap: data.release = Helm's base64 text
// Listing asks only for metadata (PartialObjectMetadataList) with Helm's owner=helm
// selector, page by page; bodies are fetched one object at a time for chosen revisions.
// Writes carry preconditions Helm itself never sends: resourceVersion on update/delete.
import { decodeBase64Strict, encodeRelease } from '../../helm/codec.js';
import type { ReleaseJson } from '../../helm/release.js';
import type { StorageConfig } from '../config.js';
import { STORAGE_DEFAULTS } from '../config.js';
import type { Driver, DriverKind, ListOptions, RawRecord, ReleaseHead, StoredRevision } from '../driver.js';
import { storageKey } from '../driver.js';
import { StorageError } from '../errors.js';
import { checkWritable, decodeChecked, headFromLabels, labelsForWrite } from '../record.js';
import { KubeHttp, statusMessage } from './http.js';
import type { KubeRequest, KubeResponse } from './http.js';
import { openConnection } from './kubeconfig.js';

export const METADATA_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
const SECRET_TYPE = 'helm.sh/release.v1';
const MAX_LIST_RESTARTS = 5;
/** Kubernetes' limit on the data of one Secret or ConfigMap (MaxSecretSize, 1 MiB). */
const MAX_DATA_BYTES = 1024 * 1024;

type KubeObject = {
  apiVersion?: string;
  kind?: string;
  type?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string>; [k: string]: unknown };
  data?: Record<string, string>;
  [k: string]: unknown;
};

function parseJson(res: KubeResponse): unknown {
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function buildHttp(config: StorageConfig): KubeHttp {
  const conn = openConnection(config);
  return new KubeHttp(conn, {
    timeoutMs: config.requestTimeoutMs ?? STORAGE_DEFAULTS.requestTimeoutMs,
    retries: config.retries ?? STORAGE_DEFAULTS.retries,
    concurrency: config.concurrency ?? STORAGE_DEFAULTS.concurrency,
    asUser: config.kubeAsUser,
    asGroups: config.kubeAsGroups,
    log: config.log ?? (() => undefined),
    ...(config.limiter ? { limiter: config.limiter } : {}),
  });
}

export class KubeDriver implements Driver {
  readonly kind: DriverKind;
  /** The API server lists in etcd key order: namespace, then name. */
  readonly groupsByNamespace = true;
  private readonly resource: 'secrets' | 'configmaps';
  private readonly what: string;
  private readonly pageSize: number;
  private readonly log: (line: string) => void;

  constructor(private readonly http: KubeHttp, kind: 'secret' | 'configmap', config: StorageConfig) {
    this.kind = kind;
    this.resource = kind === 'secret' ? 'secrets' : 'configmaps';
    this.what = kind === 'secret' ? 'Secret' : 'ConfigMap';
    this.pageSize = config.pageSize ?? STORAGE_DEFAULTS.pageSize;
    this.log = config.log ?? (() => undefined);
  }

  private collection(namespace?: string): string {
    return namespace === undefined
      ? `/api/v1/${this.resource}`
      : `/api/v1/namespaces/${encodeURIComponent(namespace)}/${this.resource}`;
  }
  private objectPath(namespace: string, key: string): string {
    return `${this.collection(namespace)}/${encodeURIComponent(key)}`;
  }
  private err(code: ConstructorParameters<typeof StorageError>[0], namespace: string, key: string, problem: string): StorageError {
    return new StorageError(code, `${this.what} ${namespace}/${key}: ${problem}`, { namespace, key });
  }

  async *listHeads(opts: ListOptions): AsyncIterable<ReleaseHead | StorageError> {
    const labelSelector = opts.releaseName !== undefined ? `name=${opts.releaseName},owner=helm` : 'owner=helm';
    // Heads already yielded, skipped after a restart (410). The list comes in etcd key order,
    // namespace by namespace, so only the current namespace's keys are remembered, plus the
    // namespaces the list has moved past: one id per record made this set the largest thing
    // a 100,000-record listing kept (bench 10,000 x 10). After a restart, a record created in
    // a namespace the list had passed is not yielded, as it would not have been without one.
    const passed = new Set<string>();
    const seen = new Set<string>();
    let current: string | undefined;
    let cont: string | undefined;
    let restarts = 0;
    for (;;) {
      const res = await this.http.request({
        method: 'GET',
        path: this.collection(opts.namespace),
        query: { labelSelector, limit: String(this.pageSize), continue: cont },
        accept: METADATA_ACCEPT,
        what: { verb: 'list', resource: this.resource, namespace: opts.namespace },
      });
      if (res.status === 410) {
        // The continue token expired (etcd compaction): start over; heads already yielded are skipped.
        if (++restarts > MAX_LIST_RESTARTS) {
          throw new StorageError('server', `list ${this.resource}${opts.namespace !== undefined ? ` in namespace "${opts.namespace}"` : ''}: continue token expired ${restarts} times; giving up`, { namespace: opts.namespace });
        }
        this.log(`list ${this.resource}: continue token expired (410 Gone); restarting the list`);
        cont = undefined;
        continue;
      }
      if (res.status !== 200) {
        throw new StorageError('server', `list ${this.resource}${opts.namespace !== undefined ? ` in namespace "${opts.namespace}"` : ''}: HTTP ${res.status} ${statusMessage(res.body).message ?? ''}`.trim(), { namespace: opts.namespace });
      }
      const list = parseJson(res) as { items?: KubeObject[]; metadata?: { continue?: string } } | undefined;
      if (!list || !Array.isArray(list.items)) {
        throw new StorageError('server', `list ${this.resource}: the API server answered with something that is not a list`, { namespace: opts.namespace });
      }
      for (const item of list.items) {
        const md = item.metadata ?? {};
        const ns = md.namespace ?? opts.namespace ?? '';
        const key = md.name ?? '';
        if (ns !== current) {
          if (restarts > 0 && passed.has(ns)) continue;
          if (current !== undefined) passed.add(current);
          current = ns;
          seen.clear();
        }
        if (seen.has(key)) continue;
        seen.add(key);
        yield headFromLabels(this.what, ns, key, md.resourceVersion ?? '', md.labels ?? {});
      }
      cont = list.metadata?.continue || undefined;
      if (!cont) return;
    }
  }

  private async getObject(namespace: string, key: string): Promise<KubeObject> {
    const res = await this.http.request({
      method: 'GET',
      path: this.objectPath(namespace, key),
      what: { verb: 'get', resource: this.resource, namespace, key },
    });
    if (res.status === 404) throw this.err('not-found', namespace, key, 'not found');
    if (res.status !== 200) throw this.err('server', namespace, key, `get answered HTTP ${res.status}`);
    const obj = parseJson(res) as KubeObject | undefined;
    if (!obj || typeof obj !== 'object') throw this.err('server', namespace, key, 'the API server answered with something that is not an object');
    return obj;
  }

  /** Helm's base64 text from the object, or a 'decode' error naming what is missing. */
  private helmText(obj: KubeObject, namespace: string, key: string): string {
    const data = obj.data?.release;
    if (typeof data !== 'string' || data === '') throw this.err('decode', namespace, key, 'has no data.release');
    if (this.kind === 'configmap') return data;
    // Secret data is base64 of the bytes; the bytes are Helm's base64 text.
    const bytes = decodeBase64Strict(data);
    if (bytes === undefined) throw this.err('decode', namespace, key, 'data.release is not valid base64 (Secret layer)');
    return bytes.toString('latin1');
  }

  private headOfObject(obj: KubeObject, namespace: string, key: string): ReleaseHead {
    const md = obj.metadata ?? {};
    const head = headFromLabels(this.what, namespace, key, md.resourceVersion ?? '', md.labels ?? {});
    if (head instanceof StorageError) throw head;
    return head;
  }

  async get(namespace: string, name: string, revision: number): Promise<StoredRevision> {
    const key = storageKey(name, revision);
    const obj = await this.getObject(namespace, key);
    const head = this.headOfObject(obj, namespace, key);
    const release = decodeChecked(this.what, head, this.helmText(obj, namespace, key));
    return { head, release, raw: { driver: this.kind, namespace, key, object: obj } };
  }

  private buildObject(namespace: string, key: string, release: ReleaseJson, labels: Record<string, string>, resourceVersion?: string): KubeObject {
    const text = encodeRelease(release);
    // The API server refuses Secret/ConfigMap data over 1 MiB (Helm's own write would fail
    // the same way): say so before any write of the release instead of failing mid-way.
    if (text.length > MAX_DATA_BYTES) {
      throw this.err('decode', namespace, key, `refusing to write: the encoded release is ${text.length} bytes; Kubernetes stores at most 1 MiB (${MAX_DATA_BYTES} bytes) in a ${this.what}`);
    }
    const metadata = { name: key, namespace, labels, ...(resourceVersion !== undefined ? { resourceVersion } : {}) };
    return this.kind === 'secret'
      ? { apiVersion: 'v1', kind: 'Secret', metadata, type: SECRET_TYPE, data: { release: Buffer.from(text, 'latin1').toString('base64') } }
      : { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { release: text } };
  }

  private namespaceOf(release: ReleaseJson): string {
    if (typeof release.namespace !== 'string' || release.namespace === '') {
      throw new StorageError('decode', `refusing to write ${this.what}: release body has no "namespace"`);
    }
    return release.namespace;
  }

  /** After an ambiguous write: did the object we sent land? */
  private async landed(namespace: string, key: string, sent: KubeObject): Promise<{ obj?: KubeObject; ours: boolean }> {
    let obj: KubeObject;
    try {
      obj = await this.getObject(namespace, key);
    } catch (e) {
      if (e instanceof StorageError && e.code === 'not-found') return { ours: false };
      throw e;
    }
    const ours = obj.data?.release === sent.data?.release && JSON.stringify(obj.metadata?.labels ?? {}) === JSON.stringify(sent.metadata?.labels ?? {});
    return { obj, ours };
  }

  private responseOf(obj: KubeObject): KubeResponse {
    return { status: 200, headers: {}, body: Buffer.from(JSON.stringify(obj)) };
  }

  async create(release: ReleaseJson, labels: Record<string, string>): Promise<ReleaseHead> {
    const namespace = this.namespaceOf(release);
    const key = checkWritable(this.what, namespace, release);
    const obj = this.buildObject(namespace, key, release, labelsForWrite(release, labels));
    const req: KubeRequest = {
      method: 'POST',
      path: this.collection(namespace),
      body: obj,
      what: { verb: 'create', resource: this.resource, namespace, key },
      verify: async () => {
        const l = await this.landed(namespace, key, obj);
        if (!l.obj) return 'retry';
        if (l.ours) return { done: this.responseOf(l.obj) };
        throw this.err('already-exists', namespace, key, 'already exists (another writer, e.g. helm upgrade, created it)');
      },
    };
    const res = await this.http.request(req);
    if (res.status === 409) {
      // A resend after a timeout can meet its own first copy, which landed late: that is success.
      // A first attempt's 409 is always what it says (the precondition must stay strict).
      const l = res.resent ? await this.landed(namespace, key, obj) : { obj: undefined, ours: false };
      if (l.obj && l.ours) return this.headOfObject(l.obj, namespace, key);
      throw this.err('already-exists', namespace, key, 'already exists (another writer, e.g. helm upgrade, created it)');
    }
    if (res.status === 404) throw this.err('not-found', namespace, key, `cannot create: ${statusMessage(res.body).message ?? 'namespace not found'}`);
    if (res.status !== 201 && res.status !== 200) throw this.err('server', namespace, key, `create answered HTTP ${res.status} ${statusMessage(res.body).message ?? ''}`.trim());
    return this.headOfObject(parseJson(res) as KubeObject, namespace, key);
  }

  async update(expected: ReleaseHead, release: ReleaseJson, labels: Record<string, string>): Promise<ReleaseHead> {
    const namespace = expected.namespace;
    const key = checkWritable(this.what, namespace, release);
    if (key !== expected.key) {
      throw this.err('config', namespace, expected.key, `refusing to write release ${String(release.name)} v${String(release.version)} over this object`);
    }
    if (!expected.resourceVersion) throw this.err('config', namespace, key, 'update needs the resourceVersion it was read at');
    const obj = this.buildObject(namespace, key, release, labelsForWrite(release, labels), expected.resourceVersion);
    const res = await this.http.request({
      method: 'PUT',
      path: this.objectPath(namespace, key),
      body: obj,
      what: { verb: 'update', resource: this.resource, namespace, key },
      verify: async () => {
        const l = await this.landed(namespace, key, obj);
        if (!l.obj) throw this.err('not-found', namespace, key, 'disappeared during the update');
        if (l.ours) return { done: this.responseOf(l.obj) };
        if (l.obj.metadata?.resourceVersion === expected.resourceVersion) return 'retry';
        throw this.err('conflict', namespace, key, 'changed since it was read (another writer); re-read and retry');
      },
    });
    if (res.status === 409) {
      // A resend after a timeout can meet its own first copy, which landed late: that is success.
      // A first attempt's 409 is always what it says (the precondition must stay strict).
      const l = res.resent ? await this.landed(namespace, key, obj) : { obj: undefined, ours: false };
      if (l.obj && l.ours) return this.headOfObject(l.obj, namespace, key);
      throw this.err('conflict', namespace, key, 'changed since it was read (another writer); re-read and retry');
    }
    if (res.status === 404) throw this.err('not-found', namespace, key, 'no longer exists');
    if (res.status !== 200 && res.status !== 201) throw this.err('server', namespace, key, `update answered HTTP ${res.status} ${statusMessage(res.body).message ?? ''}`.trim());
    return this.headOfObject(parseJson(res) as KubeObject, namespace, key);
  }

  /** Per namespace: the first dry-run update of this run (shared by concurrent releases). */
  private readonly updateChecks = new Map<string, Promise<void>>();

  /**
   * Server-side dry run (`dryRun=All`) of update(): same RBAC verb, size and precondition
   * checks, nothing stored. RBAC grants `update` per namespace (resourceNames rules aside),
   * so one passing dry run per namespace is enough: a batch pays one request per namespace.
   */
  async checkUpdate(expected: ReleaseHead, release: ReleaseJson, labels: Record<string, string>): Promise<void> {
    const pending = this.updateChecks.get(expected.namespace);
    if (pending) {
      try {
        return await pending;
      } catch {
        // That release's check failed (maybe for reasons of its own, e.g. a conflict): check this one itself.
      }
    }
    const p = this.dryRunUpdate(expected, release, labels);
    if (!pending) {
      this.updateChecks.set(expected.namespace, p);
      p.catch(() => this.updateChecks.delete(expected.namespace));
    }
    await p;
  }

  private async dryRunUpdate(expected: ReleaseHead, release: ReleaseJson, labels: Record<string, string>): Promise<void> {
    const namespace = expected.namespace;
    const key = checkWritable(this.what, namespace, release);
    if (!expected.resourceVersion) throw this.err('config', namespace, key, 'update needs the resourceVersion it was read at');
    const obj = this.buildObject(namespace, key, release, labelsForWrite(release, labels), expected.resourceVersion);
    const res = await this.http.request({
      method: 'PUT',
      path: this.objectPath(namespace, key),
      query: { dryRun: 'All' },
      body: obj,
      what: { verb: 'update', resource: this.resource, namespace, key },
      verify: async () => 'retry', // a dry run changes nothing: always safe to resend
    });
    if (res.status === 409) throw this.err('conflict', namespace, key, 'changed since it was read (another writer); nothing was written, run again');
    if (res.status === 404) throw this.err('not-found', namespace, key, 'no longer exists');
    if (res.status !== 200 && res.status !== 201) throw this.err('server', namespace, key, `update (dry run) answered HTTP ${res.status} ${statusMessage(res.body).message ?? ''}`.trim());
  }

  async readRaw(namespace: string, key: string): Promise<RawRecord> {
    return { driver: this.kind, namespace, key, object: await this.getObject(namespace, key) };
  }

  async writeRaw(raw: RawRecord): Promise<void> {
    if (raw.driver !== this.kind) throw new StorageError('config', `cannot restore a ${raw.driver} record as a ${this.what}`, raw);
    const src = raw.object as KubeObject;
    const md = src.metadata ?? {};
    // What identifies and describes the object survives; server-owned fields do not.
    const metadata: Record<string, unknown> = { name: raw.key, namespace: raw.namespace };
    for (const k of ['labels', 'annotations', 'ownerReferences', 'finalizers']) if (md[k] !== undefined) metadata[k] = md[k];
    const body: KubeObject = { ...src, metadata };
    delete (body as Record<string, unknown>).status;
    let current: KubeObject | undefined;
    try {
      current = await this.getObject(raw.namespace, raw.key);
    } catch (e) {
      if (!(e instanceof StorageError && e.code === 'not-found')) throw e;
    }
    const what = { verb: current ? 'update' : 'create', resource: this.resource, namespace: raw.namespace, key: raw.key };
    const res = current
      ? await this.http.request({
          method: 'PUT', path: this.objectPath(raw.namespace, raw.key), what,
          body: { ...body, metadata: { ...metadata, resourceVersion: current.metadata?.resourceVersion } },
        })
      : await this.http.request({ method: 'POST', path: this.collection(raw.namespace), what, body });
    if (res.status === 409) throw this.err('conflict', raw.namespace, raw.key, 'changed during restore; run restore again');
    if (res.status !== 200 && res.status !== 201) throw this.err('server', raw.namespace, raw.key, `restore answered HTTP ${res.status} ${statusMessage(res.body).message ?? ''}`.trim());
  }

  async delete(expected: ReleaseHead): Promise<void> {
    const { namespace, key } = expected;
    const res = await this.http.request({
      method: 'DELETE',
      path: this.objectPath(namespace, key),
      body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: expected.resourceVersion } },
      what: { verb: 'delete', resource: this.resource, namespace, key },
      verify: async () => {
        try {
          const obj = await this.getObject(namespace, key);
          if (obj.metadata?.resourceVersion === expected.resourceVersion) return 'retry';
          throw this.err('conflict', namespace, key, 'changed since it was read; not deleted');
        } catch (e) {
          if (e instanceof StorageError && e.code === 'not-found') return { done: { status: 200, headers: {}, body: Buffer.from('{}') } };
          throw e;
        }
      },
    });
    if (res.status === 409) throw this.err('conflict', namespace, key, 'changed since it was read; not deleted');
    if (res.status === 404) throw this.err('not-found', namespace, key, 'already gone');
    if (res.status !== 200 && res.status !== 202) throw this.err('server', namespace, key, `delete answered HTTP ${res.status}`);
  }

  async close(): Promise<void> {
    this.http.close();
  }
}

export async function openKubeDriver(config: StorageConfig): Promise<KubeDriver> {
  if (config.driver !== 'secret' && config.driver !== 'configmap') throw new Error(`not a Kubernetes driver: ${config.driver}`);
  return new KubeDriver(buildHttp(config), config.driver, config);
}

export async function fetchKubeServerVersion(config: StorageConfig): Promise<string> {
  const http = buildHttp(config);
  try {
    const res = await http.request({ method: 'GET', path: '/version', what: { verb: 'get', resource: 'version' } });
    const v = (parseJson(res) as { gitVersion?: unknown } | undefined)?.gitVersion;
    if (res.status !== 200 || typeof v !== 'string') {
      throw new StorageError('server', `GET ${http.conn.server}/version answered HTTP ${res.status} without a gitVersion`);
    }
    return v;
  } finally {
    http.close();
  }
}
