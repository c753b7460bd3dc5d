// The audit's only cluster I/O (loaded lazily by the CLI, never by the pure core): namespace
// labels and RBAC objects, read with the same kubeconfig/auth as the storage driver. Every
// read is best-effort: a 403 or an unreachable server leaves that part unknown, with a note.
// Reads are GETs only; nothing here writes.
import { STORAGE_DEFAULTS, type StorageConfig } from '../storage/config.js';
import { isStorageError } from '../storage/errors.js';
import { KubeHttp } from '../storage/kube/http.js';
import { openConnection } from '../storage/kube/kubeconfig.js';

export interface ClusterView {
  /** Labels per namespace that could be read. */
  namespaceLabels: Record<string, Record<string, string>>;
  /** Every namespace, when the cluster-wide list was permitted. */
  allNamespaces?: string[];
  /** Role/ClusterRole/RoleBinding/ClusterRoleBinding objects that could be read. */
  rbacObjects: object[];
  notes: string[];
}

type Obj = Record<string, unknown>;

const RBAC = '/apis/rbac.authorization.k8s.io/v1';

function why(e: unknown): string {
  if (isStorageError(e)) return e.code === 'forbidden' ? 'forbidden' : e.message;
  return (e as Error).message ?? String(e);
}

function labelsOf(o: unknown): Record<string, string> {
  const md = (o as { metadata?: { labels?: unknown } })?.metadata;
  const labels = md?.labels;
  const out: Record<string, string> = {};
  if (labels && typeof labels === 'object') for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') out[k] = v;
  return out;
}

export class ClusterReader {
  private readonly http: KubeHttp;

  constructor(config: StorageConfig) {
    this.http = new KubeHttp(openConnection(config), {
      timeoutMs: config.requestTimeoutMs ?? STORAGE_DEFAULTS.requestTimeoutMs,
      // Optional information: do not make the user wait through the storage retry budget.
      retries: Math.min(config.retries ?? STORAGE_DEFAULTS.retries, 1),
      concurrency: config.concurrency ?? STORAGE_DEFAULTS.concurrency,
      asUser: config.kubeAsUser,
      asGroups: config.kubeAsGroups,
      log: config.log ?? (() => undefined),
    ...(config.limiter ? { limiter: config.limiter } : {}),
    });
  }

  close(): void {
    this.http.close();
  }

  private async getJson(path: string, resource: string, namespace?: string): Promise<Obj | undefined> {
    const res = await this.http.request({ method: 'GET', path, what: { verb: 'get', resource, namespace } });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`GET ${resource}: HTTP ${res.status}`);
    return JSON.parse(res.body.toString('utf8')) as Obj;
  }

  /** Lists every page of a collection. */
  private async list(path: string, resource: string, namespace?: string): Promise<Obj[]> {
    const items: Obj[] = [];
    let cont: string | undefined;
    do {
      const res = await this.http.request({ method: 'GET', path, query: { limit: '500', continue: cont }, what: { verb: 'list', resource, namespace } });
      if (res.status !== 200) throw new Error(`list ${resource}: HTTP ${res.status}`);
      const body = JSON.parse(res.body.toString('utf8')) as { items?: unknown; metadata?: { continue?: string } };
      if (Array.isArray(body.items)) items.push(...(body.items as Obj[]));
      cont = body.metadata?.continue || undefined;
    } while (cont);
    return items;
  }

  /**
   * Running pods, page by page (each page handed to `onPage`, then dropped): cluster-wide when
   * `all`, else (or when the cluster-wide list is forbidden) namespace by namespace.
   */
  async pods(all: boolean, namespaces: string[], onPage: (pods: Obj[]) => void, view: ClusterView): Promise<void> {
    if (all) {
      try {
        await this.eachPage('/api/v1/pods', 'pods', undefined, onPage);
        return;
      } catch (e) {
        view.notes.push(`cannot list pods in all namespaces (${why(e)}); listing the audited namespaces one by one`);
      }
    }
    for (const ns of namespaces) {
      try {
        await this.eachPage(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods`, 'pods', ns, onPage);
      } catch (e) {
        view.notes.push(`cannot list pods in namespace ${ns} (${why(e)}): its running pods are not checked`);
      }
    }
  }

  private async eachPage(path: string, resource: string, namespace: string | undefined, onPage: (items: Obj[]) => void): Promise<void> {
    let cont: string | undefined;
    do {
      const res = await this.http.request({ method: 'GET', path, query: { limit: '500', continue: cont }, what: { verb: 'list', resource, namespace } });
      if (res.status !== 200) throw new Error(`list ${resource}: HTTP ${res.status}`);
      const body = JSON.parse(res.body.toString('utf8')) as { items?: unknown; metadata?: { continue?: string } };
      if (Array.isArray(body.items)) onPage(body.items as Obj[]);
      cont = body.metadata?.continue || undefined;
    } while (cont);
  }

  /** Labels of every namespace (cluster-wide list), else of each wanted namespace one by one. */
  async namespaces(wanted: string[], view: ClusterView): Promise<void> {
    try {
      const items = await this.list('/api/v1/namespaces', 'namespaces');
      view.allNamespaces = [];
      for (const ns of items) {
        const name = (ns.metadata as { name?: unknown } | undefined)?.name;
        if (typeof name !== 'string') continue;
        view.allNamespaces.push(name);
        view.namespaceLabels[name] = labelsOf(ns);
      }
      return;
    } catch (e) {
      view.notes.push(`cannot list namespaces (${why(e)}); reading the audited ones one by one`);
    }
    let failed = 0;
    for (const ns of wanted) {
      try {
        const o = await this.getJson(`/api/v1/namespaces/${encodeURIComponent(ns)}`, 'namespaces', ns);
        if (o) view.namespaceLabels[ns] = labelsOf(o);
        else view.notes.push(`namespace ${ns} does not exist in the cluster`);
      } catch {
        failed++;
      }
    }
    if (failed > 0) view.notes.push(`current labels of ${failed} namespace(s) could not be read; shown as unknown`);
  }

  /** Cluster RBAC objects; cluster-wide lists first, else the Roles/RoleBindings of `namespaces`. */
  async rbac(namespaces: string[], view: ClusterView): Promise<void> {
    for (const [resource, kind] of [['clusterroles', 'ClusterRole'], ['clusterrolebindings', 'ClusterRoleBinding']] as const) {
      try {
        for (const o of await this.list(`${RBAC}/${resource}`, resource)) view.rbacObjects.push({ ...o, kind });
      } catch (e) {
        view.notes.push(`cannot list ${resource} (${why(e)}): bindings outside the release manifests may be missing`);
      }
    }
    for (const [resource, kind] of [['roles', 'Role'], ['rolebindings', 'RoleBinding']] as const) {
      try {
        for (const o of await this.list(`${RBAC}/${resource}`, resource)) view.rbacObjects.push({ ...o, kind });
        continue;
      } catch {
        /* fall back to the namespaces we know */
      }
      let failed = 0;
      for (const ns of namespaces) {
        try {
          for (const o of await this.list(`${RBAC}/namespaces/${encodeURIComponent(ns)}/${resource}`, resource, ns)) view.rbacObjects.push({ ...o, kind });
        } catch {
          failed++;
        }
      }
      if (failed > 0) view.notes.push(`cannot list ${resource} in ${failed} namespace(s): bindings outside the release manifests may be missing`);
    }
  }
}

/** Lists running pods page by page (see ClusterReader.pods); never throws, notes what failed. */
export async function readLivePods(config: StorageConfig, all: boolean, namespaces: string[], onPage: (pods: Obj[]) => void): Promise<string[]> {
  const view: ClusterView = { namespaceLabels: {}, rbacObjects: [], notes: [] };
  let reader: ClusterReader;
  try {
    reader = new ClusterReader(config);
  } catch (e) {
    return [`no Kubernetes connection (${why(e)}): running pods not checked`];
  }
  try {
    await reader.pods(all, namespaces, onPage, view);
  } finally {
    reader.close();
  }
  return view.notes;
}

/**
 * Reads what the cluster can tell the audit; never throws. RBAC first (it decides which
 * namespaces the PSPs govern), then the labels of the namespaces `wanted` names given that RBAC.
 */
export async function readClusterView(
  config: StorageConfig,
  releaseNamespaces: string[],
  withRbac: boolean,
  wanted: (rbacObjects: object[]) => string[],
): Promise<ClusterView> {
  const view: ClusterView = { namespaceLabels: {}, rbacObjects: [], notes: [] };
  let reader: ClusterReader;
  try {
    reader = new ClusterReader(config);
  } catch (e) {
    view.notes.push(`no Kubernetes connection (${why(e)}): current namespace labels unknown`);
    return view;
  }
  try {
    if (withRbac) await reader.rbac(releaseNamespaces, view);
    await reader.namespaces(wanted(view.rbacObjects), view);
  } finally {
    reader.close();
  }
  return view;
}
