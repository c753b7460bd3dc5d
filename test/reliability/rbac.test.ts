// Least privilege. kube-sim's deny list cannot say "allow only", so an identity limited to a
// set of rules is built by denying everything else: every verb on every other resource of
// the catalogue, and the other verbs on the driver's resource. /version (a non-resource
// URL) is always readable in kube-sim; psa-clean reads it unless --kube-version is given.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { encodeRelease } from '../../src/helm/codec.js';
import { createTestDatabase, HELM_SQL_SCHEMA, PG_ADMIN_URL, withClient, type TestDatabase } from '../helpers/postgres.js';
import { join } from 'node:path';
import { CATALOG } from '../kube-sim/catalog.js';
import type { KubeSim } from '../kube-sim/index.js';
import { cli, cliEnv, consistency, history, normalizedStore, records, seededSim, tempDir, NS, type KubeDriverName } from './harness.js';
import { tally } from './tally.js';

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/** Deny rules for an identity that may do exactly `allowed` on the driver's resource and nothing else. */
function onlyAllow(resource: string, allowed: string[]): string[] {
  const rules = new Set<string>();
  for (const d of CATALOG) {
    if (d.resource === resource && d.group === '') continue;
    rules.add(`*:${d.resource}${d.group ? `.${d.group}` : ''}`);
  }
  for (const v of VERBS) if (!allowed.includes(v)) rules.add(`${v}:${resource}`);
  return [...rules];
}

const RELEASES = () => [...history('app', 3), ...history('other', 2)];
let sims: KubeSim[] = [];
afterEach(async () => {
  for (const s of sims) await s.stop();
  sims = [];
});

async function run(driver: KubeDriverName, allowed: string[] | undefined, args: string[]) {
  const resource = driver === 'secret' ? 'secrets' : 'configmaps';
  const sim = await seededSim(driver, RELEASES(), allowed ? { forbid: onlyAllow(resource, allowed) } : {});
  sims.push(sim);
  const before = normalizedStore(sim, driver);
  const rawBefore = records(sim, driver);
  const r = await cli(args, cliEnv(sim, driver));
  return { sim, r, before, rawBefore };
}

for (const driver of ['secret', 'configmap'] as const) {
  const resource = driver === 'secret' ? 'secrets' : 'configmaps';
  describe(`least privilege (${driver} driver)`, () => {
    it(`dry run needs only get + list on ${resource}`, async () => {
      const { sim, r } = await run(driver, ['get', 'list'], ['app', 'other', '--dry-run', '-o', 'json']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).summary.changed).toBe(2);
      // The restriction is real: the same identity cannot read anything else.
      expect(sim.requests().filter((q) => q.status === 403)).toEqual([]);
      const all = await cli(['-A', '--dry-run', '-o', 'json'], cliEnv(sim, driver));
      expect(all.code).toBe(0);
      tally('rbac', `${driver}: dry run with get+list only`, { runs: 2, lost: 0, outcome: 'succeeds' });
    });

    it(`a real run needs exactly get, list, create, update on ${resource}`, async () => {
      const ref = await run(driver, undefined, ['app', 'other', '--no-backup']);
      expect(ref.r.code).toBe(0);
      const { sim, r } = await run(driver, ['get', 'list', 'create', 'update'], ['app', 'other', '--backup-dir', join(tempDir('psa-rbac-'), 'b')]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(normalizedStore(sim, driver)).toEqual(normalizedStore(ref.sim, driver));
      expect(consistency(sim, driver)).toEqual([]);
      tally('rbac', `${driver}: real run with get+list+create+update`, { runs: 1, lost: 0, outcome: 'succeeds, same store as unrestricted' });
    });

    it(`without update: clear error naming verb and namespace, nothing half-written`, async () => {
      const { sim, r, rawBefore } = await run(driver, ['get', 'list', 'create'], ['app', 'other', '-o', 'json', '--no-backup']);
      expect(r.code).toBe(1);
      const outs = JSON.parse(r.stdout).releases as Array<{ name: string; status: string; error: string }>;
      expect(outs.map((o) => o.status)).toEqual(['error', 'error']);
      for (const o of outs) {
        expect(o.error).toMatch(new RegExp(`^update ${resource} "sh\\.helm\\.release\\.v1\\.${o.name}\\.v\\d+" in namespace "${NS}": forbidden \\(403\\)`));
      }
      expect(records(sim, driver)).toEqual(rawBefore);
      expect(sim.requests().filter((q) => q.method !== 'GET' && !q.query.dryRun)).toEqual([]);
      tally('rbac', `${driver}: real run without update`, { runs: 1, lost: 0, outcome: 'clear 403 error, nothing written' });
    });

    it(`without create: clear error, nothing written`, async () => {
      const { sim, r, rawBefore } = await run(driver, ['get', 'list', 'update'], ['app', '-o', 'json', '--no-backup']);
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout).releases[0] as { error: string };
      expect(out.error).toMatch(new RegExp(`^create ${resource} "sh\\.helm\\.release\\.v1\\.app\\.v4" in namespace "${NS}": forbidden \\(403\\)`));
      expect(records(sim, driver)).toEqual(rawBefore);
      tally('rbac', `${driver}: real run without create`, { runs: 1, lost: 0, outcome: 'clear 403 error, nothing written' });
    });

    it(`restore additionally needs delete (it removes the revisions the run created)`, async () => {
      const dir = join(tempDir('psa-rbac-'), 'b');
      const { sim, r, before } = await run(driver, ['get', 'list', 'create', 'update', 'delete'], ['app', 'other', '--backup-dir', dir]);
      expect(r.code).toBe(0);
      const back = await cli(['restore', dir], cliEnv(sim, driver));
      expect(back.code, back.stdout + back.stderr).toBe(0);
      const now = normalizedStore(sim, driver);
      // Restored records carry the original data and labels again.
      expect(Object.keys(now).sort()).toEqual(Object.keys(before).sort());
      for (const id of Object.keys(before)) expect((now[id] as { body: unknown }).body).toEqual((before[id] as { body: unknown }).body);
      tally('rbac', `${driver}: restore with get+list+create+update+delete`, { runs: 1, lost: 0, outcome: 'store back to the original' });
    });
  });
}

describe('least privilege (sql driver: PostgreSQL grants)', () => {
  let db: TestDatabase;
  const roles: string[] = [];
  const rows = () => withClient(db.url, async (c) => (await c.query('SELECT key, namespace, body, status, version, modifiedat FROM releases_v1 ORDER BY key')).rows);

  beforeAll(async () => {
    db = await createTestDatabase();
    await withClient(db.url, async (c) => {
      await c.query(HELM_SQL_SCHEMA);
      for (const r of RELEASES()) {
        await c.query(
          `INSERT INTO releases_v1 (key, type, body, name, namespace, version, status, owner, createdat) VALUES ($1,'helm.sh/release.v1',$2,$3,$4,$5,$6,'helm',$7)`,
          [`sh.helm.release.v1.${String(r.name)}.v${String(r.version)}`, encodeRelease(r), r.name, r.namespace, r.version, (r.info as { status: string }).status, 1700000000],
        );
      }
    });
  });
  afterAll(async () => {
    await db?.drop();
    if (roles.length) await withClient(PG_ADMIN_URL, async (c) => { for (const r of roles) await c.query(`DROP ROLE IF EXISTS ${r}`); });
  });

  /** A login role with exactly these grants; returns its connection string. */
  async function role(grants: string[]): Promise<string> {
    const name = `psa_rel_${randomBytes(4).toString('hex')}`;
    roles.push(name);
    await withClient(PG_ADMIN_URL, (c) => c.query(`CREATE ROLE ${name} LOGIN PASSWORD 'pw-${name}'`));
    await withClient(db.url, async (c) => {
      await c.query(`REVOKE ALL ON releases_v1, custom_labels_v1 FROM ${name}`);
      for (const g of grants) await c.query(`GRANT ${g} TO ${name}`);
    });
    const u = new URL(db.helmUrl);
    u.username = name;
    u.password = `pw-${name}`;
    return u.toString();
  }
  const run = (conn: string, args: string[]) => cli([...args, '--kube-version', '1.25.16', '-o', 'json', '--no-backup'], cliEnv(undefined, 'sql', { HELM_DRIVER_SQL_CONNECTION_STRING: conn }));

  it('dry run needs SELECT on releases_v1 and custom_labels_v1', async () => {
    const conn = await role(['SELECT ON releases_v1, custom_labels_v1']);
    const r = await run(conn, ['app', 'other', '--dry-run']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).summary.changed).toBe(2);
    tally('rbac', 'sql: dry run with SELECT only', { runs: 1, lost: 0, outcome: 'succeeds' });
  });

  it('without UPDATE on releases_v1: clear error, nothing written', async () => {
    const before = await rows();
    const conn = await role(['SELECT ON releases_v1, custom_labels_v1', 'INSERT ON releases_v1, custom_labels_v1', 'DELETE ON custom_labels_v1']);
    const r = await run(conn, ['app', 'other']);
    expect(r.code).toBe(1);
    const outs = JSON.parse(r.stdout).releases as Array<{ status: string; error: string }>;
    expect(outs.map((o) => o.status)).toEqual(['error', 'error']);
    for (const o of outs) expect(o.error).toMatch(/permission denied/i);
    expect(r.stdout + r.stderr).not.toContain('pw-psa_rel');
    expect(await rows()).toEqual(before);
    tally('rbac', 'sql: real run without UPDATE', { runs: 1, lost: 0, outcome: 'clear error, nothing written' });
  });

  it('a real run needs SELECT, INSERT, UPDATE on releases_v1 and SELECT, INSERT, DELETE on custom_labels_v1', async () => {
    const conn = await role(['SELECT, INSERT, UPDATE ON releases_v1', 'SELECT, INSERT, DELETE ON custom_labels_v1']);
    const r = await run(conn, ['app', 'other']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const after = await rows();
    expect(after.filter((x) => x.status === 'deployed').map((x) => x.key).sort()).toEqual(['sh.helm.release.v1.app.v4', 'sh.helm.release.v1.other.v3']);
    expect(after.length).toBe(7);
    tally('rbac', 'sql: real run with the documented grants', { runs: 1, lost: 0, outcome: 'succeeds' });
  });
});

describe('an identity that may list Secrets only namespace by namespace', () => {
  it('-A fails with the 403 at the cluster scope; --namespace-include by name lists each namespace and succeeds', async () => {
    const releases = [...history('app', 3), ...history('web', 2, undefined, { namespace: 'team-b' }), ...history('skip', 2, undefined, { namespace: 'team-c' })];
    const sim = await seededSim('secret', releases, { forbid: ['list:secrets:scope=cluster'] });
    sims.push(sim);
    const env = cliEnv(sim, 'secret');
    const all = await cli(['-A', '--dry-run', '-o', 'json'], env);
    expect(all.code).toBe(1);
    const [listing] = JSON.parse(all.stdout).releases as Array<{ status: string; error: string }>;
    expect(listing.status).toBe('error');
    expect(listing.error).toMatch(/cannot list resource "secrets" in API group "" at the cluster scope; .*--namespace-include NAME/);
    const named = await cli(['--namespace-include', NS, '--namespace-include', 'team-b', '--dry-run', '-o', 'json'], env);
    expect(named.code, named.stdout + named.stderr).toBe(0);
    const doc = JSON.parse(named.stdout) as { summary: { changed: number }; releases: Array<{ namespace: string; name: string }> };
    expect(doc.releases.map((r) => `${r.namespace}/${r.name}`)).toEqual([`${NS}/app`, 'team-b/web']);
    expect(doc.summary.changed).toBe(2);
    // The rule is real (the -A run met it) and the second run never made a cluster-wide list.
    const denied = sim.requests().filter((q) => q.status === 403);
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((q) => !q.path.includes('/namespaces/'))).toBe(true);
    tally('rbac', 'secret: namespace-scoped identity, -A vs --namespace-include by name', { runs: 2, lost: 0, outcome: '-A: 403 at cluster scope; by name: succeeds' });
  });
});
