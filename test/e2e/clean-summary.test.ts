// Large batches read well (issue 15 item 6): `-A --dry-run` over 200 seeded releases, through
// the built bundle as Helm runs it. Without --summary every release has its section and diff,
// and the PodSecurityPolicy advice appears once for the run; with --summary each release is
// one plan line (plus its PSP level lines), then the notes and the totals. Expected counts
// come from what the seed put in the store, not from psa-clean's output.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from '../kube-sim/index.js';
import { seedReleases, type SeedResult } from '../kube-sim/seed.js';
import { runBundleOn } from '../helpers/run-bundle.js';

const RELEASES = 200;
const PSP_NOTE = 'PodSecurityPolicy has no successor (the admission plugin is removed in 1.25)';

const psa = runBundleOn;

const occurrences = (text: string, s: string) => text.split(s).length - 1;

describe(`-A --dry-run over ${RELEASES} releases, with and without --summary`, () => {
  let sim: KubeSim;
  let seed: SeedResult;
  let home: string;
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'psa-summary-'));
    sim = await startKubeSim({ kubeVersion: 'v1.25.16' });
    seed = await seedReleases(sim, { releases: RELEASES, revisions: 2, namespaces: 4, pspFraction: 0.5, hookFraction: 0.3, seed: 15 });
  });
  afterAll(async () => {
    await sim.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('the full report: a section and a diff per changed release, the PSP advice once', async () => {
    const r = await psa(sim, home, ['-A', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    const withPsp = seed.releases.filter((x) => x.psp);
    const hookPsps = withPsp.filter((x) => x.hook).length;
    expect(occurrences(r.stdout, '\n--- a/')).toBe(withPsp.length + hookPsps);
    expect(occurrences(r.stdout, '\n  removed  policy/v1beta1 PodSecurityPolicy ')).toBe(withPsp.length + hookPsps);
    expect(occurrences(r.stdout, PSP_NOTE)).toBe(1);
    expect(r.stdout.indexOf(PSP_NOTE)).toBeGreaterThan(r.stdout.lastIndexOf(`${seed.releases.at(-1)!.namespace}/`));
    expect(r.stdout).toMatch(new RegExp(`\\nPlan: ${withPsp.length} releases to update, ${RELEASES - withPsp.length} unchanged, 0 skipped, 0 errors\\n$`));
  });

  it('--summary: one plan line per release, its PSP level lines, the note and the totals', async () => {
    const r = await psa(sim, home, ['-A', '--dry-run', '--summary']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const ids = new Set(seed.releases.map((x) => `${x.namespace}/${x.name}`));
    const planLines = lines.filter((l) => ids.has(l.split(': ')[0]));
    const pspLines = lines.filter((l) => /^ {2}PodSecurityPolicy "[^"]+" -> Pod Security Standards level /.test(l));
    const withPsp = seed.releases.filter((x) => x.psp);
    expect(planLines).toHaveLength(RELEASES);
    expect(pspLines).toHaveLength(withPsp.length + withPsp.filter((x) => x.hook).length);
    expect(occurrences(r.stdout, PSP_NOTE)).toBe(1);
    // Nothing else: no findings, warnings or diff lines between the header and the tail.
    const body = lines.slice(3, 3 + planLines.length + pspLines.length);
    expect(body.every((l) => planLines.includes(l) || pspLines.includes(l))).toBe(true);
    expect(r.stdout).not.toMatch(/^(---|\+\+\+|@@|  removed|  renamed|  warning)/m);
    expect(lines.at(-2)).toBe(`Plan: ${withPsp.length} releases to update, ${RELEASES - withPsp.length} unchanged, 0 skipped, 0 errors`);
  });

  it('--summary with -o json or yaml is a usage error', async () => {
    for (const o of ['json', 'yaml']) {
      const r = await psa(sim, home, ['-A', '--dry-run', '--summary', '-o', o]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`--summary shortens the text output only; -o ${o} always carries every detail`);
    }
  });
});
