// Helm's --qps and --burst-limit reach the plugin both as HELM_QPS/HELM_BURST_LIMIT and in its
// argv (helm-plugins.md section 5). Real Helm 3.17.2 and 4.1.4: every command runs with them.
// The rate itself is measured, not asserted (scripts/measure-qps.ts; README "Client-side throttling").
import { afterEach, describe, expect, it } from 'vitest';
import { seedReleases } from '../kube-sim/seed.js';
import { startCluster, type Cluster } from './clean-helpers.js';

for (const major of [3, 4] as const) {
  describe(`Helm ${major}: --qps and --burst-limit`, () => {
    let c: Cluster | undefined;
    afterEach(async () => {
      await c?.close();
      c = undefined;
    });

    it('clean, audit and mappings accept them; a throttled dry run reports every release', async () => {
      c = await startCluster(major, 'secret', 'v1.25.16');
      const seed = await seedReleases(c.sim, { releases: 12, revisions: 1, namespaces: 2, pspFraction: 0.5, hookFraction: 0, seed: 3 });
      const flags = ['--qps', '50', '--burst-limit', '4'];
      const env = await c.h.helm(['env', ...flags]);
      expect(env.stdout).toContain('HELM_QPS="50.00"');
      expect(env.stdout).toContain('HELM_BURST_LIMIT="4"');

      const dry = await c.h.helm(['psa-clean', '-A', '--dry-run', '-o', 'json', ...flags]);
      expect(dry.code, dry.stderr).toBe(0);
      const doc = JSON.parse(dry.stdout);
      expect(doc.summary).toMatchObject({ total: 12, changed: seed.releases.filter((r) => r.psp).length, errors: 0 });
      const audit = await c.h.helm(['psa-clean', 'audit', '-A', ...flags]);
      expect(audit.code, audit.stderr).toBe(0);
      const mappings = await c.h.helm(['psa-clean', 'mappings', ...flags]);
      expect(mappings.code, mappings.stderr).toBe(0);
    });
  });
}
