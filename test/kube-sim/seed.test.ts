// Seeded releases are what Helm's drivers write: Helm itself lists and reads them.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeRelease } from '../../src/helm/codec.js';
import { startKubeSim, type KubeSim } from './index.js';
import { seedReleases } from './seed.js';
import { createHelmEnv } from '../helpers/helm-env.js';

let sim: KubeSim | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sim?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sim = dir = undefined;
});

describe('seedReleases', () => {
  it('writes Secrets with Helm labels, base64 twice, last revision deployed', async () => {
    sim = await startKubeSim();
    const res = await seedReleases(sim, { releases: 2, revisions: 3, namespaces: 2, pspFraction: 1, hookFraction: 1 });
    expect(res.records).toBe(6);
    const secrets = sim.listObjects({ resource: 'secrets', labelSelector: 'owner=helm,name=rel-00001' });
    expect(secrets.map((s) => s.metadata.name).sort()).toEqual([1, 2, 3].map((v) => `sh.helm.release.v1.rel-00001.v${v}`));
    const v3 = secrets.find((s) => s.metadata.labels.version === '3')!;
    expect(v3).toMatchObject({ type: 'helm.sh/release.v1', metadata: { namespace: 'ns-1', labels: { status: 'deployed', owner: 'helm', name: 'rel-00001' } } });
    expect(Object.keys(v3.metadata.labels).sort()).toEqual(['modifiedAt', 'name', 'owner', 'status', 'version']);
    const helmText = Buffer.from(v3.data.release, 'base64').toString();
    expect(helmText.startsWith('H4sI')).toBe(true);
    const rel: any = decodeRelease(helmText);
    expect(rel).toMatchObject({ name: 'rel-00001', namespace: 'ns-1', version: 3, info: { status: 'deployed', deleted: '' } });
    expect(Object.keys(rel)).toEqual(['name', 'info', 'chart', 'config', 'manifest', 'hooks', 'version', 'namespace']);
    expect(rel.manifest).toMatch(/^---\n# Source: seed-chart\/templates\/configmap\.yaml\n/);
    expect(rel.manifest).toContain('kind: PodSecurityPolicy');
    expect(rel.hooks.map((h: any) => h.kind)).toEqual(['ConfigMap', 'PodSecurityPolicy']);
    const older: any = decodeRelease(Buffer.from(secrets.find((s) => s.metadata.labels.version === '1')!.data.release, 'base64').toString());
    expect(older.info.status).toBe('superseded');
  });

  it('is deterministic for a seed and honours pspFraction 0', async () => {
    sim = await startKubeSim();
    const a = await seedReleases(sim, { releases: 20, revisions: 1, seed: 7 });
    const again = await seedReleases(sim, { releases: 20, revisions: 1, seed: 7 });
    expect(again.releases).toEqual(a.releases);
    const none = await seedReleases(sim, { releases: 5, revisions: 1, pspFraction: 0, driver: 'configmap' });
    expect(none.releases.every((r) => !r.psp)).toBe(true);
  });

  it('seeds a state directory that a sim then serves, readable by Helm 3 and Helm 4 (configmap driver)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kube-sim-seed-'));
    await seedReleases(dir, { releases: 3, revisions: 2, driver: 'configmap' });
    sim = await startKubeSim({ stateDir: dir });
    for (const major of [3, 4] as const) {
      const env = await createHelmEnv(major, { kubeconfig: sim.kubeconfigPath, driver: 'configmap' });
      try {
        const list = await env.helm(['list', '-A', '-o', 'json']);
        expect(list.stderr).toBe('');
        expect(JSON.parse(list.stdout).map((r: any) => [r.name, r.revision, r.status])).toEqual([
          ['rel-00000', '2', 'deployed'], ['rel-00001', '2', 'deployed'], ['rel-00002', '2', 'deployed'],
        ]);
        const manifest = await env.helm(['get', 'manifest', 'rel-00000', '-n', 'ns-0']);
        expect(manifest.stdout).toContain('# Source: seed-chart/templates/configmap.yaml');
      } finally {
        env.cleanup();
      }
    }
  });
});
