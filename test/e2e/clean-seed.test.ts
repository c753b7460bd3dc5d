// THE acceptance (issue 6): a release installed with a PodSecurityPolicy at Kubernetes 1.24
// stops upgrading at 1.25; after `helm psa-clean` it upgrades, rolls back and uninstalls
// again. Real Helm 3.17.2 and 4.1.4, Secret, ConfigMap and SQL drivers, against kube-sim.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { decodeRelease } from '../../src/helm/codec.js';
import { CHARTS, startCluster, storeSnapshot, writesIn, type Cluster, type DriverName } from './clean-helpers.js';

const DESCRIPTION = 'Kubernetes deprecated API upgrade - DO NOT rollback from this version';
const UPGRADE_ERROR =
  'Error: UPGRADE FAILED: unable to build kubernetes objects from current release manifest: resource mapping not found for name: "rel-psp" namespace: "" from "": no matches for kind "PodSecurityPolicy" in version "policy/v1beta1"\n' +
  'ensure CRDs are installed first';

for (const major of [3, 4] as const) {
  for (const driver of ['secret', 'configmap', 'sql'] as DriverName[]) {
    describe(`Helm ${major}, ${driver} driver`, () => {
      let c: Cluster | undefined;
      afterEach(async () => {
        await c?.close();
        c = undefined;
      });

      it('seed scenario: PSP in the manifest', async () => {
        c = await startCluster(major, driver);
        const { h, sim } = c;
        const ns = ['-n', 'demo'];
        const chart = join(CHARTS, 'psp-chart');
        const inst = await h.helm(['install', 'rel', chart, ...ns, '--create-namespace']);
        expect(inst.stderr).toBe('');
        expect(inst.code).toBe(0);

        sim.setKubeVersion('v1.25.16');
        const failing = await h.helm(['upgrade', 'rel', chart, '--set', 'withPsp=false', ...ns]);
        expect(failing.code).toBe(1);
        expect(failing.stderr.trim()).toBe(UPGRADE_ERROR);

        // dry run: diff on stdout, nothing written
        const before = await storeSnapshot(c);
        sim.clearLog();
        const dry = await h.helm(['psa-clean', '--dry-run', 'rel', ...ns]);
        expect(dry.code).toBe(0);
        expect(dry.stdout).toContain("Target Kubernetes version: v1.25.16 (from the cluster's /version)");
        expect(dry.stdout).toContain('-apiVersion: policy/v1beta1');
        expect(dry.stdout).toContain('-kind: PodSecurityPolicy');
        expect(dry.stdout).toContain('demo/rel: would write revision 2 (deployed) from revision 1');
        expect(dry.stdout).toContain('Plan: 1 release to update, 0 unchanged, 0 skipped, 0 errors');
        expect(writesIn(c)).toEqual([]);
        expect(await storeSnapshot(c)).toBe(before);

        const fix = await h.helm(['psa-clean', 'rel', ...ns]);
        expect(fix.code, fix.stderr).toBe(0);
        expect(fix.stdout).toContain('demo/rel: wrote revision 2 (deployed) from revision 1; marked revision 1 superseded');
        expect(fix.stdout).toContain('Done: 1 release updated');

        if (driver !== 'sql') {
          // lossless: the new revision is revision 1's JSON with only the documented fields changed
          const res = driver === 'secret' ? 'secrets' : 'configmaps';
          const body = (rev: number) => {
            const o = sim.getObject(`/api/v1/namespaces/demo/${res}/sh.helm.release.v1.rel.v${rev}`)!;
            const text = driver === 'secret' ? Buffer.from(o.data.release, 'base64').toString('utf8') : o.data.release;
            return decodeRelease(text) as Record<string, any>;
          };
          const [v1, v2] = [body(1), body(2)];
          expect(Object.keys(v2)).toEqual(Object.keys(v1));
          if (major === 4) {
            expect(v1.apply_method).toMatch(/^(ssa|csa)$/);
            expect(v2.apply_method).toBe(v1.apply_method);
          }
          expect(v2.chart).toEqual(v1.chart);
          expect(v2.hooks).toEqual(v1.hooks);
          expect(v2.config).toEqual(v1.config);
          expect({ ...v2.info, status: 0, description: 0, last_deployed: 0 }).toEqual({ ...v1.info, status: 0, description: 0, last_deployed: 0 });
          expect(v2.manifest).not.toContain('PodSecurityPolicy');
          expect(v2.version).toBe(2);
        }

        const hist = await h.helm(['history', 'rel', ...ns, '-o', 'json']);
        expect(hist.code).toBe(0);
        const rows = JSON.parse(hist.stdout) as Array<{ revision: number; status: string; description: string }>;
        expect(rows.map((r) => [r.revision, r.status])).toEqual([[1, 'superseded'], [2, 'deployed']]);
        expect(rows[1].description).toBe(DESCRIPTION);

        const up = await h.helm(['upgrade', 'rel', chart, '--set', 'withPsp=false', ...ns]);
        expect(up.stderr).toBe('');
        expect(up.code).toBe(0);
        const rb = await h.helm(['rollback', 'rel', '2', ...ns]);
        expect(rb.stderr).toBe('');
        expect(rb.code).toBe(0);
        const un = await h.helm(['uninstall', 'rel', ...ns]);
        expect(un.stderr).toBe('');
        expect(un.code).toBe(0);
      });

      it('seed scenario: PSP only in a hook; uninstall works after the repair', async () => {
        c = await startCluster(major, driver);
        const { h, sim } = c;
        const ns = ['-n', 'hooks'];
        const chart = join(CHARTS, 'psp-hook-chart');
        const inst = await h.helm(['install', 'rel', chart, ...ns, '--create-namespace']);
        expect(inst.code, inst.stderr).toBe(0);
        // A control release that is not repaired: its uninstall must fail on the stale hook.
        const ctl = await h.helm(['install', 'ctl', chart, ...ns]);
        expect(ctl.code, ctl.stderr).toBe(0);
        sim.setKubeVersion('v1.25.16');
        const ctlUn = await h.helm(['uninstall', 'ctl', ...ns]);
        expect(ctlUn.code).toBe(1);
        expect(ctlUn.stderr).toContain('unable to build kubernetes object for');
        expect(ctlUn.stderr).toContain('hook psp-hook-chart/templates/hooks.yaml');

        sim.clearLog();
        const dry = await h.helm(['psa-clean', '--dry-run', 'rel', ...ns]);
        expect(dry.code).toBe(0);
        expect(dry.stdout).toContain('hook:PodSecurityPolicy/rel-hook-psp');
        expect(dry.stdout).toContain('hook "PodSecurityPolicy/rel-hook-psp" is removed');
        expect(writesIn(c)).toEqual([]);

        const fix = await h.helm(['psa-clean', 'rel', ...ns]);
        expect(fix.code, fix.stderr).toBe(0);
        const hooks = await h.helm(['get', 'hooks', 'rel', ...ns]);
        expect(hooks.stdout).toContain('rel-hook-config');
        expect(hooks.stdout).not.toContain('PodSecurityPolicy');

        const un = await h.helm(['uninstall', 'rel', ...ns]);
        expect(un.stderr).toBe('');
        expect(un.code).toBe(0);
      });
    });
  }
}
