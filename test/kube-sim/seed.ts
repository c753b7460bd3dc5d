// Seeding at scale without Helm: N releases x R revisions written straight into a sim's
// store (or a state directory), encoded exactly as Helm's Secret/ConfigMap drivers encode
// them (src/helm/codec.ts), with Helm 3's release JSON layout and labels. Deterministic for
// a given `seed`, so benchmarks compare like with like.
import { encodeRelease } from '../../src/helm/codec.js';
import type { ReleaseJson } from '../../src/helm/release.js';
import { DiskState } from './persistence.js';
import { bucketOf, Store } from './store.js';
import type { KubeObject, KubeSim } from './types.js';

export interface SeedOptions {
  releases: number;
  /** Revisions per release: the last is deployed, older ones superseded. */
  revisions: number;
  /** Namespaces to spread releases over (ns-0 ... ns-(n-1)); default 1. */
  namespaces?: number;
  driver?: 'secret' | 'configmap';
  /** Uncompressed manifest size range in bytes (padded with ConfigMap settings); default [600, 2000]. */
  manifestBytes?: [number, number];
  /** Fraction of releases whose manifest has a policy/v1beta1 PodSecurityPolicy; default 0.5. */
  pspFraction?: number;
  /** Fraction of releases with a hook (ConfigMap; plus a hook PSP when the release has a PSP); default 0.3. */
  hookFraction?: number;
  /** PRNG seed; default 1. */
  seed?: number;
}

export interface SeedResult {
  records: number;
  releases: Array<{ name: string; namespace: string; revisions: number; psp: boolean; hook: boolean }>;
  namespaces: string[];
}

/** mulberry32: small, fast, deterministic (also used by scripts/bench-seed.ts). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHART = 'seed-chart';
const WORDS = ['api', 'web', 'worker', 'cache', 'queue', 'auth', 'billing', 'search', 'report', 'gateway', 'metrics', 'ingest', 'timeout', 'replicas', 'enabled', 'level'];

/**
 * ConfigMap data lines of about `bytes` bytes, built from a small vocabulary: they compress
 * like real YAML (several-fold under gzip), where random filler would barely compress.
 */
function settings(rand: () => number, bytes: number): string {
  const pick = () => WORDS[Math.floor(rand() * WORDS.length)];
  let out = '';
  for (let i = 0; out.length < bytes; i++) out += `  ${pick()}-${pick()}-${i}: "${pick()}.${pick()}=${Math.floor(rand() * 1000)}"\n`;
  return out.replace(/\n$/, '');
}
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function pspDoc(name: string): string {
  return `apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: ${name}\nspec:\n  privileged: false\n  seLinux:\n    rule: RunAsAny\n  runAsUser:\n    rule: MustRunAsNonRoot\n  supplementalGroups:\n    rule: RunAsAny\n  fsGroup:\n    rule: RunAsAny\n  volumes:\n  - configMap\n  - secret`;
}

function buildRelease(p: {
  name: string; namespace: string; version: number; status: string; psp: boolean; hook: boolean;
  filler: string; first: Date; last: Date;
}): ReleaseJson {
  const docs: Array<[string, string]> = [
    ['configmap.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${p.name}-config\ndata:\n  revision: "${p.version}"\n${p.filler}`],
    ['serviceaccount.yaml', `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${p.name}-sa`],
  ];
  if (p.psp) {
    docs.push(['psp.yaml', pspDoc(`${p.name}-psp`)]);
    docs.push(['role.yaml', `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: ${p.name}-role\nrules:\n- apiGroups:\n  - policy\n  resourceNames:\n  - ${p.name}-psp\n  resources:\n  - podsecuritypolicies\n  verbs:\n  - use`]);
  }
  const manifest = docs.map(([file, y]) => `---\n# Source: ${CHART}/templates/${file}\n${y}\n`).join('');
  const hooks: unknown[] = [];
  const ts = p.last.toISOString().replace('Z', '000000Z');
  if (p.hook) {
    const hookRun = { started_at: ts, completed_at: ts, phase: 'Succeeded' };
    hooks.push({
      name: `${p.name}-hook`, kind: 'ConfigMap', path: `${CHART}/templates/hook.yaml`,
      manifest: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${p.name}-hook\n  annotations:\n    "helm.sh/hook": post-install,post-upgrade\ndata:\n  phase: hook`,
      events: ['post-install', 'post-upgrade'], last_run: hookRun, weight: 0, delete_policies: ['before-hook-creation'],
    });
    if (p.psp) {
      hooks.push({
        name: `${p.name}-hook-psp`, kind: 'PodSecurityPolicy', path: `${CHART}/templates/hook-psp.yaml`,
        manifest: `${pspDoc(`${p.name}-hook-psp`).replace('metadata:\n', 'metadata:\n  annotations:\n    "helm.sh/hook": pre-install,pre-upgrade\n')}`,
        events: ['pre-install', 'pre-upgrade'], last_run: hookRun, weight: 0, delete_policies: ['before-hook-creation'],
      });
    }
  }
  const templates = docs.map(([file, y]) => ({ name: `templates/${file}`, data: b64(y) }));
  return {
    name: p.name,
    info: {
      first_deployed: p.first.toISOString().replace('Z', '000000Z'),
      last_deployed: ts,
      deleted: '',
      description: p.version === 1 ? 'Install complete' : 'Upgrade complete',
      status: p.status,
      notes: '',
    },
    chart: {
      metadata: { name: CHART, version: '1.0.0', description: 'Seeded by kube-sim', apiVersion: 'v2', appVersion: '1.0.0', type: 'application' },
      lock: null,
      templates,
      values: { replicaCount: 1, psp: { enabled: p.psp } },
      schema: null,
      files: null,
    },
    config: { revision: p.version },
    manifest,
    ...(hooks.length ? { hooks } : {}),
    version: p.version,
    namespace: p.namespace,
  };
}

function storageObject(driver: 'secret' | 'configmap', r: ReleaseJson, modifiedAt: number): KubeObject {
  const helmText = encodeRelease(r);
  const metadata = {
    name: `sh.helm.release.v1.${r.name}.v${r.version}`,
    namespace: r.namespace,
    labels: { modifiedAt: String(modifiedAt), name: String(r.name), owner: 'helm', status: String((r.info as any).status), version: String(r.version) },
  };
  return driver === 'secret'
    ? { apiVersion: 'v1', kind: 'Secret', metadata, type: 'helm.sh/release.v1', data: { release: b64(helmText) } }
    : { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { release: helmText } };
}

/** Writes the release records; `target` is a running sim or a state directory (no server). */
export async function seedReleases(target: KubeSim | string, opts: SeedOptions): Promise<SeedResult> {
  const rand = prng(opts.seed ?? 1);
  const driver = opts.driver ?? 'secret';
  const [minBytes, maxBytes] = opts.manifestBytes ?? [600, 2000];
  const nsCount = Math.max(1, opts.namespaces ?? 1);
  const namespaces = Array.from({ length: nsCount }, (_, i) => `ns-${i}`);

  let put: (obj: KubeObject) => void;
  if (typeof target === 'string') {
    const disk = new DiskState(target);
    const loaded = disk.load();
    const store = new Store(loaded.rv, disk);
    for (const { bucket, rec } of loaded.records) store.load(bucket, rec);
    put = (obj) => {
      const bucket = bucketOf('', obj.kind === 'Namespace' ? 'namespaces' : obj.kind === 'Secret' ? 'secrets' : 'configmaps');
      const prev = store.get(bucket, obj.metadata.namespace ?? '', obj.metadata.name);
      if (prev) store.update(bucket, prev, obj);
      else store.create(bucket, obj);
    };
  } else {
    put = (obj) => void target.putObject(obj);
  }

  for (const ns of namespaces) put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns }, status: { phase: 'Active' } });

  const result: SeedResult = { records: 0, releases: [], namespaces };
  const base = Date.UTC(2024, 0, 1) / 1000;
  for (let i = 0; i < opts.releases; i++) {
    const name = `rel-${String(i).padStart(5, '0')}`;
    const namespace = namespaces[i % nsCount];
    const psp = rand() < (opts.pspFraction ?? 0.5);
    const hook = rand() < (opts.hookFraction ?? 0.3);
    const size = Math.floor(minBytes + rand() * Math.max(0, maxBytes - minBytes));
    const first = new Date((base + i * 60) * 1000);
    for (let v = 1; v <= opts.revisions; v++) {
      const filler = settings(rand, Math.max(0, size - 400));
      const last = new Date(first.getTime() + (v - 1) * 3600_000);
      const status = v === opts.revisions ? 'deployed' : 'superseded';
      const rel = buildRelease({ name, namespace, version: v, status, psp, hook, filler, first, last });
      // Helm's modifiedAt label is sticky: every revision carries revision 1's timestamp.
      put(storageObject(driver, rel, Math.floor(first.getTime() / 1000)));
      result.records++;
    }
    result.releases.push({ name, namespace, revisions: opts.revisions, psp, hook });
  }
  return result;
}
