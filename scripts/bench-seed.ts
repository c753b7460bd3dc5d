// Seeds a kube-sim state directory for `npm run bench`: N releases x R revisions stored as
// Helm's Secret driver stores them (src/helm/codec.ts), with REALISTIC bodies: rendered
// manifests of 20-200 KB (log-uniform) made of ordinary Kubernetes documents, so gzip
// shrinks them about as much as it shrinks real releases (~10x), not random filler.
// test/kube-sim/seed.ts pads with random hex (compresses ~2x): at 20-200 KB x 20,000
// records that store would be ~5 GB and no single list answer could hold it.
// Mix (deterministic for a seed): ~30% of releases ship a policy/v1beta1 PodSecurityPolicy
// in every revision, ~10% had one only in their older revisions (chart dropped it: the
// deployed revision is clean), ~20% have hooks (a hook PSP when the release has a PSP).
import { encodeRelease } from '../src/helm/codec.js';
import type { ReleaseJson } from '../src/helm/release.js';
import { DiskState } from '../test/kube-sim/persistence.js';
import { bucketOf, Store } from '../test/kube-sim/store.js';
import type { KubeObject } from '../test/kube-sim/types.js';
import { prng } from '../test/kube-sim/seed.js';

export interface BenchSeedOptions {
  releases: number;
  revisions: number;
  /** Uncompressed manifest size range (bytes); default [20_000, 200_000]. */
  manifestBytes?: [number, number];
  pspFraction?: number;
  pspDroppedFraction?: number;
  hookFraction?: number;
  seed?: number;
}

export interface BenchSeedResult {
  records: number;
  namespaces: number;
  /** Releases whose deployed revision names policy/v1beta1 (manifest or hook). */
  pspReleases: number;
  manifestBytes: number;
  storedBytes: number;
}

const CHART = 'bench-app';
const WORDS = ['api', 'web', 'worker', 'cache', 'queue', 'auth', 'billing', 'search', 'report', 'gateway', 'metrics', 'ingest'];
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function hex(rand: () => number, n: number): string {
  let s = '';
  while (s.length < n) s += Math.floor(rand() * 0xffffffff).toString(16).padStart(8, '0');
  return s.slice(0, n);
}

function labels(rel: string, comp: string, indent: string): string {
  return [
    `app.kubernetes.io/name: ${CHART}`,
    `app.kubernetes.io/instance: ${rel}`,
    `app.kubernetes.io/component: ${comp}`,
    'app.kubernetes.io/managed-by: Helm',
    `helm.sh/chart: ${CHART}-1.4.2`,
  ].map((l) => `${indent}${l}`).join('\n');
}

function deployment(rel: string, comp: string, rand: () => number): string {
  const env = Array.from({ length: 4 + Math.floor(rand() * 8) }, (_, i) =>
    `            - name: ${comp.toUpperCase()}_SETTING_${i}\n              value: "${WORDS[Math.floor(rand() * WORDS.length)]}-${Math.floor(rand() * 1000)}"`).join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${rel}-${comp}
  labels:
${labels(rel, comp, '    ')}
spec:
  replicas: ${1 + Math.floor(rand() * 5)}
  selector:
    matchLabels:
      app.kubernetes.io/instance: ${rel}
      app.kubernetes.io/component: ${comp}
  template:
    metadata:
      annotations:
        checksum/config: ${hex(rand, 64)}
      labels:
${labels(rel, comp, '        ')}
    spec:
      serviceAccountName: ${rel}
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        fsGroup: 2000
      containers:
        - name: ${comp}
          image: "registry.example.com/${CHART}/${comp}@sha256:${hex(rand, 64)}"
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
          env:
${env}
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            initialDelaySeconds: 10
            periodSeconds: 15
          readinessProbe:
            httpGet:
              path: /ready
              port: http
          resources:
            limits:
              cpu: ${100 + Math.floor(rand() * 900)}m
              memory: ${128 + Math.floor(rand() * 896)}Mi
            requests:
              cpu: 50m
              memory: 64Mi
`;
}

function service(rel: string, comp: string): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${rel}-${comp}
  labels:
${labels(rel, comp, '    ')}
spec:
  type: ClusterIP
  ports:
    - port: 80
      targetPort: http
      protocol: TCP
      name: http
  selector:
    app.kubernetes.io/instance: ${rel}
    app.kubernetes.io/component: ${comp}
`;
}

function configMap(rel: string, comp: string, rand: () => number, revision: number): string {
  const lines = Array.from({ length: 10 + Math.floor(rand() * 30) }, (_, i) =>
    `    ${WORDS[i % WORDS.length]}.${comp}.option${i} = ${rand() < 0.5 ? Math.floor(rand() * 100000) : WORDS[Math.floor(rand() * WORDS.length)]}`).join('\n');
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${rel}-${comp}-config
  labels:
${labels(rel, comp, '    ')}
data:
  revision: "${revision}"
  app.properties: |
${lines}
`;
}

function psp(name: string, hook: boolean): string {
  return `apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata:
  name: ${name}${hook ? '\n  annotations:\n    "helm.sh/hook": pre-install,pre-upgrade' : ''}
spec:
  privileged: false
  allowPrivilegeEscalation: false
  requiredDropCapabilities:
    - ALL
  volumes:
    - configMap
    - emptyDir
    - secret
    - projected
  hostNetwork: false
  hostIPC: false
  hostPID: false
  runAsUser:
    rule: MustRunAsNonRoot
  seLinux:
    rule: RunAsAny
  supplementalGroups:
    rule: MustRunAs
    ranges:
      - min: 1
        max: 65535
  fsGroup:
    rule: MustRunAs
    ranges:
      - min: 1
        max: 65535
`;
}

function pspRole(rel: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ${rel}-psp
rules:
  - apiGroups: ["policy"]
    resources: ["podsecuritypolicies"]
    verbs: ["use"]
    resourceNames: ["${rel}-psp"]
`;
}

interface ReleaseShape {
  name: string;
  namespace: string;
  size: number;
  psp: boolean;
  pspDropped: boolean;
  hook: boolean;
  seed: number;
}

/** The rendered manifest of one revision: same components every revision, a few values change. */
function manifestOf(r: ReleaseShape, revision: number, withPsp: boolean): string {
  const rand = prng(r.seed * 7919 + revision);
  const docs: Array<[string, string]> = [['serviceaccount.yaml', `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${r.name}\n  labels:\n${labels(r.name, 'core', '    ')}\n`]];
  if (withPsp) {
    docs.push(['psp.yaml', psp(`${r.name}-psp`, false)]);
    docs.push(['psp-role.yaml', pspRole(r.name)]);
  }
  let size = docs.reduce((n, [, d]) => n + d.length, 0);
  for (let i = 0; size < r.size; i++) {
    const comp = `${WORDS[i % WORDS.length]}${i >= WORDS.length ? `-${Math.floor(i / WORDS.length)}` : ''}`;
    for (const [file, d] of [[`${comp}/deployment.yaml`, deployment(r.name, comp, rand)], [`${comp}/service.yaml`, service(r.name, comp)], [`${comp}/configmap.yaml`, configMap(r.name, comp, rand, revision)]] as const) {
      docs.push([file, d]);
      size += d.length + 40;
    }
  }
  return docs.map(([file, y]) => `---\n# Source: ${CHART}/templates/${file}\n${y}`).join('');
}

const TEMPLATES = [
  ['templates/deployment.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "app.fullname" . }}-{{ .component }}\n{{- /* ... */}}\n'],
  ['templates/service.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "app.fullname" . }}\n'],
  ['templates/psp.yaml', '{{- if .Values.psp.enabled }}\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\n{{- end }}\n'],
  ['templates/_helpers.tpl', '{{- define "app.fullname" -}}\n{{ .Release.Name }}\n{{- end }}\n'.repeat(20)],
];

function releaseJson(r: ReleaseShape, revision: number, revisions: number, base: number): ReleaseJson {
  const withPsp = r.psp && !(r.pspDropped && revision > revisions / 2);
  const last = new Date((base + revision * 3600) * 1000).toISOString().replace('Z', '000000Z');
  const hooks: unknown[] = [];
  if (r.hook) {
    const run = { started_at: last, completed_at: last, phase: 'Succeeded' };
    hooks.push({
      name: `${r.name}-db-migrate`, kind: 'ConfigMap', path: `${CHART}/templates/hooks/migrate.yaml`,
      manifest: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${r.name}-db-migrate\n  annotations:\n    "helm.sh/hook": post-install,post-upgrade\ndata:\n  step: migrate\n`,
      events: ['post-install', 'post-upgrade'], last_run: run, weight: 0, delete_policies: ['before-hook-creation'],
    });
    if (withPsp) {
      hooks.push({
        name: `${r.name}-hook-psp`, kind: 'PodSecurityPolicy', path: `${CHART}/templates/hooks/psp.yaml`,
        manifest: psp(`${r.name}-hook-psp`, true), events: ['pre-install', 'pre-upgrade'], last_run: run, weight: -5,
        delete_policies: ['before-hook-creation'],
      });
    }
  }
  return {
    name: r.name,
    info: {
      first_deployed: new Date((base + 3600) * 1000).toISOString().replace('Z', '000000Z'),
      last_deployed: last,
      deleted: '',
      description: revision === 1 ? 'Install complete' : 'Upgrade complete',
      status: revision === revisions ? 'deployed' : 'superseded',
      notes: `${CHART} is running. Visit http://${r.name}.example.com`,
    },
    chart: {
      metadata: { name: CHART, version: '1.4.2', description: 'A benchmark application', apiVersion: 'v2', appVersion: '3.1.0', type: 'application' },
      lock: null,
      templates: TEMPLATES.map(([name, data]) => ({ name, data: b64(data) })),
      values: { replicaCount: 2, image: { repository: `registry.example.com/${CHART}`, tag: '3.1.0' }, psp: { enabled: r.psp } },
      schema: null,
      files: [{ name: 'README.md', data: b64(`# ${CHART}\n\nA benchmark chart.\n`) }],
    },
    config: { revision, ingress: { host: `${r.name}.example.com` } },
    manifest: manifestOf(r, revision, withPsp),
    ...(hooks.length ? { hooks } : {}),
    version: revision,
    namespace: r.namespace,
  };
}

/** Writes every record into `stateDir` (a kube-sim state directory). */
export function seedBenchStore(stateDir: string, o: BenchSeedOptions, onProgress?: (done: number) => void): BenchSeedResult {
  const rand = prng(o.seed ?? 1);
  const [minB, maxB] = o.manifestBytes ?? [20_000, 200_000];
  const nsCount = Math.max(1, Math.round(o.releases / 40));
  const disk = new DiskState(stateDir);
  const loaded = disk.load();
  const store = new Store(loaded.rv, disk);
  for (const { bucket, rec } of loaded.records) store.load(bucket, rec);
  const put = (resource: string, obj: KubeObject) => {
    const bucket = bucketOf('', resource);
    const prev = store.get(bucket, obj.metadata.namespace ?? '', obj.metadata.name);
    if (prev) store.update(bucket, prev, obj);
    else store.create(bucket, obj);
  };
  for (let i = 0; i < nsCount; i++) put('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${i}` }, status: { phase: 'Active' } });
  const result: BenchSeedResult = { records: 0, namespaces: nsCount, pspReleases: 0, manifestBytes: 0, storedBytes: 0 };
  const base = Date.UTC(2024, 0, 1) / 1000;
  for (let i = 0; i < o.releases; i++) {
    const psp = rand() < (o.pspFraction ?? 0.3);
    const shape: ReleaseShape = {
      name: `app-${String(i).padStart(5, '0')}`,
      namespace: `team-${i % nsCount}`,
      // log-uniform: many mid-sized releases, a tail of big ones (mean ~78 KB for 20-200 KB)
      size: Math.floor(minB * Math.pow(maxB / minB, rand())),
      psp: psp || rand() < (o.pspDroppedFraction ?? 0.1) / 0.7,
      pspDropped: !psp,
      hook: rand() < (o.hookFraction ?? 0.2),
      seed: i + 1,
    };
    if (!shape.psp) shape.pspDropped = false;
    if (shape.psp && !(shape.pspDropped && o.revisions >= 2)) result.pspReleases++;
    const modifiedAt = String(base + i * 60);
    for (let v = 1; v <= o.revisions; v++) {
      const rel = releaseJson(shape, v, o.revisions, base + i * 60);
      result.manifestBytes += (rel.manifest as string).length;
      const text = encodeRelease(rel);
      const data = Buffer.from(text, 'latin1').toString('base64');
      result.storedBytes += data.length;
      put('secrets', {
        apiVersion: 'v1', kind: 'Secret', type: 'helm.sh/release.v1',
        metadata: {
          name: `sh.helm.release.v1.${shape.name}.v${v}`, namespace: shape.namespace,
          labels: { modifiedAt, name: shape.name, owner: 'helm', status: String((rel.info as { status: string }).status), version: String(v) },
        },
        data: { release: data },
      });
      result.records++;
    }
    onProgress?.(i + 1);
  }
  return result;
}
