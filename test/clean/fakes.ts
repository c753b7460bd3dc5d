// In-memory stand-ins for the storage driver and the manifest rewriter, so the clean core
// can be tested without a cluster. The fake driver keeps the contract's semantics: create
// fails on an existing key, update/delete check the resourceVersion, readRaw/writeRaw round
// trip the stored object exactly.
import type { Driver, RawRecord, ReleaseHead, StoredRevision } from '../../src/storage/driver.js';
import { storageKey } from '../../src/storage/driver.js';
import { StorageError } from '../../src/storage/errors.js';
import { decodeRelease, encodeRelease } from '../../src/helm/codec.js';
import type { ReleaseJson } from '../../src/helm/release.js';
import type { Rewriter } from '../../src/clean/plan.js';
import type { Finding } from '../../src/manifest/types.js';
import type { MappingTable } from '../../src/mapping/types.js';

interface Obj {
  namespace: string;
  key: string;
  labels: Record<string, string>;
  data: string; // Helm's base64(gzip(json)), or garbage for a corrupt record
  resourceVersion: number;
}

export interface WriteLogEntry {
  op: 'create' | 'update' | 'delete' | 'writeRaw';
  namespace: string;
  key: string;
}

export class FakeDriver implements Driver {
  readonly kind = 'secret' as const;
  objects = new Map<string, Obj>();
  writes: WriteLogEntry[] = [];
  gets: string[] = [];
  private rv = 100;
  /** Called before an update is applied; lets a test simulate a concurrent writer. */
  beforeUpdate?: (key: string) => void;
  forbidNamespaces = new Set<string>();

  private id(ns: string, key: string): string {
    return `${ns}/${key}`;
  }

  put(release: ReleaseJson, extraLabels: Record<string, string> = {}): void {
    const name = String(release.name);
    const ns = String(release.namespace);
    const version = Number(release.version);
    const status = String((release.info as Record<string, unknown>).status);
    const key = storageKey(name, version);
    this.objects.set(this.id(ns, key), {
      namespace: ns, key, labels: { name, owner: 'helm', status, version: String(version), ...extraLabels },
      data: encodeRelease(release), resourceVersion: this.rv++,
    });
  }

  putCorrupt(ns: string, name: string, version: number, status: string): void {
    const key = storageKey(name, version);
    this.objects.set(this.id(ns, key), { namespace: ns, key, labels: { name, owner: 'helm', status, version: String(version) }, data: 'bm90IGd6aXA=', resourceVersion: this.rv++ });
  }

  release(ns: string, name: string, version: number): ReleaseJson {
    return decodeRelease(this.objects.get(this.id(ns, storageKey(name, version)))!.data);
  }

  labels(ns: string, name: string, version: number): Record<string, string> {
    return this.objects.get(this.id(ns, storageKey(name, version)))!.labels;
  }

  snapshot(): string {
    return JSON.stringify([...this.objects.values()].map((o) => ({ ...o, resourceVersion: undefined })).sort((a, b) => (a.key < b.key ? -1 : 1)));
  }

  private head(o: Obj): ReleaseHead {
    return {
      name: o.labels.name, namespace: o.namespace, revision: Number(o.labels.version), status: o.labels.status,
      key: o.key, resourceVersion: String(o.resourceVersion), labels: { ...o.labels },
    };
  }

  async *listHeads(opts: { namespace?: string; releaseName?: string }): AsyncIterable<ReleaseHead | StorageError> {
    if (opts.namespace && this.forbidNamespaces.has(opts.namespace)) {
      throw new StorageError('forbidden', `listing secrets in namespace "${opts.namespace}" is forbidden`, { namespace: opts.namespace });
    }
    for (const ns of this.forbidNamespaces) {
      if (!opts.namespace) yield new StorageError('forbidden', `listing secrets in namespace "${ns}" is forbidden`, { namespace: ns });
    }
    for (const o of this.objects.values()) {
      if (opts.namespace && o.namespace !== opts.namespace) continue;
      if (this.forbidNamespaces.has(o.namespace)) continue;
      if (opts.releaseName && o.labels.name !== opts.releaseName) continue;
      yield this.head(o);
    }
  }

  async get(namespace: string, name: string, revision: number): Promise<StoredRevision> {
    const key = storageKey(name, revision);
    this.gets.push(this.id(namespace, key));
    const o = this.objects.get(this.id(namespace, key));
    if (!o) throw new StorageError('not-found', `${namespace}/${key} not found`, { namespace, key });
    let release: ReleaseJson;
    try {
      release = decodeRelease(o.data);
    } catch (e) {
      throw new StorageError('decode', `${namespace}/${key}: ${(e as Error).message}`, { namespace, key });
    }
    return { head: this.head(o), release, raw: this.raw(o) };
  }

  private raw(o: Obj): RawRecord {
    return { driver: 'secret', namespace: o.namespace, key: o.key, object: { labels: { ...o.labels }, data: o.data } };
  }

  async create(release: ReleaseJson, labels: Record<string, string>): Promise<ReleaseHead> {
    const ns = String(release.namespace);
    const key = storageKey(String(release.name), Number(release.version));
    if (this.objects.has(this.id(ns, key))) throw new StorageError('already-exists', `${ns}/${key} already exists`, { namespace: ns, key });
    const o: Obj = { namespace: ns, key, labels: { ...labels }, data: encodeRelease(release), resourceVersion: this.rv++ };
    this.objects.set(this.id(ns, key), o);
    this.writes.push({ op: 'create', namespace: ns, key });
    return this.head(o);
  }

  async update(expected: ReleaseHead, release: ReleaseJson, labels: Record<string, string>): Promise<ReleaseHead> {
    this.beforeUpdate?.(expected.key);
    const o = this.objects.get(this.id(expected.namespace, expected.key));
    if (!o) throw new StorageError('not-found', `${expected.namespace}/${expected.key} not found`);
    if (String(o.resourceVersion) !== expected.resourceVersion) throw new StorageError('conflict', `${expected.namespace}/${expected.key} changed`);
    o.labels = { ...labels };
    o.data = encodeRelease(release);
    o.resourceVersion = this.rv++;
    this.writes.push({ op: 'update', namespace: o.namespace, key: o.key });
    return this.head(o);
  }

  async readRaw(namespace: string, key: string): Promise<RawRecord> {
    const o = this.objects.get(this.id(namespace, key));
    if (!o) throw new StorageError('not-found', `${namespace}/${key} not found`);
    return this.raw(o);
  }

  async writeRaw(raw: RawRecord): Promise<void> {
    const obj = raw.object as { labels: Record<string, string>; data: string };
    this.objects.set(this.id(raw.namespace, raw.key), { namespace: raw.namespace, key: raw.key, labels: { ...obj.labels }, data: obj.data, resourceVersion: this.rv++ });
    this.writes.push({ op: 'writeRaw', namespace: raw.namespace, key: raw.key });
  }

  async delete(expected: ReleaseHead): Promise<void> {
    const o = this.objects.get(this.id(expected.namespace, expected.key));
    if (!o) throw new StorageError('not-found', `${expected.namespace}/${expected.key} not found`);
    if (String(o.resourceVersion) !== expected.resourceVersion) throw new StorageError('conflict', `${expected.namespace}/${expected.key} changed`);
    this.objects.delete(this.id(expected.namespace, expected.key));
    this.writes.push({ op: 'delete', namespace: expected.namespace, key: expected.key });
  }

  async close(): Promise<void> {}
}

/**
 * A tiny rewriter with the real one's contract: drops `policy/v1beta1 PodSecurityPolicy`
 * documents (with their `# Source:` header) and renames `policy/v1beta1 PodDisruptionBudget`
 * to `policy/v1`. Documents are split on `---` lines.
 */
export const fakeRewrite: Rewriter = (text, _opts, source) => {
  const parts = text.split(/^(?=---\s*$)/m);
  const findings: Finding[] = [];
  const out: string[] = [];
  parts.forEach((doc, docIndex) => {
    const api = doc.match(/^apiVersion:\s*(\S+)/m)?.[1];
    const kind = doc.match(/^kind:\s*(\S+)/m)?.[1];
    const name = doc.match(/^\s+name:\s*(\S+)/m)?.[1] ?? '';
    if (api === 'policy/v1beta1' && kind === 'PodSecurityPolicy') {
      findings.push({ source, docIndex, kind, name, namespace: '', oldApiVersion: api, newApiVersion: null, action: 'removed', mappingId: 'psp', early: false, warnings: [] });
      return;
    }
    if (api === 'policy/v1beta1' && kind === 'PodDisruptionBudget') {
      findings.push({ source, docIndex, kind, name, namespace: '', oldApiVersion: api, newApiVersion: 'policy/v1', action: 'renamed', mappingId: 'pdb', early: false, warnings: [] });
      out.push(doc.replace(/^apiVersion:\s*policy\/v1beta1/m, 'apiVersion: policy/v1'));
      return;
    }
    out.push(doc);
  });
  const output = out.join('');
  return { output, changed: output !== text, findings };
};

export const fakeTable: MappingTable = { entries: [], lookup: () => undefined };
export const target125 = { major: 1, minor: 25, raw: 'v1.25.0' };

export const PSP_DOC = '---\n# Source: demo/templates/psp.yaml\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: demo-psp\nspec:\n  privileged: false\n';
export const CM_DOC = '---\n# Source: demo/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo-cm\ndata:\n  a: "1"\n';
export const HOOK_PSP = 'apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: hook-psp\nspec:\n  privileged: false\n';
export const HOOK_JOB = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: hook-job\n';

/** A hook as Helm stores it: `kind` is its document's kind unless given ('' = stored without one). */
export interface FakeHook {
  name: string;
  manifest: string;
  kind?: string;
}

const kindOf = (h: FakeHook): string => h.kind ?? /^kind: *(\S+)/m.exec(h.manifest)?.[1] ?? '';

export function makeRelease(o: { name?: string; namespace?: string; version: number; status: string; manifest: string; hooks?: FakeHook[]; extra?: Record<string, unknown> }): ReleaseJson {
  return {
    name: o.name ?? 'demo',
    info: { first_deployed: '2024-01-01T00:00:00Z', last_deployed: '2024-01-01T00:00:00Z', deleted: '', description: 'Install complete', status: o.status },
    chart: { metadata: { name: 'demo', version: '0.1.0' }, templates: [], values: { secret: 'hunter2' } },
    manifest: o.manifest,
    ...(o.hooks ? { hooks: o.hooks.map((h) => ({ name: h.name, kind: kindOf(h), path: `demo/templates/${h.name}.yaml`, manifest: h.manifest, events: ['pre-install'], last_run: { started_at: '', completed_at: '', phase: '' } })) } : {}),
    version: o.version,
    namespace: o.namespace ?? 'default',
    ...o.extra,
  };
}
