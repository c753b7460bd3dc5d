// Throughput of rewriteManifest on a ~10 MB Helm-style manifest (run: node --import tsx
// scripts/rewrite-throughput.ts [MB]). Two streams: one where 1 document in 100 names a
// deprecated API (a large release with a few PSPs/Ingresses) and a heavy one with 1 in 10.
// Documents no mapping can match take the fast path (no parse); the others are parsed.
import { join } from 'node:path';
import { loadMappingTable, parseKubeVersion } from '../src/mapping/index.js';
import { rewriteManifest } from '../src/manifest/index.js';

const root = join(import.meta.dirname, '..');
const targetMb = Number(process.argv[2] ?? '10');

function deployment(i: number): string {
  return `---
# Source: app/templates/deployment-${i}.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
  labels:
    app.kubernetes.io/name: web
    helm.sh/chart: web-1.2.3
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web-${i}
  template:
    metadata:
      labels:
        app: web-${i}
    spec:
      containers:
        - name: web
          image: "nginx:1.25"
          args: ["--port", "8080"]
          env:
            - name: GREETING
              value: |
                hello ${i}
                world
`;
}
const psp = (i: number) => `---
# Source: app/templates/psp-${i}.yaml
apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata:
  name: restricted-${i}
spec:
  privileged: false
  runAsUser:
    rule: MustRunAsNonRoot
`;
const ingress = (i: number) => `---
# Source: app/templates/ingress-${i}.yaml
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata:
  name: web-${i}
spec:
  rules:
    - host: web-${i}.example.com
`;

function stream(every: number): { text: string; docs: number } {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < targetMb * 1e6; i++) {
    const d = i % every === 7 % every ? psp(i) : i % every === 13 % every ? ingress(i) : deployment(i);
    parts.push(d);
    size += d.length;
  }
  return { text: parts.join(''), docs: parts.length };
}

const table = loadMappingTable({ builtinDir: join(root, 'mapfiles') });
const ctx = { table, target: parseKubeVersion('v1.25'), preClean: false };

for (const every of [100, 20]) {
  const { text, docs } = stream(every);
  rewriteManifest(text.slice(0, 200_000), ctx, 'manifest'); // warm-up
  const runs = 7;
  const times: number[] = [];
  let findings = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    const res = rewriteManifest(text, ctx, 'manifest');
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    findings = res.findings.length;
  }
  times.sort((a, b) => a - b);
  const mb = text.length / 1e6;
  console.log(`${mb.toFixed(2)} MB, ${docs} documents, ${findings} findings (2 in ${every} deprecated): median ${(times[runs >> 1] * 1000).toFixed(0)} ms = ${(mb / times[runs >> 1]).toFixed(1)} MB/s, best ${(mb / times[0]).toFixed(1)} MB/s`);
}
