// `psa-clean audit --manifest FILE|-` (offline), in-process through runCli, and proof that the
// offline path never loads the Kubernetes client.
import { describe, expect, it } from 'vitest';
import { PassThrough, Readable } from 'node:stream';
import { join } from 'node:path';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { run } from '../helpers/helm-env.js';

function io(stdin = '', env: NodeJS.ProcessEnv = {}): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (d) => (o += d));
  stderr.on('data', (d) => (e += d));
  return { io: { stdout, stderr, stdin: Readable.from([stdin]), env, cwd: REPO_ROOT, pluginRoot: REPO_ROOT }, out: () => o, err: () => e };
}

const FIX = 'test/fixtures/psp';

describe('audit --manifest (offline)', () => {
  it('reads a file and prints json with both readings per PSP', async () => {
    const t = io();
    const code = await runCli(['audit', '--manifest', `${FIX}/rke2-global-restricted-psp.yaml`, '-o', 'json'], t.io);
    expect(t.err()).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(t.out());
    expect(r.policies.map((p: { name: string; strict: string; practical: string }) => [p.name, p.strict, p.practical])).toEqual([['global-restricted-psp', 'privileged', 'restricted']]);
    expect(r.reading).toBe('practical');
  });

  it('reads stdin with -, and objects without namespace land in HELM_NAMESPACE', async () => {
    const manifest = `apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata: {name: p}
spec: {privileged: true}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r}
rules: [{apiGroups: [policy], resources: [podsecuritypolicies], verbs: [use], resourceNames: [p]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb}
roleRef: {kind: Role, name: r, apiGroup: rbac.authorization.k8s.io}
subjects: [{kind: ServiceAccount, name: default}]
`;
    const t = io(manifest, { HELM_NAMESPACE: 'team-a' });
    expect(await runCli(['audit', '--manifest', '-', '--reading', 'strict'], t.io)).toBe(0);
    expect(t.out()).toContain('kubectl label --overwrite ns team-a pod-security.kubernetes.io/enforce=privileged pod-security.kubernetes.io/enforce-version=latest pod-security.kubernetes.io/audit=privileged pod-security.kubernetes.io/audit-version=latest pod-security.kubernetes.io/warn=privileged pod-security.kubernetes.io/warn-version=latest');
    expect(t.out()).toContain('used by: ServiceAccount team-a/default via RoleBinding team-a/rb -> team-a');
  });

  it('yaml output, --rancher marks exempt namespaces', async () => {
    const t = io('', { HELM_NAMESPACE: 'cattle-monitoring-system' });
    expect(await runCli(['audit', '--manifest', `${FIX}/rancher-monitoring-chart-psp.yaml`, '--rancher', '-o', 'yaml'], t.io)).toBe(0);
    expect(t.out()).toMatch(/exempt: true/);
    expect(t.out()).toMatch(/version: v2\.14/);
  });

  it('usage errors: bad --reading, releases with --manifest, unknown Rancher version, unreadable file', async () => {
    const a = io();
    expect(await runCli(['audit', '--manifest', `${FIX}/k8s-docs-example-psp.yaml`, '--reading', 'lenient'], a.io)).not.toBe(0);
    expect(a.err()).toContain('must be strict or practical');
    const b = io();
    expect(await runCli(['audit', 'rel', '--manifest', `${FIX}/k8s-docs-example-psp.yaml`], b.io)).not.toBe(0);
    expect(b.err()).toContain('give no release names');
    const c = io();
    expect(await runCli(['audit', '--manifest', `${FIX}/k8s-docs-example-psp.yaml`, '--rancher-version', 'v1.0'], c.io)).not.toBe(0);
    expect(c.err()).toContain('unknown Rancher version');
    const d = io();
    expect(await runCli(['audit', '--manifest', 'no/such/file.yaml'], d.io)).toBe(1);
    expect(d.err()).toContain('cannot read no/such/file.yaml: ENOENT');
    const e = io();
    expect(await runCli(['audit', '--manifest', `${FIX}/k8s-docs-example-psp.yaml`, '--kube-version', 'latest'], e.io)).not.toBe(0);
  });

  it('--kube-version adds what Pod Security Admission does there', async () => {
    const t = io();
    expect(await runCli(['audit', '--manifest', `${FIX}/k8s-docs-example-psp.yaml`, '--kube-version', '1.22.4', '-o', 'json'], t.io)).toBe(0);
    const r = JSON.parse(t.out());
    expect(r.kubeVersion).toBe('v1.22');
    expect(r.warnings.join('\n')).toContain('PodSecurity feature gate');
  });
});

describe('the offline path does not load @kubernetes/client-node', () => {
  const deny = join(REPO_ROOT, 'test/audit/deny-kube-client.mjs');
  const main = join(REPO_ROOT, 'src/cli/main.ts');
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, KUBECONFIG: '/nonexistent/kubeconfig', HELM_NAMESPACE: 'default' };

  it('audit --manifest runs with the client denied', async () => {
    const r = await run(process.execPath, ['--import', 'tsx', '--import', deny, main, 'audit', '--manifest', join(REPO_ROOT, FIX, 'k8s-docs-privileged-psp.yaml'), '-o', 'json'], env, undefined, REPO_ROOT);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).policies[0].strict).toBe('privileged');
  });

  it('control: the cluster path does load it (so the denial above is real)', async () => {
    const r = await run(process.execPath, ['--import', 'tsx', '--import', deny, main, 'audit'], env, undefined, REPO_ROOT);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('DENIED: @kubernetes/client-node was loaded');
  });
});

describe('audit --manifest: workloads, policy version, admission configuration', () => {
  // Ajv is a devDependency used the same way by the clean schema test.
  const schemaFile = join(REPO_ROOT, 'schemas', 'audit-output.schema.json');
  const CHART_OUT = 'test/fixtures/manifests/workload-app-shop.yaml';

  async function json(args: string[], env: NodeJS.ProcessEnv = { HELM_NAMESPACE: 'shop' }) {
    const t = io('', env);
    const code = await runCli(['audit', '--manifest', CHART_OUT, '-o', 'json', ...args], t.io);
    return { code, err: t.err(), r: code === 0 ? JSON.parse(t.out()) : undefined };
  }

  it('policy version: --pss-version, else the --kube-version minor, else latest', async () => {
    expect((await json([])).r.pssVersion).toBe('latest');
    expect((await json(['--kube-version', '1.24.17'])).r.pssVersion).toBe('v1.24');
    expect((await json(['--kube-version', '1.24.17', '--pss-version', 'v1.23'])).r.pssVersion).toBe('v1.23');
    expect((await json(['--pss-version', 'latest'])).r.pssVersion).toBe('latest');
    const bad = await json(['--pss-version', 'one.two']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--pss-version');
    expect(bad.err).toContain('one.two');
  });

  it('the json validates against the shipped schema, names the CronJob that holds the namespace below its PSP level, and pins the version', async () => {
    const { default: Ajv } = await import('ajv');
    const { readFileSync } = await import('node:fs');
    const validate = new (Ajv as unknown as typeof Ajv.default)({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
    const { code, r } = await json(['--kube-version', '1.24']);
    expect(code).toBe(0);
    expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...r, workloads: [{ ...r.workloads[0], strictest: 'lenient' }] })).toBe(false);
    // The chart's PSP rates baseline (practical); the CronJob mounts hostPath (baseline check hostPathVolumes).
    const [ns] = r.namespaces;
    expect([ns.name, ns.pspLevel, ns.enforce, ns.warn, ns.audit, ns.version]).toEqual(['shop', 'baseline', 'privileged', 'baseline', 'baseline', 'v1.24']);
    expect(ns.limitedBy).toEqual([{ level: 'privileged', checks: ['hostPathVolumes'], workloads: ['CronJob shop-report (manifest)'] }]);
    expect(r.workloads.map((w: { kind: string; name: string }) => `${w.kind}/${w.name}`)).toEqual(['Deployment/shop-web', 'CronJob/shop-report', 'Pod/shop-migrate']);
  });

  it('--live needs a cluster', async () => {
    const t = io();
    expect(await runCli(['audit', '--manifest', CHART_OUT, '--live'], t.io)).toBe(1);
    expect(t.err()).toContain('--live reads the cluster');
  });

  it('--admission-config prints an AdmissionConfiguration for the target version, exempting what needs privileged (and Rancher\'s list)', async () => {
    const { parse } = await import('yaml');
    const t = io('', { HELM_NAMESPACE: 'shop' });
    expect(await runCli(['audit', '--manifest', CHART_OUT, '--kube-version', '1.25', '--admission-config', '--rancher'], t.io)).toBe(0);
    const c = parse(t.out());
    expect(c.kind).toBe('AdmissionConfiguration');
    const cfg = c.plugins[0].configuration;
    expect(cfg.apiVersion).toBe('pod-security.admission.config.k8s.io/v1');
    expect(cfg.exemptions.namespaces).toContain('shop');
    expect(cfg.exemptions.namespaces).toContain('cattle-system');
    expect(cfg.defaults['enforce-version']).toBe('v1.25');
    const old = io('', { HELM_NAMESPACE: 'shop' });
    expect(await runCli(['audit', '--manifest', CHART_OUT, '--kube-version', '1.21', '--admission-config'], old.io)).toBe(1);
    expect(old.err()).toContain('no PodSecurity admission plugin');
  });
});
