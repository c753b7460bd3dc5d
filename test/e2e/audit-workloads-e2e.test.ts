// Issue 14 acceptance 3, end to end with real Helm 3 and 4 on kube-sim 1.24: a release with a
// PSP bound in its namespace, a Deployment scaled to zero and a CronJob that violate
// restricted, a hook Pod, and running pods created with `kubernetes.io/psp` annotations.
// Expected levels come from psp-to-pss.md §3 (the PSP) and upstream's checks (the workloads).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startKubeSim, type KubeSim } from '../kube-sim/index.js';
import { createHelmEnv, type HelmEnv } from '../helpers/helm-env.js';
import { installBuiltPlugin } from '../helpers/plugin.js';
import { REPO_ROOT } from '../helpers/paths.js';

const CHART = join(REPO_ROOT, 'test/fixtures/charts-audit/workload-app');
const PSA = 'pod-security.kubernetes.io/';

/** A running pod as a controller would have created it (kube-sim runs no controllers that make pods). */
function pod(ns: string, name: string, psp: string | null, spec: object, owner?: { kind: string; name: string }, labels: Record<string, string> = {}) {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace: ns, labels,
      ...(psp ? { annotations: { 'kubernetes.io/psp': psp } } : {}),
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', ...owner, uid: `uid-${owner.name}`, controller: true }] } : {}),
    },
    spec,
    status: { phase: 'Running' },
  };
}

const insecure = (extra: object = {}) => ({
  securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'c', image: 'x' }],
  ...extra,
});
const secure = {
  securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'c', image: 'x', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};

/** The lines of the README's console block that opens with `command` (and its first output line), after its "..." line. */
function readmeExample(command: string): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`\`\`\`console\n${command}`);
  expect(start).toBeGreaterThan(0);
  const block = readme.slice(start, readme.indexOf('\n```', start + 3)).split('\n');
  const shown = block.slice(block.indexOf('...') + 1);
  expect(shown.length).toBeGreaterThan(10);
  return `${shown.join('\n')}\n`;
}

interface Ns { name: string; enforce: string; warn: string; audit: string; pspLevel: string; version: string; command: string; limitedBy: Array<{ checks: string[]; workloads: string[] }> }

for (const major of [3, 4] as const) {
  describe(`audit workloads with real Helm ${major} on kube-sim 1.24`, () => {
    let sim: KubeSim;
    let h: HelmEnv;

    beforeAll(async () => {
      sim = await startKubeSim({ kubeVersion: 'v1.24.17' });
      h = await createHelmEnv(major, { kubeconfig: sim.kubeconfigPath, driver: 'secret' });
      await installBuiltPlugin(h);
      const nsYaml = ['shop', 'site'].map((ns) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`).join('---\n');
      const c = await h.kubectl(['create', '-f', '-'], { input: nsYaml });
      expect(c.code, c.stderr).toBe(0);
      const shop = await h.helm(['install', 'shop', CHART, '-n', 'shop', '--set', 'secure=false', '--set', 'cronjob.enabled=true', '--set', 'cronjob.hostPath=true']);
      expect(shop.code, shop.stderr).toBe(0);
      const site = await h.helm(['install', 'site', CHART, '-n', 'site', '--set', 'cronjob.enabled=true']);
      expect(site.code, site.stderr).toBe(0);
      // Running pods: one of the Deployment's ReplicaSet, one of a CronJob's Job, a pod nobody
      // owns admitted by a PSP no release holds, and one in site.
      sim.putObject(pod('shop', 'shop-web-7c9d8-abcde', 'shop-psp', insecure(), { kind: 'ReplicaSet', name: 'shop-web-7c9d8' }, { 'pod-template-hash': '7c9d8' }));
      sim.putObject(pod('shop', 'shop-report-29000000-xk2p9', 'shop-psp', insecure({ volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] }), { kind: 'Job', name: 'shop-report-29000000' }));
      sim.putObject(pod('shop', 'debug-shell', 'cluster-privileged', { containers: [{ name: 'sh', image: 'x', securityContext: { privileged: true } }] }));
      sim.putObject(pod('site', 'site-web-5f6b7-qwert', 'site-psp', secure, { kind: 'ReplicaSet', name: 'site-web-5f6b7' }, { 'pod-template-hash': '5f6b7' }));
    });

    afterAll(async () => {
      await sim?.stop();
      h?.cleanup();
    });

    it('audit -A suggests levels that admit every stored workload, names the CronJob, and its kubectl commands set exactly those labels', async () => {
      const a = await h.helm(['psa-clean', 'audit', '-A', '-o', 'json']);
      expect(a.stderr).toBe('');
      expect(a.code).toBe(0);
      const r = JSON.parse(a.stdout);
      expect([r.kubeVersion, r.pssVersion]).toEqual(['v1.24', 'v1.24']);
      // Stored workloads of both releases, hooks included, from the deployed revision.
      const ws = r.workloads.map((w: { release: string; source: string; kind: string; name: string; strictest: string }) => [w.release, w.source, w.kind, w.name, w.strictest]);
      expect(ws).toEqual([
        // secure=false: no allowPrivilegeEscalation=false, no drop ALL -> fails restricted only.
        ['shop', 'manifest', 'Deployment', 'shop-web', 'baseline'],
        // hostPath volume: fails baseline (hostPathVolumes).
        ['shop', 'manifest', 'CronJob', 'shop-report', 'privileged'],
        ['shop', 'hook:Pod/shop-migrate', 'Pod', 'shop-migrate', 'baseline'],
        ['site', 'manifest', 'Deployment', 'site-web', 'restricted'],
        ['site', 'manifest', 'CronJob', 'site-report', 'restricted'],
        ['site', 'hook:Pod/site-migrate', 'Pod', 'site-migrate', 'restricted'],
      ]);
      const byNs: Record<string, Ns> = Object.fromEntries(r.namespaces.map((n: Ns) => [n.name, n]));
      // The chart's PSP is baseline under the practical reading (runAsUser RunAsAny, seccomp trailing comma).
      expect(byNs.shop).toMatchObject({ pspLevel: 'baseline', enforce: 'privileged', warn: 'baseline', audit: 'baseline', version: 'v1.24' });
      expect(byNs.shop.limitedBy).toEqual([{ level: 'privileged', checks: ['hostPathVolumes'], workloads: ['shop: CronJob shop-report (manifest)'] }]);
      // site: everything meets restricted, so the PSP's level (baseline) is enforced and nothing fails the next one.
      expect(byNs.site).toMatchObject({ pspLevel: 'baseline', enforce: 'baseline', warn: 'baseline', audit: 'baseline', limitedBy: [] });

      const text = await h.helm(['psa-clean', 'audit', '-A']);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('privileged, fails hostPathVolumes: shop: CronJob shop-report (manifest)');
      expect(text.stdout).toContain('would violate PodSecurity "baseline:v1.24": hostPath volumes (volume "logs")');
      // The README's worked example is this run's output: what it shows after its "..." is here, line for line.
      expect(text.stdout).toContain(readmeExample('$ helm psa-clean audit -A\nPodSecurityPolicies (2):\n'));

      for (const n of Object.values(byNs)) {
        const argv = n.command.split(' ');
        expect(argv[0]).toBe('kubectl');
        const k = await h.kubectl(argv.slice(1));
        expect(k.code, k.stderr).toBe(0);
      }
      const got = JSON.parse((await h.kubectl(['get', 'ns', '-o', 'json'])).stdout) as { items: Array<{ metadata: { name: string; labels?: Record<string, string> } }> };
      for (const ns of got.items) {
        const psa = Object.fromEntries(Object.entries(ns.metadata.labels ?? {}).filter(([k]) => k.startsWith(PSA)));
        const v = byNs[ns.metadata.name];
        if (!v) {
          expect(psa, ns.metadata.name).toEqual({});
          continue;
        }
        expect(psa).toEqual({
          [`${PSA}enforce`]: v.enforce, [`${PSA}enforce-version`]: 'v1.24',
          [`${PSA}audit`]: v.audit, [`${PSA}audit-version`]: 'v1.24',
          [`${PSA}warn`]: v.warn, [`${PSA}warn-version`]: 'v1.24',
        });
      }
      const again = await h.helm(['psa-clean', 'audit', '-A']);
      expect(again.stdout).not.toContain('kubectl label');
      expect(again.stdout).toContain('Already labelled as suggested: shop, site');
    });

    it('--live reports the PSPs that admitted the running pods and groups pods under their stored workload', async () => {
      const a = await h.helm(['psa-clean', 'audit', '-A', '--live', '-o', 'json']);
      expect(a.code, a.stderr).toBe(0);
      const r = JSON.parse(a.stdout);
      // Helm's hook pods ran in kube-sim too (no PSP admission there: no annotation).
      expect(r.live.admittedBy).toEqual([
        { psp: 'cluster-privileged', pods: 1, namespaces: ['shop'] },
        { psp: 'shop-psp', pods: 2, namespaces: ['shop'] },
        { psp: 'site-psp', pods: 1, namespaces: ['site'] },
        { psp: null, pods: 2, namespaces: ['shop', 'site'] },
      ]);
      const find = (kind: string, name: string) => r.workloads.find((w: { kind: string; name: string }) => w.kind === kind && w.name === name);
      expect(find('Deployment', 'shop-web').pods).toEqual({ count: 1, psp: { 'shop-psp': 1 }, strictest: 'baseline' });
      expect(find('CronJob', 'shop-report').pods).toEqual({ count: 1, psp: { 'shop-psp': 1 }, strictest: 'privileged' });
      expect(find('Pod', 'shop-migrate').pods).toMatchObject({ count: 1, psp: { '': 1 } });
      expect(find('Deployment', 'site-web').pods).toEqual({ count: 1, psp: { 'site-psp': 1 }, strictest: 'restricted' });
      // The pod nobody owns is listed on its own; privileged: true fails baseline (check_privileged.go).
      const debug = find('Pod', 'debug-shell');
      expect([debug.source, debug.release, debug.psp, debug.strictest]).toEqual(['live', null, 'cluster-privileged', 'privileged']);
      expect(debug.violations.baseline.map((v: { check: string }) => v.check)).toEqual(['privileged']);
      const shop = r.namespaces.find((n: Ns) => n.name === 'shop');
      expect(shop.limitedBy.flatMap((l: { workloads: string[] }) => l.workloads).sort()).toEqual(['Pod debug-shell (live)', 'shop: CronJob shop-report (manifest)']);

      const text = await h.helm(['psa-clean', 'audit', '-A', '--live']);
      expect(text.stdout).toContain('shop-psp: 2 pods in shop');
      expect(text.stdout).toContain('cluster-privileged: 1 pod in shop');

      // An identity that may list pods only namespace by namespace: the release namespaces are read one by one.
      sim.setForbid(['list:pods:scope=cluster']);
      try {
        const b = await h.helm(['psa-clean', 'audit', '-A', '--live', '-o', 'json']);
        expect(b.code, b.stderr).toBe(0);
        const rb = JSON.parse(b.stdout);
        expect(rb.warnings.join('\n')).toContain('cannot list pods in all namespaces (forbidden)');
        expect(rb.live).toEqual(r.live);
      } finally {
        sim.setForbid([]);
      }
    });

    it('clean: one line under a repaired release whose stored workloads would fail the level its removed PSP maps to', async () => {
      const c = await h.helm(['psa-clean', '-A', '--dry-run', '--kube-version', '1.25.16']);
      expect(c.code, c.stderr).toBe(0);
      const shop = c.stdout.split('\n').filter((l) => l.includes('stored workloads would fail'));
      // shop's PSP maps to baseline; its CronJob mounts hostPath (hostPathVolumes). site's workloads meet restricted.
      expect(shop).toEqual(['  warning: stored workloads would fail Pod Security Standards "baseline", the level the removed PodSecurityPolicy maps to: CronJob shop-report (hostPathVolumes) (details: helm psa-clean audit -n shop)']);
    });

    it('--admission-config parses and exempts the namespace whose workloads need privileged', async () => {
      const a = await h.helm(['psa-clean', 'audit', '-A', '--admission-config', '--rancher']);
      expect(a.code, a.stderr).toBe(0);
      const c = parse(a.stdout);
      expect([c.apiVersion, c.kind]).toEqual(['apiserver.config.k8s.io/v1', 'AdmissionConfiguration']);
      const [plugin] = c.plugins;
      expect(plugin.name).toBe('PodSecurity');
      // Kubernetes 1.24: PodSecurityConfiguration v1beta1 (v1 from 1.25).
      expect(plugin.configuration.apiVersion).toBe('pod-security.admission.config.k8s.io/v1beta1');
      expect(plugin.configuration.kind).toBe('PodSecurityConfiguration');
      expect(plugin.configuration.exemptions.namespaces).toContain('shop');
      expect(plugin.configuration.exemptions.namespaces).toContain('cattle-system');
      expect(plugin.configuration.exemptions.namespaces).not.toContain('site');
      expect(plugin.configuration.defaults).toEqual({ enforce: 'baseline', 'enforce-version': 'v1.24', audit: 'baseline', 'audit-version': 'v1.24', warn: 'baseline', 'warn-version': 'v1.24' });
    });
  });
}
