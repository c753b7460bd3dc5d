// The request budget of a batch run (issue 8), on a small seeded store, through the built
// bundle as a process (as Helm runs the plugin):
//   requests <= (pages of the metadata list) + (releases planned) + 3 x (releases changed) + C
// where C covers GET /version. Bodies are read only for planned revisions, never listed:
// the list asks for metadata only. Counts come from kube-sim, not from psa-clean's output.
// No timing is asserted here: `npm run bench` measures time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim, type RequestLogEntry } from '../kube-sim/index.js';
import { seedReleases, type SeedResult } from '../kube-sim/seed.js';
import { runBundleOn } from '../helpers/run-bundle.js';

const C = 1; // GET /version (no --kube-version: the target is the cluster's version)
const RELEASES = 30;
const REVISIONS = 6;

interface CleanDoc {
  summary: { total: number; changed: number; unchanged: number; skipped: number; errors: number };
  releases: Array<{ name: string; status: string; chosenRevision: number | null }>;
}

const runCli = runBundleOn;

/** Requests psa-clean made, grouped the way the bound counts them. */
function tally(log: RequestLogEntry[]) {
  const isList = (r: RequestLogEntry) => r.method === 'GET' && r.path === '/api/v1/secrets';
  const isBodyGet = (r: RequestLogEntry) => r.method === 'GET' && /^\/api\/v1\/namespaces\/[^/]+\/secrets\/[^/]+$/.test(r.path);
  return {
    total: log.length,
    pages: log.filter(isList).length,
    listAccepts: log.filter(isList).map((r) => r.accept ?? ''),
    bodyGets: log.filter(isBodyGet).map((r) => r.path.split('/').pop()!),
    writes: log.filter((r) => r.method !== 'GET').length,
  };
}

describe('request budget of psa-clean -A (kube-sim, seeded store)', () => {
  let sim: KubeSim;
  let seed: SeedResult;
  let home: string;

  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'psa-perf-'));
    sim = await startKubeSim({ kubeVersion: 'v1.25.16' });
    seed = await seedReleases(sim, { releases: RELEASES, revisions: REVISIONS, namespaces: 3, pspFraction: 0.5, hookFraction: 0.3, seed: 8 });
    sim.clearLog();
  });
  afterEach(async () => {
    await sim.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('dry run: one metadata list, one body per planned release, nothing more', async () => {
    const r = await runCli(sim, home, ['-A', '--dry-run', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as CleanDoc;
    const planned = doc.releases.filter((x) => x.chosenRevision !== null).length;
    const changed = doc.summary.changed;
    const t = tally(sim.requests());
    // The store is what the seed says, so the run saw every release and changed the PSP ones.
    expect(doc.summary.total).toBe(RELEASES);
    expect(changed).toBe(seed.releases.filter((x) => x.psp).length);
    expect(changed).toBeGreaterThan(0);
    expect(planned).toBe(RELEASES);
    expect(t.pages).toBeGreaterThanOrEqual(1);
    for (const a of t.listAccepts) expect(a).toContain('as=PartialObjectMetadataList');
    expect(t.writes).toBe(0);
    expect(t.total).toBeLessThanOrEqual(t.pages + planned + 3 * changed + C);
    // Old revisions of releases that do not change are never fetched.
    const unchangedNames = new Set(doc.releases.filter((x) => x.status === 'unchanged').map((x) => x.name));
    const fetchedOld = t.bodyGets.filter((k) => {
      const m = k.match(/^sh\.helm\.release\.v1\.(.+)\.v(\d+)$/);
      return m && unchangedNames.has(m[1]) && Number(m[2]) !== REVISIONS;
    });
    expect(fetchedOld).toEqual([]);
  });

  it('real run: within the budget, and a second run reads but writes nothing', async () => {
    const first = await runCli(sim, home, ['-A', '-o', 'json', '--backup-dir', join(home, 'backup')]);
    expect(first.code, first.stderr).toBe(0);
    const doc = JSON.parse(first.stdout) as CleanDoc;
    const planned = doc.releases.filter((x) => x.chosenRevision !== null).length;
    const changed = doc.summary.changed;
    const t = tally(sim.requests());
    expect(changed).toBe(seed.releases.filter((x) => x.psp).length);
    expect(t.writes).toBeGreaterThanOrEqual(2 * changed); // a new revision + a superseded one each
    // + one server-side dry-run update per namespace before its first create (issue 7: no
    // half-written release when `update` is not permitted).
    const namespaces = new Set((doc.releases as Array<{ status: string; namespace?: string }>).filter((x) => x.status === 'changed').map((x) => x.namespace)).size;
    expect(t.total).toBeLessThanOrEqual(t.pages + planned + 3 * changed + namespaces + C);

    sim.clearLog();
    const again = await runCli(sim, home, ['-A', '-o', 'json', '--backup-dir', join(home, 'backup2')]);
    expect(again.code, again.stderr).toBe(0);
    const doc2 = JSON.parse(again.stdout) as CleanDoc;
    const t2 = tally(sim.requests());
    expect(doc2.summary.changed).toBe(0);
    expect(t2.writes).toBe(0);
    expect(t2.total).toBeLessThanOrEqual(t2.pages + doc2.releases.filter((x) => x.chosenRevision !== null).length + C);
  });
});
