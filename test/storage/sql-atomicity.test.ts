// SQL writes fail whole: a release row and its custom_labels_v1 rows are one transaction, so
// a failure between them (the server refusing the second statement, or the connection dying
// mid-transaction) leaves what was there before, and the driver goes on working. Real
// PostgreSQL; the faults are triggers that fire on the custom_labels_v1 insert, i.e. after
// the release row was written inside the same transaction.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeRelease } from '../../src/helm/codec.js';
import { withChanges, type ReleaseJson } from '../../src/helm/release.js';
import { openDriver, StorageError, type Driver } from '../../src/storage/index.js';
import { createTestDatabase, HELM_SQL_SCHEMA, withClient, type TestDatabase } from '../helpers/postgres.js';
import { helm3Release } from '../helm/sample-releases.js';
import { thrown } from './driver-helpers.js';

let db: TestDatabase;
let driver: Driver;
const NS = 'apps';
const key = (n: string, v: number) => `sh.helm.release.v1.${n}.v${v}`;

/** Rows as the server holds them, for before/after comparisons. */
async function snapshot(): Promise<{ releases: unknown[]; labels: unknown[] }> {
  return withClient(db.url, async (c) => ({
    releases: (await c.query('SELECT key, namespace, body, status, version, modifiedat FROM releases_v1 ORDER BY key')).rows,
    labels: (await c.query('SELECT releasekey, key, value FROM custom_labels_v1 ORDER BY releasekey, key')).rows,
  }));
}

/** Makes the next custom_labels_v1 insert for `releaseKey` fail: with an error, or by killing the connection. */
async function armFault(releaseKey: string, how: 'error' | 'kill'): Promise<void> {
  const action = how === 'error' ? `RAISE EXCEPTION 'injected fault for %', NEW.releasekey;` : 'PERFORM pg_terminate_backend(pg_backend_pid());';
  await withClient(db.url, (c) =>
    c.query(`
      CREATE OR REPLACE FUNCTION psa_fault() RETURNS trigger AS $$
      BEGIN
        IF NEW.releasekey = '${releaseKey}' THEN ${action} END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      DROP TRIGGER IF EXISTS psa_fault ON custom_labels_v1;
      CREATE TRIGGER psa_fault BEFORE INSERT ON custom_labels_v1 FOR EACH ROW EXECUTE FUNCTION psa_fault();`),
  );
}

beforeAll(async () => {
  db = await createTestDatabase();
  await withClient(db.url, (c) => c.query(HELM_SQL_SCHEMA));
  driver = await openDriver({ driver: 'sql', sqlConnectionString: db.helmUrl });
  for (const [v, status] of [[1, 'superseded'], [2, 'deployed']] as const) {
    const r: ReleaseJson = helm3Release('web', v, status, NS);
    await withClient(db.url, async (c) => {
      await c.query(
        `INSERT INTO releases_v1 (key, type, body, name, namespace, version, status, owner, createdat) VALUES ($1,'helm.sh/release.v1',$2,'web',$3,$4,$5,'helm',$6)`,
        [key('web', v), encodeRelease(r), NS, v, status, 1700000000 + v],
      );
      await c.query(`INSERT INTO custom_labels_v1 VALUES ($1, $2, 'team', 'payments')`, [key('web', v), NS]);
    });
  }
});
afterAll(async () => {
  await driver?.close();
  await db?.drop();
});
beforeEach(async () => {
  await withClient(db.url, (c) => c.query('DROP TRIGGER IF EXISTS psa_fault ON custom_labels_v1'));
});

describe.each(['error', 'kill'] as const)('SQL driver, a fault mid-transaction (%s)', (how) => {
  it('create: no release row without its labels; the same create succeeds afterwards', async () => {
    const base = await driver.get(NS, 'web', 2);
    const next = withChanges(base.release, { version: 3, description: 'psa-clean repair' });
    const before = await snapshot();
    await armFault(key('web', 3), how);
    const e = await thrown(driver.create(next, base.head.labels));
    expect(e).toBeInstanceOf(StorageError);
    expect(e.message).toContain(`${NS}/${key('web', 3)}`);
    expect(await snapshot()).toEqual(before);
    // The driver (and its pool) still works: a dead connection was not handed out again.
    await withClient(db.url, (c) => c.query('DROP TRIGGER psa_fault ON custom_labels_v1'));
    const head = await driver.create(next, base.head.labels);
    expect(head.revision).toBe(3);
    expect((await driver.get(NS, 'web', 3)).head.labels.team).toBe('payments');
    await driver.delete(head);
  });

  it('update: the old body and the old labels stay (the label rewrite deletes first)', async () => {
    const cur = await driver.get(NS, 'web', 1);
    const before = await snapshot();
    await armFault(key('web', 1), how);
    const e = await thrown(driver.update(cur.head, withChanges(cur.release, { description: 'edited' }), { ...cur.head.labels, team: 'other' }));
    expect(e).toBeInstanceOf(StorageError);
    expect(e.message).toContain(`${NS}/${key('web', 1)}`);
    expect(await snapshot()).toEqual(before);
    // The precondition still holds: nothing moved the row's resourceVersion.
    await withClient(db.url, (c) => c.query('DROP TRIGGER psa_fault ON custom_labels_v1'));
    const again = await driver.get(NS, 'web', 1);
    expect(again.head.resourceVersion).toBe(cur.head.resourceVersion);
  });

  it('writeRaw (restore): the row it replaces is still there', async () => {
    const raw = await driver.readRaw(NS, key('web', 2));
    const changed = structuredClone(raw);
    (changed.object.row as Record<string, unknown>).status = 'superseded';
    const before = await snapshot();
    await armFault(key('web', 2), how);
    const e = await thrown(driver.writeRaw(changed));
    expect(e).toBeInstanceOf(StorageError);
    expect(await snapshot()).toEqual(before);
  });
});
