// Real Helm 3.17.2 and 4.1.4, with the Secret and the ConfigMap driver, against kube-sim:
//  - at 1.24 a chart with a policy/v1beta1 PodSecurityPolicy, RBAC that uses it and a hook
//    installs, and list/history/get manifest/status work;
//  - the same store served as 1.25 makes `helm upgrade` fail with Helm's exact error and
//    write nothing;
//  - the chart without the PSP installs, upgrades, rolls back and uninstalls at 1.25.
// Every test has its own sim (port 0), state dir and Helm HOME, so they run concurrently.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeSim, type KubeSim } from '../kube-sim/index.js';
import { createHelmEnv, type HelmEnv, type HelmMajor } from '../helpers/helm-env.js';
import { REPO_ROOT } from '../helpers/paths.js';

const CHART = join(REPO_ROOT, 'test/fixtures/charts/psp-chart');
const NS = 'demo';
const REL = 'rel';

type Driver = 'secret' | 'configmap';
const storageResource = (d: Driver) => (d === 'secret' ? 'secrets' : 'configmaps');

/** Release records in the store, as `version:status-label` sorted by version. */
function records(sim: KubeSim, driver: Driver): string[] {
  return sim
    .listObjects({ resource: storageResource(driver), namespace: NS, labelSelector: `owner=helm,name=${REL}` })
    .map((o) => `${o.metadata.labels.version}:${o.metadata.labels.status}`)
    .sort();
}

/** Runs helm and fails with its output when the exit code is not the expected one. */
async function helmOk(env: HelmEnv, args: string[]): Promise<string> {
  const r = await env.helm(args);
  expect(r.code, `helm ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

async function withSim<T>(major: HelmMajor, driver: Driver, kubeVersion: string, fn: (ctx: { sim: KubeSim; env: HelmEnv; restart: (v: string) => Promise<KubeSim> }) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'kube-sim-e2e-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  let sim = await startKubeSim({ kubeVersion, stateDir: join(dir, 'state'), kubeconfigPath });
  const env = await createHelmEnv(major, { kubeconfig: kubeconfigPath, driver });
  // The cluster upgrade: stop the server, start another version on the same store.
  const restart = async (v: string) => {
    await sim.stop();
    sim = await startKubeSim({ kubeVersion: v, stateDir: join(dir, 'state'), kubeconfigPath });
    return sim;
  };
  try {
    return await fn({ get sim() { return sim; }, env, restart });
  } finally {
    await sim.stop();
    env.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const major of [3, 4] as const) {
  for (const driver of ['secret', 'configmap'] as const) {
    describe.concurrent(`Helm ${major}, ${driver} driver`, () => {
      it('installs the PSP chart at 1.24; after the upgrade to 1.25 helm upgrade fails with the exact mapping error', async () => {
        await withSim(major, driver, 'v1.24.17', async (ctx) => {
          const { env } = ctx;
          await helmOk(env, ['install', REL, CHART, '-n', NS, '--create-namespace', '--timeout', '60s']);
          expect(ctx.sim.getObject(`/apis/policy/v1beta1/podsecuritypolicies/${REL}-psp`)).toMatchObject({ kind: 'PodSecurityPolicy' });
          expect(ctx.sim.getObject(`/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/roles/${REL}-role`)!.rules[1]).toEqual({
            apiGroups: ['policy'], resources: ['podsecuritypolicies'], verbs: ['use'], resourceNames: [`${REL}-psp`],
          });
          expect(ctx.sim.getObject(`/api/v1/namespaces/${NS}/configmaps/${REL}-hook`)).toBeDefined(); // the hook ran
          expect(records(ctx.sim, driver)).toEqual(['1:deployed']);

          const list = JSON.parse(await helmOk(env, ['list', '-A', '-o', 'json']));
          expect(list).toEqual([expect.objectContaining({ name: REL, namespace: NS, revision: '1', status: 'deployed', chart: 'psp-chart-0.1.0' })]);
          const history = JSON.parse(await helmOk(env, ['history', REL, '-n', NS, '-o', 'json']));
          expect(history).toEqual([expect.objectContaining({ revision: 1, status: 'deployed', description: 'Install complete' })]);
          const manifest = await helmOk(env, ['get', 'manifest', REL, '-n', NS]);
          expect(manifest).toContain('# Source: psp-chart/templates/psp.yaml\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\n');
          const status = JSON.parse(await helmOk(env, ['status', REL, '-n', NS, '-o', 'json']));
          expect(status).toMatchObject({ name: REL, namespace: NS, version: 1, info: { status: 'deployed' } });

          const sim125 = await ctx.restart('v1.25.16');
          const upgrade = await env.helm(['upgrade', REL, CHART, '-n', NS, '--set', 'withPsp=false', '--timeout', '60s']);
          expect(upgrade.code).toBe(1);
          expect(upgrade.stderr).toBe(
            `Error: UPGRADE FAILED: unable to build kubernetes objects from current release manifest: resource mapping not found for name: "${REL}-psp" namespace: "" from "": no matches for kind "PodSecurityPolicy" in version "policy/v1beta1"\n` +
              'ensure CRDs are installed first\n',
          );
          expect(sim125.counters().writes).toBe(0); // a failed upgrade writes no revision
          expect(records(sim125, driver)).toEqual(['1:deployed']);
        });
      });

      it('installs, upgrades, rolls back and uninstalls the chart without the PSP at 1.25', async () => {
        await withSim(major, driver, 'v1.25.16', async ({ sim, env }) => {
          const noPsp = ['--set', 'withPsp=false', '--timeout', '60s'];
          await helmOk(env, ['install', REL, CHART, '-n', NS, '--create-namespace', ...noPsp]);
          expect(sim.getObject(`/api/v1/namespaces/${NS}/configmaps/${REL}-config`)!.data).toEqual({ message: 'hello' });

          await helmOk(env, ['upgrade', REL, CHART, '-n', NS, ...noPsp, '--set', 'message=bye']);
          expect(sim.getObject(`/api/v1/namespaces/${NS}/configmaps/${REL}-config`)!.data).toEqual({ message: 'bye' });
          expect(records(sim, driver)).toEqual(['1:superseded', '2:deployed']);

          await helmOk(env, ['rollback', REL, '1', '-n', NS, '--timeout', '60s']);
          expect(sim.getObject(`/api/v1/namespaces/${NS}/configmaps/${REL}-config`)!.data).toEqual({ message: 'hello' });
          expect(records(sim, driver)).toEqual(['1:superseded', '2:superseded', '3:deployed']);
          const history = JSON.parse(await helmOk(env, ['history', REL, '-n', NS, '-o', 'json']));
          expect(history.map((h: any) => h.description)).toEqual(['Install complete', 'Upgrade complete', 'Rollback to 1']);

          await helmOk(env, ['uninstall', REL, '-n', NS, '--timeout', '60s']);
          expect(records(sim, driver)).toEqual([]);
          // Helm deletes the release's resources; hook resources stay (no hook-succeeded policy).
          const left = sim.listObjects({ namespace: NS }).filter((o) => o.kind !== 'Namespace');
          expect(left.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([`ConfigMap/${REL}-hook`]);
          expect(JSON.parse(await helmOk(env, ['list', '-A', '-o', 'json']))).toEqual([]);
        });
      });
    });
  }
}

describe('Helm 4 hook wait through watch-list', () => {
  it('completes an install at 1.32, where the watch-list BOOKMARK (not the 422 fallback) ends the wait', async () => {
    await withSim(4, 'secret', 'v1.32.3', async ({ sim, env }) => {
      await helmOk(env, ['install', REL, CHART, '-n', NS, '--create-namespace', '--set', 'withPsp=false', '--timeout', '60s']);
      const watches = sim.requests().filter((r) => r.query.watch === 'true');
      expect(watches.length).toBeGreaterThan(0);
      expect(watches.every((w) => w.status === 200 && w.query.sendInitialEvents === 'true')).toBe(true);
    });
  });
});

describe.concurrent('--wait on workloads and a Job hook', () => {
  for (const major of [3, 4] as const) {
    it(`Helm ${major}: install and upgrade with --wait finish (Deployment, StatefulSet, Service, pre-upgrade Job)`, async () => {
      const chart = join(REPO_ROOT, 'test/fixtures/charts/workload-chart');
      await withSim(major, 'secret', 'v1.29.4', async ({ sim, env }) => {
        await helmOk(env, ['install', REL, chart, '-n', NS, '--create-namespace', '--wait', '--timeout', '60s']);
        await helmOk(env, ['upgrade', REL, chart, '-n', NS, '--set', 'replicas=3', '--wait', '--timeout', '60s']);
        const rs = sim.listObjects({ group: 'apps', resource: 'replicasets', namespace: NS });
        expect(rs.map((r) => r.spec.replicas).sort()).toEqual([3]);
        expect(sim.getObject(`/apis/batch/v1/namespaces/${NS}/jobs/${REL}-migrate`)).toBeUndefined(); // hook-succeeded deleted it
        expect(sim.requests().some((r) => r.method === 'POST' && r.path === `/apis/batch/v1/namespaces/${NS}/jobs`)).toBe(major === 3);
        await helmOk(env, ['uninstall', REL, '-n', NS, '--wait', '--timeout', '60s']);
        expect(sim.listObjects({ group: 'apps', namespace: NS })).toEqual([]); // ReplicaSets garbage-collected
      });
    });
  }
});
