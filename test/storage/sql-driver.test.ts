// The SQL driver against a REAL PostgreSQL server, on Helm's schema, with rows written the
// way Helm's SQL driver writes them. Never skipped: no server = failure.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRelease } from '../../src/helm/codec.js';
import { withChanges } from '../../src/helm/release.js';
import type { ReleaseJson } from '../../src/helm/release.js';
import { openDriver, StorageError } from '../../src/storage/index.js';
import type { Driver, ReleaseHead } from '../../src/storage/index.js';
import { parseConnectionString } from '../../src/storage/sql/connection.js';
import { createTestDatabase, HELM_SQL_SCHEMA, PG_ADMIN_URL, withClient } from '../helpers/postgres.js';
import type { TestDatabase } from '../helpers/postgres.js';
import { helm3Release, helm4Release } from '../helm/sample-releases.js';
import { collect, thrown } from './driver-helpers.js';

let db: TestDatabase;
let driver: Driver;

async function insertRow(key: string, namespace: string, body: string, name: string, version: number, status: string, labels: Record<string, string> = {}): Promise<void> {
  await withClient(db.url, async (c) => {
    await c.query(
      `INSERT INTO releases_v1 (key, type, body, name, namespace, version, status, owner, createdat) VALUES ($1,'helm.sh/release.v1',$2,$3,$4,$5,$6,'helm',$7)`,
      [key, body, name, namespace, version, status, 1700000000 + version],
    );
    for (const [k, v] of Object.entries(labels)) {
      await c.query('INSERT INTO custom_labels_v1 (releasekey, releasenamespace, key, value) VALUES ($1,$2,$3,$4)', [key, namespace, k, v]);
    }
  });
}
const key = (n: string, v: number) => `sh.helm.release.v1.${n}.v${v}`; // Helm's format, written out (not storageKey)
async function seed(r: ReleaseJson, labels: Record<string, string> = {}): Promise<void> {
  const info = r.info as Record<string, string>;
  await insertRow(key(r.name as string, r.version as number), r.namespace as string, encodeRelease(r), r.name as string, r.version as number, info.status, labels);
}

beforeAll(async () => {
  db = await createTestDatabase();
  await withClient(db.url, (c) => c.query(HELM_SQL_SCHEMA));
  await seed(helm3Release('web', 1, 'superseded', 'apps'), { team: 'payments' });
  await seed(helm3Release('web', 2, 'deployed', 'apps'), { team: 'payments' });
  await seed(helm4Release('api', 1, 'deployed', 'apps'));
  for (let i = 1; i <= 5; i++) await seed(helm3Release('many', i, i === 5 ? 'deployed' : 'superseded', 'batch'));
  driver = await openDriver({ driver: 'sql', sqlConnectionString: db.helmUrl, pageSize: 2 });
});
afterAll(async () => {
  await driver?.close();
  await db?.drop();
});

describe('SQL driver (PostgreSQL, Helm schema)', () => {
  it('lists heads from columns and custom_labels_v1, paging across several pages, per namespace and release', async () => {
    const all = (await collect(driver.listHeads({}))) as ReleaseHead[];
    expect(all.map((h) => `${h.namespace}/${h.key}`).sort()).toEqual([
      'apps/sh.helm.release.v1.api.v1', 'apps/sh.helm.release.v1.web.v1', 'apps/sh.helm.release.v1.web.v2',
      ...[1, 2, 3, 4, 5].map((i) => `batch/sh.helm.release.v1.many.v${i}`),
    ]);
    const web = (await collect(driver.listHeads({ namespace: 'apps', releaseName: 'web' }))) as ReleaseHead[];
    expect(web.map((h) => [h.revision, h.status])).toEqual([[1, 'superseded'], [2, 'deployed']]);
    expect(web[1].labels).toMatchObject({ name: 'web', owner: 'helm', status: 'deployed', version: '2', team: 'payments' });
    expect(web[1].resourceVersion).toMatch(/^[0-9a-f]{32}$/);
    const batch = await collect(driver.listHeads({ namespace: 'batch' }));
    expect(batch).toHaveLength(5);
  });

  it('gets and decodes a revision; the raw record is the row plus its custom labels', async () => {
    const r = await driver.get('apps', 'web', 2);
    expect(r.release).toEqual(helm3Release('web', 2, 'deployed', 'apps'));
    expect(r.raw.object.row).toMatchObject({ key: key('web', 2), namespace: 'apps', status: 'deployed', owner: 'helm', type: 'helm.sh/release.v1' });
    expect(r.raw.object.customLabels).toEqual([{ releasekey: key('web', 2), releasenamespace: 'apps', key: 'team', value: 'payments' }]);
    const h4 = await driver.get('apps', 'api', 1);
    expect(h4.release.apply_method).toBe('ssa');
  });

  it('creates a revision (custom labels in custom_labels_v1) and refuses to create it twice', async () => {
    const base = await driver.get('apps', 'web', 2);
    const next = withChanges(base.release, { version: 3, description: 'psa-clean repair' });
    const head = await driver.create(next, { ...base.head.labels, createdAt: '1750000000' });
    expect(head).toMatchObject({ key: key('web', 3), revision: 3, status: 'deployed' });
    expect(head.labels.team).toBe('payments');
    const back = await driver.get('apps', 'web', 3);
    expect(back.release).toEqual(next);
    expect(back.head.resourceVersion).toBe(head.resourceVersion);
    expect(back.raw.object.row).toMatchObject({ createdat: 1750000000, modifiedat: 0 });
    const e = await thrown(driver.create(next, base.head.labels));
    expect(e).toBeInstanceOf(StorageError);
    expect(e.code).toBe('already-exists');
    expect(e.message).toContain('apps/sh.helm.release.v1.web.v3');
  });

  it('updates with the resourceVersion as precondition; a stale one is a conflict', async () => {
    const cur = await driver.get('apps', 'web', 1);
    const updated = await driver.update(cur.head, withChanges(cur.release, { description: 'edited' }), cur.head.labels);
    expect(updated.resourceVersion).not.toBe(cur.head.resourceVersion);
    expect((await driver.get('apps', 'web', 1)).release.info).toMatchObject({ description: 'edited' });
    const e = await thrown(driver.update(cur.head, withChanges(cur.release, { description: 'again' }), cur.head.labels));
    expect(e.code).toBe('conflict');
    expect(e.message).toContain('apps/sh.helm.release.v1.web.v1');
    expect((await driver.get('apps', 'web', 1)).release.info).toMatchObject({ description: 'edited' });
  });

  it('a concurrent writer between read and update is detected inside the transaction', async () => {
    const cur = await driver.get('batch', 'many', 1);
    await withClient(db.url, (c) => c.query(`UPDATE releases_v1 SET status = 'failed', modifiedat = 1 WHERE key = $1 AND namespace = 'batch'`, [key('many', 1)]));
    const e = await thrown(driver.update(cur.head, cur.release, cur.head.labels));
    expect(e.code).toBe('conflict');
  });

  it('delete honours the precondition and removes the custom labels too; readRaw/writeRaw restore it exactly', async () => {
    const cur = await driver.get('apps', 'web', 2);
    const raw = await driver.readRaw('apps', key('web', 2));
    const stale = { ...cur.head, resourceVersion: 'stale' };
    expect((await thrown(driver.delete(stale))).code).toBe('conflict');
    await driver.delete(cur.head);
    expect((await thrown(driver.get('apps', 'web', 2))).code).toBe('not-found');
    expect(await withClient(db.url, (c) => c.query(`SELECT count(*)::int AS n FROM custom_labels_v1 WHERE releasekey = $1`, [key('web', 2)]))).toMatchObject({ rows: [{ n: 0 }] });
    await driver.writeRaw(raw);
    const back = await driver.get('apps', 'web', 2);
    expect(back.raw).toEqual(raw);
    expect(back.head.resourceVersion).toBe(cur.head.resourceVersion);
  });

  describe('bad records: typed decode errors naming the row, listing goes on', () => {
    const good = () => helm3Release('bad', 1, 'deployed', 'corrupt');
    beforeAll(async () => {
      await insertRow(key('b64', 1), 'corrupt', '%%% not base64', 'b64', 1, 'deployed');
      await insertRow(key('gz', 1), 'corrupt', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0]), Buffer.from('xx')]).toString('base64'), 'gz', 1, 'deployed');
      await insertRow(key('json', 1), 'corrupt', gzipSync(Buffer.from('{"name": nope')).toString('base64'), 'json', 1, 'deployed');
      const noInfo: ReleaseJson = { ...good(), name: 'fields' };
      delete noInfo.info;
      await insertRow(key('fields', 1), 'corrupt', encodeRelease(noInfo), 'fields', 1, 'deployed');
      await insertRow(key('name', 1), 'corrupt', encodeRelease({ ...good(), name: 'other' }), 'name', 1, 'deployed');
      await insertRow(key('ver', 1), 'corrupt', encodeRelease({ ...good(), name: 'ver', version: 7 }), 'ver', 1, 'deployed');
      await insertRow(key('ns', 1), 'corrupt', encodeRelease({ ...good(), name: 'ns', namespace: 'elsewhere' }), 'ns', 1, 'deployed');
      // key disagrees with the name/version columns: a label-level problem, reported while listing
      await insertRow(key('keyname', 9), 'corrupt', encodeRelease(good()), 'keyname', 1, 'deployed');
      await insertRow(key('fine', 1), 'corrupt', encodeRelease({ ...good(), name: 'fine' }), 'fine', 1, 'deployed');
    });

    it.each([
      ['b64', 'not valid base64'],
      ['gz', 'not valid gzip'],
      ['json', 'not valid JSON'],
      ['fields', 'no "info" object'],
      ['name', 'name "other" disagrees'],
      ['ver', 'version 7 disagrees'],
      ['ns', 'namespace "elsewhere" disagrees'],
    ])('%s -> decode error', async (name, problem) => {
      const e = await thrown(driver.get('corrupt', name, 1));
      expect(e).toBeInstanceOf(StorageError);
      expect(e.code).toBe('decode');
      expect(e.message).toContain(`corrupt/${key(name, 1)}`);
      expect(e.message).toContain(problem);
      expect(e.message).not.toContain('s3cr3t');
    });

    it('listing yields the label problem as an item and still lists the others', async () => {
      const items = await collect(driver.listHeads({ namespace: 'corrupt' }));
      const errors = items.filter((x): x is StorageError => x instanceof StorageError);
      expect(errors).toHaveLength(1);
      expect(errors[0].code).toBe('decode');
      expect(errors[0].message).toContain(key('keyname', 9));
      expect(items.length).toBe(9);
    });
  });

  it('a database without Helm tables has no releases', async () => {
    const empty = await createTestDatabase();
    const d = await openDriver({ driver: 'sql', sqlConnectionString: empty.helmUrl });
    try {
      expect(await collect(d.listHeads({}))).toEqual([]);
      expect((await thrown(d.get('default', 'x', 1))).code).toBe('not-found');
    } finally {
      await d.close();
      await empty.drop();
    }
  });

  it('wrong password -> unauthorized, without the password', async () => {
    const u = new URL(db.helmUrl);
    u.password = 'definitely-wrong-pw';
    const d = await openDriver({ driver: 'sql', sqlConnectionString: u.toString() });
    try {
      const e = await thrown(collect(d.listHeads({})));
      expect(e.code).toBe('unauthorized');
      expect(e.message).not.toContain('definitely-wrong-pw');
      expect(e.message).toContain(`127.0.0.1:${u.port || 5432}/${db.name}`);
    } finally {
      await d.close();
    }
  });

  it('connection refused -> unreachable naming host:port', async () => {
    const d = await openDriver({ driver: 'sql', sqlConnectionString: 'host=127.0.0.1 port=1 user=postgres password=topsecret dbname=x sslmode=disable' });
    try {
      const e = await thrown(collect(d.listHeads({})));
      expect(e.code).toBe('unreachable');
      expect(e.message).toContain('127.0.0.1:1');
      expect(e.message).not.toContain('topsecret');
    } finally {
      await d.close();
    }
  });

  it('without sslmode, connects with TLS like lib/pq and says how to turn it off when the server has none', async () => {
    const d = await openDriver({ driver: 'sql', sqlConnectionString: db.url });
    try {
      const e = await thrown(collect(d.listHeads({})));
      expect(e.code).toBe('unreachable');
      expect(e.message).toContain('sslmode=disable');
    } finally {
      await d.close();
    }
  });

  it('parses lib/pq connection strings: URL and key=value, sslmode defaulting to require like lib/pq', () => {
    const kv = parseConnectionString("host=db.example port=6543 user=helm password='p w\\'x' dbname=rel sslmode=disable");
    expect(kv.config).toMatchObject({ host: 'db.example', port: 6543, user: 'helm', password: "p w'x", database: 'rel', ssl: false });
    const url = parseConnectionString('postgres://helm:p%40ss@db.example/rel');
    expect(url.config).toMatchObject({ host: 'db.example', port: 5432, user: 'helm', password: 'p@ss', database: 'rel', ssl: { rejectUnauthorized: false } });
    expect(url.display).toBe('postgres db.example:5432/rel');
    expect(PG_ADMIN_URL).toMatch(/^postgres:/);
  });
});
