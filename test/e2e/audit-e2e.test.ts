// End to end: real Helm installs two releases with PodSecurityPolicies into kube-sim at 1.24;
// `helm psa-clean audit -A -o json` rates them and suggests namespace levels; the printed
// kubectl commands, run with real kubectl, set exactly those labels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startKubeSim, type KubeSim } from '../kube-sim/index.js';
import { createHelmEnv, type HelmEnv } from '../helpers/helm-env.js';
import { installBuiltPlugin } from '../helpers/plugin.js';
import { REPO_ROOT } from '../helpers/paths.js';

const CHARTS = join(REPO_ROOT, 'test/fixtures/charts-audit');
const PSA = 'pod-security.kubernetes.io/';

function psaLabels(ns: { metadata: { labels?: Record<string, string> } }): Record<string, string> {
  return Object.fromEntries(Object.entries(ns.metadata.labels ?? {}).filter(([k]) => k.startsWith(PSA)));
}

for (const major of [3, 4] as const) {
  describe(`audit with real Helm ${major} on kube-sim 1.24`, () => {
    let sim: KubeSim;
    let h: HelmEnv;

    beforeAll(async () => {
      sim = await startKubeSim({ kubeVersion: 'v1.24.17' });
      h = await createHelmEnv(major, { kubeconfig: sim.kubeconfigPath, driver: 'secret' });
      await installBuiltPlugin(h);
      // `kubectl create namespace` sends protobuf, which kube-sim cannot decode for Namespaces; -f sends JSON.
      const nsYaml = ['apps', 'batch', 'monitoring'].map((ns) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`).join('---\n');
      const c = await h.kubectl(['create', '-f', '-'], { input: nsYaml });
      expect(c.code, c.stderr).toBe(0);
      // apps already carries a PSA label and an unrelated one: the audit must show it as current.
      const l = await h.kubectl(['label', 'ns', 'apps', `${PSA}enforce=baseline`, 'team=web']);
      expect(l.code, l.stderr).toBe(0);
      for (const [rel, ns, values] of [['web', 'apps', 'values-web.yaml'], ['agent', 'monitoring', 'values-agent.yaml']]) {
        const r = await h.helm(['install', rel, join(CHARTS, 'psp-app'), '-n', ns, '-f', join(CHARTS, values)]);
        expect(r.code, r.stderr).toBe(0);
      }
    });

    afterAll(async () => {
      await sim?.stop();
      h?.cleanup();
    });

    it('rates each PSP, names who uses it, suggests the most permissive level per namespace, and its kubectl commands set exactly those labels', async () => {
      const a = await h.helm(['psa-clean', 'audit', '-A', '-o', 'json']);
      expect(a.stderr).toBe('');
      expect(a.code).toBe(0);
      const r = JSON.parse(a.stdout);

      // Levels worked out from psp-to-pss.md §3 for the PSPs in values-*.yaml.
      expect(r.policies.map((p: { name: string; release: string; namespace: string; strict: string; practical: string; governs: string[] }) => [p.name, p.release, p.namespace, p.strict, p.practical, p.governs]).sort()).toEqual([
        ['agent-privileged', 'agent', 'monitoring', 'privileged', 'privileged', ['monitoring']],
        ['batch-baseline', 'agent', 'monitoring', 'privileged', 'baseline', ['batch']],
        ['web-restricted', 'web', 'apps', 'privileged', 'restricted', ['apps']],
      ]);
      const web = r.policies.find((p: { name: string }) => p.name === 'web-restricted');
      expect(web.usedBy).toEqual([expect.objectContaining({ kind: 'ServiceAccount', namespace: 'apps', name: 'web' })]);
      expect(web.reasons).toEqual([expect.objectContaining({ field: 'seLinux', level: 'privileged', readings: ['strict'] })]);
      const agent = r.policies.find((p: { name: string }) => p.name === 'agent-privileged');
      expect(agent.reasons.map((x: { field: string }) => x.field).sort()).toEqual(['hostNetwork', 'seLinux', 'volumes']);

      expect(r.namespaces.map((n: { name: string; suggested: string; current: unknown }) => [n.name, n.suggested, n.current])).toEqual([
        ['apps', 'restricted', { [`${PSA}enforce`]: 'baseline' }],
        ['batch', 'baseline', {}],
        ['monitoring', 'privileged', {}],
      ]);
      expect(r.rancherPspValues).toEqual([expect.objectContaining({ namespace: 'monitoring', release: 'agent' })]);
      expect(r.kubeVersion).toBe('v1.24');

      // Run the printed commands with real kubectl against kube-sim.
      for (const n of r.namespaces) {
        const argv = (n.command as string).split(' ');
        expect(argv[0]).toBe('kubectl');
        const k = await h.kubectl(argv.slice(1));
        expect(k.code, k.stderr).toBe(0);
      }
      const got = JSON.parse((await h.kubectl(['get', 'ns', '-o', 'json'])).stdout) as { items: Array<{ metadata: { name: string; labels?: Record<string, string> } }> };
      const byName = Object.fromEntries(got.items.map((ns) => [ns.metadata.name, ns]));
      for (const n of r.namespaces) {
        // No workloads in these charts: warn and audit equal enforce; the policy version is the cluster's minor.
        expect(psaLabels(byName[n.name])).toEqual({
          [`${PSA}enforce`]: n.suggested, [`${PSA}audit`]: n.suggested, [`${PSA}warn`]: n.suggested,
          [`${PSA}enforce-version`]: 'v1.24', [`${PSA}audit-version`]: 'v1.24', [`${PSA}warn-version`]: 'v1.24',
        });
      }
      expect(byName.apps.metadata.labels?.team).toBe('web');
      // Namespaces the audit did not name are untouched.
      expect(psaLabels(byName.default)).toEqual({});

      // A second audit sees the labels as current and up to date, and prints no command.
      const again = await h.helm(['psa-clean', 'audit', '-A']);
      expect(again.code).toBe(0);
      expect(again.stdout).not.toContain('kubectl label');
      expect(again.stdout).toContain('Already labelled as suggested: apps, batch, monitoring');
    });

    it('without permission to list namespaces or RBAC: labels read one by one, unknown where forbidden, RBAC from the manifests', async () => {
      sim.setForbid(['list:namespaces', 'get:namespaces:name=batch', 'list:rolebindings', 'list:clusterrolebindings', 'list:roles', 'list:clusterroles']);
      try {
        const a = await h.helm(['psa-clean', 'audit', '-A', '-o', 'json']);
        expect(a.code, a.stderr).toBe(0);
        const r = JSON.parse(a.stdout);
        expect(r.namespaces.map((n: { name: string; suggested: string; current: unknown }) => [n.name, n.suggested, n.current === null])).toEqual([
          ['apps', 'restricted', false],
          ['batch', 'baseline', true],
          ['monitoring', 'privileged', false],
        ]);
        const notes = r.warnings.join('\n');
        expect(notes).toContain('cannot list namespaces (forbidden)');
        expect(notes).toContain('current labels of 1 namespace(s) could not be read');
        expect(notes).toContain('cannot list clusterrolebindings (forbidden)');
      } finally {
        sim.setForbid([]);
      }
    });

    it('one release by name (namespace from -n), strict reading, text output', async () => {
      const a = await h.helm(['psa-clean', 'audit', 'web', '-n', 'apps', '--reading', 'strict']);
      expect(a.code, a.stderr).toBe(0);
      expect(a.stdout).toContain('web-restricted (release apps/web, manifest)');
      expect(a.stdout).toContain(`kubectl label --overwrite ns apps ${['enforce', 'audit', 'warn'].map((m) => `${PSA}${m}=privileged ${PSA}${m}-version=v1.24`).join(' ')}`);
      expect(a.stdout).not.toContain('agent-privileged');
      const missing = await h.helm(['psa-clean', 'audit', 'nope', '-n', 'apps']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('release not found: nope');
    });
  });
}
