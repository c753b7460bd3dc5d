// Hooks that share a name (issue 15 item 4): a chart shaped like ingress-nginx's admission
// hooks (ServiceAccount, Role, RoleBinding and PodSecurityPolicy all named <rel>-admission),
// installed by real Helm at 1.24. At 1.25 the output names the hook it removes by kind and
// name, in text, json and yaml, and the repaired release keeps the other three hooks.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CHARTS, startCluster, type Cluster } from './clean-helpers.js';

const HOOK = 'rel-admission';
// The chart's hook documents (test/fixtures/charts/same-name-hooks-chart/templates/admission-hooks.yaml).
const KEPT = ['ServiceAccount', 'Role', 'RoleBinding'];

for (const major of [3, 4] as const) {
  describe(`Helm ${major}: hooks that share a name`, () => {
    let c: Cluster | undefined;
    afterEach(async () => {
      await c?.close();
      c = undefined;
    });

    it('the output says which of the same-named hooks was removed', async () => {
      c = await startCluster(major, 'secret');
      const { h, sim } = c;
      const ns = ['-n', 'ingress'];
      const chart = join(CHARTS, 'same-name-hooks-chart');
      const inst = await h.helm(['install', 'rel', chart, ...ns, '--create-namespace']);
      expect(inst.code, inst.stderr).toBe(0);
      // Helm stored one hook per document, all with the same name.
      const before = await h.helm(['get', 'hooks', 'rel', ...ns]);
      for (const kind of [...KEPT, 'PodSecurityPolicy']) expect(before.stdout).toContain(`kind: ${kind}\nmetadata:\n  name: ${HOOK}`);
      sim.setKubeVersion('v1.25.16');

      const text = await h.helm(['psa-clean', '--dry-run', 'rel', ...ns]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain(`removed  policy/v1beta1 PodSecurityPolicy "${HOOK}" (hook:PodSecurityPolicy/${HOOK}, revision 1; no successor API)`);
      expect(text.stdout).toContain(`hook "PodSecurityPolicy/${HOOK}" is removed`);
      expect(text.stdout).toContain(`--- a/ingress/rel/revision-1/hook:PodSecurityPolicy/${HOOK}`);
      expect(text.stdout).toContain(`+++ b/ingress/rel/revision-2/hook:PodSecurityPolicy/${HOOK} (hook removed)`);
      // The Role's `use` rule names the PSP, but the Role itself is not touched.
      for (const kind of KEPT) expect(text.stdout).not.toContain(`hook:${kind}/`);

      const json = await h.helm(['psa-clean', '--dry-run', 'rel', ...ns, '-o', 'json']);
      expect(json.code, json.stderr).toBe(0);
      const rel = JSON.parse(json.stdout).releases[0];
      expect(rel.removedHooks).toEqual([`PodSecurityPolicy/${HOOK}`]);
      expect(rel.diffs.map((d: { source: string; removed: boolean }) => [d.source, d.removed])).toEqual([[`hook:PodSecurityPolicy/${HOOK}`, true]]);
      const yaml = await h.helm(['psa-clean', '--dry-run', 'rel', ...ns, '-o', 'yaml']);
      expect(yaml.code, yaml.stderr).toBe(0);
      expect(parse(yaml.stdout).releases[0].removedHooks).toEqual([`PodSecurityPolicy/${HOOK}`]);

      const fix = await h.helm(['psa-clean', 'rel', ...ns]);
      expect(fix.code, fix.stderr).toBe(0);
      expect(fix.stdout).toContain(`hook "PodSecurityPolicy/${HOOK}" is removed`);
      const after = await h.helm(['get', 'hooks', 'rel', ...ns]);
      for (const kind of KEPT) expect(after.stdout).toContain(`kind: ${kind}\nmetadata:\n  name: ${HOOK}`);
      expect(after.stdout).not.toContain('PodSecurityPolicy');
      const up = await h.helm(['upgrade', 'rel', chart, ...ns, '--set', 'withPsp=false']);
      expect(up.code, up.stderr).toBe(0);
    });
  });
}
