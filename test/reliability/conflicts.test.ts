// Other writers meeting psa-clean's writes on a real HTTP path (kube-sim): 409 on the
// supersede step (spurious, and a real concurrent change by Helm), AlreadyExists on the
// create (a concurrent helm upgrade took N+1), and a dropped connection / expired continue
// token in the middle of a paged list. The driver is wrapped only to change the store at
// the exact moment between psa-clean's read and its write.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runClean } from '../../src/clean/index.js';
import { loadMappingTable, parseKubeVersion } from '../../src/mapping/index.js';
import { rewriteManifest } from '../../src/manifest/index.js';
import { openDriver, type Driver, type ReleaseHead } from '../../src/storage/index.js';
import type { ReleaseJson } from '../../src/helm/release.js';
import type { KubeSim } from '../kube-sim/index.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { checkObjects, consistency, history, makeRelease, normalizedStore, records, seededSim, storedObject, CM_DOC, NS } from './harness.js';
import { tally } from './tally.js';

const NOW = new Date('2026-01-02T03:04:05Z');
let sims: KubeSim[] = [];
afterEach(async () => {
  for (const s of sims) await s.stop();
  sims = [];
});

async function sim(releases: ReleaseJson[], faults: Parameters<typeof seededSim>[2] = {}): Promise<KubeSim> {
  const s = await seededSim('secret', releases, faults);
  sims.push(s);
  return s;
}

async function clean(s: KubeSim, wrap: (d: Driver) => Driver = (d) => d) {
  const driver = wrap(await openDriver({ driver: 'secret', kubeconfig: s.kubeconfigPath }));
  try {
    return await runClean(
      { releases: [], namespace: NS, allNamespaces: true, namespaceInclude: [], namespaceExclude: [], releaseInclude: [], releaseExclude: [], dryRun: false, force: false, allRevisions: false, concurrency: 4 },
      {
        driver,
        planCtx: { table: loadMappingTable({ builtinDir: join(REPO_ROOT, 'mapfiles') }), target: parseKubeVersion('v1.25.16'), preClean: false, rewrite: rewriteManifest },
        now: () => NOW,
      },
      { target: { version: 'v1.25.16', source: 'cluster', preClean: false }, driver: 'secret' },
    );
  } finally {
    await driver.close();
  }
}

async function intended(releases: () => ReleaseJson[]) {
  const s = await sim(releases());
  const before = normalizedStore(s, 'secret');
  await clean(s);
  return { before, intended: normalizedStore(s, 'secret') };
}

const key = (name: string, rev: number) => `/api/v1/namespaces/${NS}/secrets/sh.helm.release.v1.${name}.v${rev}`;

describe('409 on the supersede step', () => {
  it('a spurious 409 (record unchanged) re-reads, re-checks and retries: same result as undisturbed', async () => {
    const ref = await intended(() => history('app', 3));
    // after: 1 lets the server-side dry run through; the real supersede PUT meets 409 twice.
    const s = await sim(history('app', 3), { faults: [{ method: 'PUT', status: 409, after: 1, count: 2 }] });
    const res = await clean(s);
    expect(res.releases[0].status).toBe('changed');
    expect(res.releases[0].warnings.filter((w) => w.includes('another writer'))).toEqual([]);
    expect(s.requests().filter((r) => r.method === 'PUT').map((r) => `${r.query.dryRun ?? ''}${r.status}`)).toEqual(['All200', '409', '409', '200']);
    expect(normalizedStore(s, 'secret')).toEqual(ref.intended);
    tally('conflicts', '409 on supersede, record unchanged', { runs: 1, lost: 0, outcome: 're-read, retried, same result' });
  });

  it('409 on the dry run before the create: the release stops, nothing written', async () => {
    const s = await sim(history('app', 3), { faults: [{ method: 'PUT', status: 409, count: 1 }] });
    const before = records(s, 'secret');
    const res = await clean(s);
    expect(res.releases[0].status).toBe('error');
    expect(res.releases[0].error).toBe(`Secret ${NS}/sh.helm.release.v1.app.v3: changed since it was read (another writer); nothing was written, run again`);
    expect(records(s, 'secret')).toEqual(before);
    expect(s.requests().filter((r) => r.method !== 'GET' && !r.query.dryRun)).toEqual([]);
    tally('conflicts', '409 on the pre-create dry run', { runs: 1, lost: 0, outcome: 'release stops, nothing written' });
  });

  it('a revision Helm changed between read and write is never overwritten', async () => {
    const ref = await intended(() => history('app', 3));
    const s = await sim(history('app', 3));
    // Helm (e.g. a rollback elsewhere) rewrote revision 3 after psa-clean read it.
    const helmV3 = storedObject('secret', makeRelease('app', 3, 'superseded', CM_DOC, { info: { status: 'superseded', description: 'changed by helm', first_deployed: '', last_deployed: '', deleted: '' } }));
    let changed = false;
    const res = await clean(s, (d) => Object.assign(Object.create(d), {
      update: async (h: ReleaseHead, r: ReleaseJson, l: Record<string, string>) => {
        if (!changed && h.revision === 3) {
          changed = true;
          s.putObject(helmV3);
        }
        return d.update(h, r, l);
      },
    }));
    expect(changed).toBe(true);
    const out = res.releases[0];
    expect(out.status).toBe('changed');
    expect(out.warnings.join('\n')).toContain('revision 3 was changed by another writer meanwhile; it was left as that writer stored it');
    expect(out.supersededRevisions).toEqual([]);
    const v3 = s.getObject(key('app', 3))!;
    expect(v3.data).toEqual(helmV3.data);
    expect(v3.metadata.labels).toEqual(helmV3.metadata.labels);
    // Everything else: untouched or intended; v4 was created as planned.
    const actual = normalizedStore(s, 'secret');
    const v3id = `${NS}/sh.helm.release.v1.app.v3`;
    const before = { ...ref.before };
    for (const m of [actual, before]) delete m[v3id];
    expect(checkObjects(before, ref.intended, actual)).toEqual([]);
    expect(Object.keys(actual).length).toBe(3);
    tally('conflicts', '409 on supersede, Helm changed the record', { runs: 1, lost: 0, outcome: "Helm's record kept, warning" });
  });
});

describe('create meets AlreadyExists', () => {
  it('a concurrent helm upgrade took N+1: that release stops saying so, nothing of it is overwritten, the batch goes on', async () => {
    const releases = () => [...history('app', 2), ...history('other', 2)];
    const s = await sim(releases());
    const before = records(s, 'secret');
    const helmV3 = storedObject('secret', makeRelease('app', 3, 'pending-upgrade', CM_DOC));
    const res = await clean(s, (d) => Object.assign(Object.create(d), {
      create: async (r: ReleaseJson, l: Record<string, string>) => {
        if (r.name === 'app') s.putObject(helmV3);
        return d.create(r, l);
      },
    }));
    const app = res.releases.find((r) => r.name === 'app')!;
    expect(app.status).toBe('error');
    expect(app.error).toBe('a concurrent helm operation took revision 3; nothing was written, run again');
    expect(res.releases.find((r) => r.name === 'other')!.status).toBe('changed');
    const after = records(s, 'secret');
    for (const rev of [1, 2]) expect(after.get(`${NS}/sh.helm.release.v1.app.v${rev}`)).toEqual(before.get(`${NS}/sh.helm.release.v1.app.v${rev}`));
    expect(s.getObject(key('app', 3))!.data).toEqual(helmV3.data);
    expect(s.requests().filter((r) => r.method === 'PUT' && !r.query.dryRun && r.path.includes('.app.'))).toEqual([]);
    expect(consistency(s, 'secret')).toEqual([]);
    tally('conflicts', 'create meets AlreadyExists (helm took N+1)', { runs: 1, lost: 0, outcome: 'release stops with message; batch goes on' });
  });
});

describe('paged list interrupted', () => {
  const many = () => Array.from({ length: 7 }, (_, i) => history(`r${i}`, 2)).flat();

  async function heads(s: KubeSim, during?: (page: number) => void): Promise<string[]> {
    const d = await openDriver({ driver: 'secret', kubeconfig: s.kubeconfigPath, pageSize: 3 });
    const out: string[] = [];
    try {
      let n = 0;
      for await (const h of d.listHeads({})) {
        if ('key' in h) out.push(h.key);
        else throw h;
        if (++n === 3) during?.(n);
      }
    } finally {
      await d.close();
    }
    return out.sort();
  }

  it('a connection dropped mid-list is retried; every head exactly once', async () => {
    const s = await sim(many(), { faults: [{ method: 'GET', pathRegex: '^/api/v1/secrets$', after: 2, count: 1, drop: true }] });
    const keys = await heads(s);
    expect(keys).toEqual(many().map((r) => `sh.helm.release.v1.${String(r.name)}.v${String(r.version)}`).sort());
    expect(s.requests().filter((r) => r.status === -1).length).toBe(1);
    tally('conflicts', 'connection dropped mid-list', { runs: 1, lost: 0, outcome: 'page re-read, no duplicates' });
  });

  it('an expired continue token (410) restarts the list from the start; every head exactly once', async () => {
    const s = await sim(many());
    const keys = await heads(s, () => s.expireContinueTokens());
    expect(keys).toEqual(many().map((r) => `sh.helm.release.v1.${String(r.name)}.v${String(r.version)}`).sort());
    const lists = s.requests().filter((r) => r.path === '/api/v1/secrets');
    expect(lists.some((r) => r.status === 410)).toBe(true);
    expect(lists.filter((r) => !r.query.continue).length).toBe(2);
    tally('conflicts', 'continue token expired mid-list (410)', { runs: 1, lost: 0, outcome: 'list restarted, no duplicates' });
  });
});

describe('per-request timeout on writes that land late', () => {
  // The client gives up after 150 ms; kube-sim still commits the write after its 230 ms delay.
  // The verify GET (sent at once) finds nothing yet, so the write is resent and meets its own
  // first copy: AlreadyExists (create) or Conflict (update). That must count as success.
  async function cleanWithTimeout(s: KubeSim) {
    const driver = await openDriver({ driver: 'secret', kubeconfig: s.kubeconfigPath, requestTimeoutMs: 150 });
    try {
      return await runClean(
        { releases: [], namespace: NS, allNamespaces: true, namespaceInclude: [], namespaceExclude: [], releaseInclude: [], releaseExclude: [], dryRun: false, force: false, allRevisions: false, concurrency: 1 },
        { driver, planCtx: { table: loadMappingTable({ builtinDir: join(REPO_ROOT, 'mapfiles') }), target: parseKubeVersion('v1.25.16'), preClean: false, rewrite: rewriteManifest }, now: () => NOW },
        { target: { version: 'v1.25.16', source: 'cluster', preClean: false }, driver: 'secret' },
      );
    } finally {
      await driver.close();
    }
  }

  for (const method of ['POST', 'PUT'] as const) {
    it(`${method === 'POST' ? 'create' : 'supersede update'} times out, lands late, is resent: success, one copy, right message`, async () => {
      const ref = await intended(() => history('app', 3));
      // PUT: skip the dry run (after: 1) so the real supersede is the slow one.
      const s = await sim(history('app', 3), { faults: [{ method, latencyMs: 230, count: 1, ...(method === 'PUT' ? { after: 1 } : {}) }] });
      const res = await cleanWithTimeout(s);
      await new Promise((r) => setTimeout(r, 300)); // let the late write land before looking
      expect(res.releases[0].error).toBeUndefined();
      expect(res.releases[0].status).toBe('changed');
      expect(res.releases[0].warnings.filter((w) => w.includes('another writer'))).toEqual([]);
      expect(res.releases[0].supersededRevisions).toEqual([3]);
      expect(normalizedStore(s, 'secret')).toEqual(ref.intended);
      expect(consistency(s, 'secret')).toEqual([]);
      tally('conflicts', `per-request timeout on ${method === 'POST' ? 'create' : 'update'}, write lands late`, { runs: 1, lost: 0, outcome: 'recognised as our own write; success' });
    });
  }
});
