// The audit reads releases through any Helm storage driver: here real Helm 3 stores the release
// in PostgreSQL (HELM_DRIVER=sql) while its objects live in kube-sim 1.24. The release's only
// PSP is a hook, so it is found in hooks[].manifest; namespace labels come from the cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startKubeSim, type KubeSim } from '../kube-sim/index.js';
import { createHelmEnv, type HelmEnv } from '../helpers/helm-env.js';
import { installBuiltPlugin } from '../helpers/plugin.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

const CHARTS = join(REPO_ROOT, 'test/fixtures/charts-audit');

describe('audit with HELM_DRIVER=sql (real Helm 3, PostgreSQL, kube-sim 1.24)', () => {
  let sim: KubeSim;
  let h: HelmEnv;
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await startKubeSim({ kubeVersion: 'v1.24.17' });
    h = await createHelmEnv(3, { kubeconfig: sim.kubeconfigPath, driver: 'sql', sqlConnectionString: db.helmUrl });
    await installBuiltPlugin(h);
    const c = await h.kubectl(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: batch\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n' });
    expect(c.code, c.stderr).toBe(0);
    const r = await h.helm(['install', 'jobs', join(CHARTS, 'psp-app'), '-n', 'batch', '-f', join(CHARTS, 'values-hook.yaml')]);
    expect(r.code, r.stderr).toBe(0);
  });

  afterAll(async () => {
    await sim?.stop();
    h?.cleanup();
    await db?.drop();
  });

  it('finds the hook PSP, its RoleBinding user, and the current label of the namespace', async () => {
    // The release really is in SQL, not in a Secret.
    expect(sim.listObjects({ resource: 'secrets', namespace: 'batch' }).filter((s) => s.metadata?.name?.startsWith('sh.helm.release'))).toEqual([]);
    const a = await h.helm(['psa-clean', 'audit', 'jobs', '-n', 'batch', '-o', 'json']);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    const r = JSON.parse(a.stdout);
    expect(r.policies.map((p: Record<string, unknown>) => [p.name, p.release, p.namespace, p.source, p.strict, p.practical, p.governs])).toEqual([
      ['jobs-hook-privileged', 'jobs', 'batch', 'hook:PodSecurityPolicy/jobs-hook-privileged', 'privileged', 'privileged', ['batch']],
    ]);
    expect(r.policies[0].usedBy).toEqual([expect.objectContaining({ kind: 'ServiceAccount', namespace: 'batch', name: 'migrate', via: 'RoleBinding batch/jobs-psp' })]);
    expect(r.kubeVersion).toBe('v1.24');
    expect(r.namespaces).toEqual([
      expect.objectContaining({ name: 'batch', suggested: 'privileged', current: { 'pod-security.kubernetes.io/enforce': 'restricted' }, upToDate: false }),
    ]);
  });
});
