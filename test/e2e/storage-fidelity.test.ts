// Fidelity oracle: real Helm writes releases; our driver reads, re-encodes and writes them
// back; real Helm must see exactly what it saw before. Then a revision we create must read
// in Helm exactly as we meant it — for Helm 3.17.2 and 4.1.4, and the secret, configmap and
// sql drivers (kube-sim for the cluster, a throwaway PostgreSQL database for sql).
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsForNewRevision, labelsForUpdatedRevision } from '../../src/helm/labels.js';
import { encodeRelease } from '../../src/helm/codec.js';
import { releaseView, withChanges } from '../../src/helm/release.js';
import { selectRevision } from '../../src/helm/select.js';
import { openDriver, StorageError } from '../../src/storage/index.js';
import type { Driver, RawRecord, ReleaseHead, StorageConfig } from '../../src/storage/index.js';
import { createHelmEnv } from '../helpers/helm-env.js';
import type { HelmEnv, HelmMajor } from '../helpers/helm-env.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { createTestDatabase } from '../helpers/postgres.js';
import type { TestDatabase } from '../helpers/postgres.js';
import { startKubeSim } from '../kube-sim/index.js';
import type { KubeSim } from '../kube-sim/index.js';

const CHART = join(REPO_ROOT, 'test', 'fixtures', 'storage', 'fidelity-chart');
const NS = 'fidelity';
const REL = 'fid';

type DriverName = 'secret' | 'configmap' | 'sql';
const COMBOS: Array<[HelmMajor, DriverName]> = [
  [3, 'secret'], [3, 'configmap'], [3, 'sql'],
  [4, 'secret'], [4, 'configmap'], [4, 'sql'],
];

/** Helm's base64 text as stored in a raw record. */
function storedHelmText(raw: RawRecord): string {
  if (raw.driver === 'sql') return String((raw.object.row as Record<string, unknown>).body);
  const data = (raw.object.data as Record<string, string>).release;
  return raw.driver === 'secret' ? Buffer.from(data, 'base64').toString('latin1') : data;
}
const jsonOf = (helmText: string) => gunzipSync(Buffer.from(helmText, 'base64')).toString('utf8');

describe.each(COMBOS)('storage fidelity: Helm %i, %s driver', (major, driverName) => {
  let sim: KubeSim;
  let db: TestDatabase | undefined;
  let h: HelmEnv;
  let driver: Driver;
  let config: StorageConfig;

  const helm = async (...args: string[]): Promise<string> => {
    const r = await h.helm(args);
    if (r.code !== 0) throw new Error(`helm ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  /** Everything Helm shows about the release, per revision. */
  const helmView = async (revisions: number[]): Promise<Record<string, string>> => {
    const out: Record<string, string> = { history: await helm('history', REL, '-n', NS), historyJson: await helm('history', REL, '-n', NS, '-o', 'json') };
    for (const n of revisions) out[`all-${n}`] = await helm('get', 'all', REL, '-n', NS, '--revision', String(n));
    return out;
  };
  const heads = async (): Promise<ReleaseHead[]> => {
    const out: ReleaseHead[] = [];
    for await (const x of driver.listHeads({ namespace: NS, releaseName: REL })) {
      if (x instanceof StorageError) throw x;
      out.push(x);
    }
    return out.sort((a, b) => a.revision - b.revision);
  };

  beforeAll(async () => {
    sim = await startKubeSim({ kubeVersion: 'v1.29.4' });
    db = driverName === 'sql' ? await createTestDatabase() : undefined;
    h = await createHelmEnv(major, { kubeconfig: sim.kubeconfigPath, driver: driverName, ...(db ? { sqlConnectionString: db.helmUrl } : {}) });
    config = { driver: driverName, kubeconfig: sim.kubeconfigPath, ...(db ? { sqlConnectionString: db.helmUrl } : {}) };
    await helm('install', REL, CHART, '-n', NS, '--create-namespace', '--labels', 'team=payments,tier=gold', '--set', 'extra=first');
    await helm('upgrade', REL, CHART, '-n', NS, '--set', 'message=second & <last>,bigid=9007199254740993');
    driver = await openDriver(config);
  });
  afterAll(async () => {
    await driver?.close();
    h?.cleanup();
    await sim?.stop();
    await db?.drop();
  });

  it('lists every revision from labels/columns and decodes each; re-encoding gives Helm\'s exact JSON', async () => {
    const hs = await heads();
    expect(hs.map((x) => [x.revision, x.status])).toEqual([[1, 'superseded'], [2, 'deployed']]);
    for (const head of hs) {
      expect(head.labels).toMatchObject({ name: REL, owner: 'helm', status: head.status, version: String(head.revision), team: 'payments', tier: 'gold' });
      const rev = await driver.get(NS, REL, head.revision);
      expect(releaseView.name(rev.release)).toBe(REL);
      expect(releaseView.namespace(rev.release)).toBe(NS);
      expect(releaseView.version(rev.release)).toBe(head.revision);
      expect(releaseView.status(rev.release)).toBe(head.status);
      expect(releaseView.hooks(rev.release)).toHaveLength(1);
      // Byte-identical JSON: unknown fields, key order, Go's escaping, numbers, "deleted": "" (Helm 3)
      expect(jsonOf(encodeRelease(rev.release))).toBe(jsonOf(storedHelmText(rev.raw)));
    }
    const latest = await driver.get(NS, REL, 2);
    // Helm wrote the --set int64 exactly (it rounds it only when it re-decodes the record
    // itself, e.g. marking it superseded); the byte-identical check above kept every digit.
    expect(jsonOf(storedHelmText(latest.raw))).toContain('"bigid":9007199254740993');
    if (major === 4) {
      expect(latest.release.apply_method).toBe('ssa');
      expect(JSON.stringify(latest.release.chart)).toContain('"modtime"');
    } else {
      expect((latest.release.info as Record<string, unknown>).deleted).toBe('');
    }
  });

  it('writing every decoded revision back (update with precondition) leaves helm history and get all identical', async () => {
    const before = await helmView([1, 2]);
    for (const head of await heads()) {
      const rev = await driver.get(NS, REL, head.revision);
      const after = await driver.update(rev.head, rev.release, rev.head.labels);
      expect(after.resourceVersion).not.toBe(rev.head.resourceVersion);
      // a second write with the old resourceVersion must be refused
      expect((await driver.update(rev.head, rev.release, rev.head.labels).catch((e: StorageError) => e)) as StorageError).toMatchObject({ code: 'conflict' });
    }
    expect(await helmView([1, 2])).toEqual(before);
  });

  it('a revision we create (description, status, manifest changed) reads in Helm as meant; custom labels carried', async () => {
    const sel = selectRevision(await heads());
    expect(sel.kind).toBe('use');
    if (sel.kind !== 'use') return;
    const base = await driver.get(NS, REL, sel.head.revision);
    const now = new Date();
    const manifest = releaseView.manifest(base.release).replace('second & <last>', 'rewritten by psa-clean');
    expect(manifest).not.toBe(releaseView.manifest(base.release));
    const next = withChanges(base.release, { version: 3, status: 'deployed', description: 'psa-clean fidelity: rewritten', manifest, lastDeployed: now.toISOString() });
    const created = await driver.create(next, labelsForNewRevision(base.head.labels, next, now));
    expect(created.labels).toMatchObject({ team: 'payments', tier: 'gold', status: 'deployed', version: '3' });
    const superseded = withChanges(base.release, { status: 'superseded' });
    await driver.update(base.head, superseded, labelsForUpdatedRevision(base.head.labels, superseded, now));

    const history = JSON.parse(await helm('history', REL, '-n', NS, '-o', 'json')) as Array<{ revision: number; status: string; description: string }>;
    expect(history.map((x) => [x.revision, x.status])).toEqual([[1, 'superseded'], [2, 'superseded'], [3, 'deployed']]);
    expect(history[2].description).toBe('psa-clean fidelity: rewritten');
    expect(await helm('get', 'manifest', REL, '-n', NS)).toBe(`${manifest}\n`);
    const status = await helm('status', REL, '-n', NS, '-o', 'json');
    expect(JSON.parse(status)).toMatchObject({ version: 3, info: { status: 'deployed' } });
    // The other parts of revision 3 are the base's, untouched.
    const all3 = await helm('get', 'values', REL, '-n', NS, '--revision', '3', '-o', 'json');
    expect(JSON.parse(all3)).toEqual(JSON.parse(await helm('get', 'values', REL, '-n', NS, '--revision', '2', '-o', 'json')));
    expect(await helm('get', 'hooks', REL, '-n', NS, '--revision', '3')).toBe(await helm('get', 'hooks', REL, '-n', NS, '--revision', '2'));
  });

  it('the next real helm upgrade builds on our revision (and, with Helm 4, still applies server-side)', async () => {
    sim.clearLog();
    await helm('upgrade', REL, CHART, '-n', NS, '--set', 'message=after psa-clean');
    const history = JSON.parse(await helm('history', REL, '-n', NS, '-o', 'json')) as Array<{ revision: number; status: string }>;
    expect(history.map((x) => [x.revision, x.status])).toEqual([[1, 'superseded'], [2, 'superseded'], [3, 'superseded'], [4, 'deployed']]);
    const patches = sim.requests().filter((r) => r.method === 'PATCH' && r.path.includes(`/namespaces/${NS}/configmaps/${REL}-config`));
    expect(patches.length).toBeGreaterThan(0);
    if (major === 4) {
      expect(patches.every((p) => p.contentType?.startsWith('application/apply-patch+yaml'))).toBe(true);
      expect((await driver.get(NS, REL, 4)).release.apply_method).toBe('ssa');
    }
    // custom labels survive Helm's own next revision too (it copies them from our revision)
    const hs = await heads();
    expect(hs.find((x) => x.revision === 4)?.labels).toMatchObject({ team: 'payments', tier: 'gold' });
  });

  // Helm 3 has no apply_method: the control exists only for Helm 4 (defined, not skipped).
  if (major === 4) it('control: the same record WITHOUT apply_method makes Helm 4 fall back to client-side apply ', async () => {
    // Shows the SSA assertion above can fail: this is what a lossy re-encode (Helm 3 structs,
    // helm-mapkubeapis) does to a Helm 4 release.
    const cur = await driver.get(NS, REL, 4);
    const lossy = structuredClone(cur.release);
    delete lossy.apply_method;
    await driver.update(cur.head, lossy, cur.head.labels);
    sim.clearLog();
    await helm('upgrade', REL, CHART, '-n', NS, '--set', 'message=after a lossy write');
    const patches = sim.requests().filter((r) => r.method === 'PATCH' && r.path.includes(`/namespaces/${NS}/configmaps/${REL}-config`));
    expect(patches.length).toBeGreaterThan(0);
    expect(patches.some((p) => p.contentType?.startsWith('application/apply-patch+yaml'))).toBe(false);
  });
});
