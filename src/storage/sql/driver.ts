// Helm's SQL storage (helm/helm pkg/storage/driver/sql.go, PostgreSQL only) behind the
// Driver contract. Tables are Helm's own (helm-storage.md §6): releases_v1 holds one row per
// revision (body = Helm's base64 text), custom_labels_v1 the custom release labels.
// Helm itself has no optimistic concurrency here; we add it: resourceVersion is an md5 of
// body|status|modifiedat, computed by the server (bodies never travel for listing) and
// re-checked under SELECT ... FOR UPDATE inside the writing transaction.
import pg from 'pg';
import type { ReleaseJson } from '../../helm/release.js';
import { encodeRelease } from '../../helm/codec.js';
import { customLabels } from '../../helm/labels.js';
import type { Driver, ListOptions, RawRecord, ReleaseHead, StoredRevision } from '../driver.js';
import { StorageError } from '../errors.js';
import type { StorageConfig } from '../config.js';
import { STORAGE_DEFAULTS } from '../config.js';
import { checkWritable, decodeChecked, headFromLabels, labelsForWrite } from '../record.js';
import { parseConnectionString } from './connection.js';
import { sqlError } from './errors.js';

const RV = `md5(body || '|' || status || '|' || modifiedat::text)`;
const HEAD_COLS = `key, namespace, name, version, status, owner, createdat, modifiedat, ${RV} AS rv`;
const WHAT = 'SQL release row';

interface HeadRow {
  key: string;
  namespace: string;
  name: string;
  version: number;
  status: string;
  owner: string;
  createdat: number;
  modifiedat: number;
  rv: string;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export class SqlDriver implements Driver {
  readonly kind = 'sql' as const;
  /** listHeads pages ORDER BY namespace, key. */
  readonly groupsByNamespace = true;
  private readonly pool: pg.Pool;
  private readonly display: string;
  private readonly pageSize: number;
  private readonly log: (line: string) => void;

  constructor(config: StorageConfig) {
    if (!config.sqlConnectionString) {
      throw new StorageError('config', 'HELM_DRIVER=sql needs HELM_DRIVER_SQL_CONNECTION_STRING');
    }
    const parsed = parseConnectionString(config.sqlConnectionString);
    this.display = parsed.display;
    const timeout = config.requestTimeoutMs ?? STORAGE_DEFAULTS.requestTimeoutMs;
    this.pool = new pg.Pool({
      connectionTimeoutMillis: timeout,
      statement_timeout: timeout,
      ...parsed.config,
      max: config.concurrency ?? STORAGE_DEFAULTS.concurrency,
    });
    // An idle client losing its connection must not crash the process.
    this.pool.on('error', (e) => this.log(`sql: idle connection error: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    this.pageSize = config.pageSize ?? STORAGE_DEFAULTS.pageSize;
    this.log = config.log ?? (() => undefined);
  }

  private fail(e: unknown, object?: { namespace?: string; key?: string }): StorageError {
    return sqlError(e, this.display, object);
  }

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[], object?: { namespace?: string; key?: string }): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, values);
    } catch (e) {
      throw this.fail(e, object);
    }
  }

  /** Runs `fn` in a transaction; rolls back on any error (and always with `dryRun`). */
  private async tx<T>(object: { namespace: string; key: string }, fn: (c: pg.PoolClient) => Promise<T>, dryRun = false): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw this.fail(e, object);
    }
    // A connection that dies while checked out (server restart, failover, a killed backend)
    // emits 'error' on the client: unheard, that ends the process. Heard, the transaction's
    // own query rejects with it, the server has rolled back, and the client is destroyed on
    // release instead of going back to the pool for the next release to trip over.
    let broken: Error | undefined;
    const onError = (e: Error) => {
      broken = e;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query(dryRun ? 'ROLLBACK' : 'COMMIT');
      return out;
    } catch (e) {
      if (!broken) {
        await client.query('ROLLBACK').catch((r: unknown) => {
          broken = r instanceof Error ? r : new Error(String(r));
        });
      }
      throw e instanceof StorageError ? e : this.fail(e, object);
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  private async labelsFor(rows: Array<{ key: string; namespace: string }>): Promise<Map<string, Record<string, string>>> {
    const out = new Map<string, Record<string, string>>();
    if (rows.length === 0) return out;
    const r = await this.query<{ releasekey: string; releasenamespace: string; key: string; value: string }>(
      `SELECT releasekey, releasenamespace, key, value FROM custom_labels_v1
        WHERE releasekey = ANY($1::text[]) AND releasenamespace = ANY($2::text[])`,
      [rows.map((x) => x.key), [...new Set(rows.map((x) => x.namespace))]],
    );
    for (const l of r.rows) {
      const id = `${l.releasenamespace}/${l.releasekey}`;
      const m = out.get(id) ?? {};
      m[l.key] = l.value;
      out.set(id, m);
    }
    return out;
  }

  private headOf(row: HeadRow, custom: Record<string, string>): ReleaseHead | StorageError {
    const labels: Record<string, string> = {
      ...custom,
      name: row.name,
      owner: row.owner,
      status: row.status,
      version: String(row.version),
      ...(row.createdat ? { createdAt: String(row.createdat) } : {}),
      ...(row.modifiedat ? { modifiedAt: String(row.modifiedat) } : {}),
    };
    return headFromLabels(WHAT, row.namespace, row.key, row.rv, labels);
  }

  async *listHeads(opts: ListOptions): AsyncIterable<ReleaseHead | StorageError> {
    // Keyset paging: memory stays flat however many rows there are.
    let after: [string, string] = ['', ''];
    for (;;) {
      const where = [`owner = 'helm'`, `(namespace, key) > ($1, $2)`];
      const values: unknown[] = [after[0], after[1]];
      if (opts.namespace !== undefined) {
        values.push(opts.namespace);
        where.push(`namespace = $${values.length}`);
      }
      if (opts.releaseName !== undefined) {
        values.push(opts.releaseName);
        where.push(`name = $${values.length}`);
      }
      values.push(this.pageSize);
      let rows: HeadRow[];
      try {
        rows = (await this.pool.query<HeadRow>(
          `SELECT ${HEAD_COLS} FROM releases_v1 WHERE ${where.join(' AND ')} ORDER BY namespace, key LIMIT $${values.length}`,
          values,
        )).rows;
      } catch (e) {
        // No releases_v1 table: Helm never ran with this database, so there are no releases.
        if ((e as { code?: string }).code === '42P01') return;
        throw this.fail(e, { namespace: opts.namespace });
      }
      if (rows.length === 0) return;
      const labels = await this.labelsFor(rows);
      for (const row of rows) yield this.headOf(row, labels.get(`${row.namespace}/${row.key}`) ?? {});
      if (rows.length < this.pageSize) return;
      const last = rows[rows.length - 1];
      after = [last.namespace, last.key];
    }
  }

  private async readRow(namespace: string, key: string): Promise<{ row: Record<string, unknown>; custom: Record<string, string>; labelRows: Array<Record<string, unknown>> }> {
    let r: pg.QueryResult<Record<string, unknown>>;
    try {
      r = await this.pool.query<Record<string, unknown>>(`SELECT *, ${RV} AS rv FROM releases_v1 WHERE key = $1 AND namespace = $2`, [key, namespace]);
    } catch (e) {
      if ((e as { code?: string }).code === '42P01') {
        throw new StorageError('not-found', `${WHAT} ${namespace}/${key} not found (no releases_v1 table in ${this.display})`, { namespace, key });
      }
      throw this.fail(e, { namespace, key });
    }
    if (r.rows.length === 0) throw new StorageError('not-found', `${WHAT} ${namespace}/${key} not found in ${this.display}`, { namespace, key });
    const lr = await this.query<Record<string, unknown>>(
      `SELECT * FROM custom_labels_v1 WHERE releasekey = $1 AND releasenamespace = $2`, [key, namespace], { namespace, key },
    );
    const custom: Record<string, string> = {};
    for (const l of lr.rows) custom[String(l.key)] = String(l.value);
    return { row: r.rows[0], custom, labelRows: lr.rows };
  }

  async get(namespace: string, name: string, revision: number): Promise<StoredRevision> {
    const key = `sh.helm.release.v1.${name}.v${revision}`;
    const { row, custom, labelRows } = await this.readRow(namespace, key);
    const head = this.headOf(row as unknown as HeadRow, custom);
    if (head instanceof StorageError) throw head;
    const release = decodeChecked(WHAT, head, String(row.body ?? ''));
    const { rv: _rv, ...columns } = row;
    return { head, release, raw: { driver: 'sql', namespace, key, object: { row: columns, customLabels: labelRows } } };
  }

  private async insertLabels(c: pg.PoolClient, key: string, namespace: string, labels: Record<string, string>): Promise<void> {
    await c.query('DELETE FROM custom_labels_v1 WHERE releasekey = $1 AND releasenamespace = $2', [key, namespace]);
    for (const [k, v] of Object.entries(customLabels(labels))) {
      await c.query('INSERT INTO custom_labels_v1 (releasekey, releasenamespace, key, value) VALUES ($1, $2, $3, $4)', [key, namespace, k, v]);
    }
  }

  private namespaceOf(release: ReleaseJson): string {
    return typeof release.namespace === 'string' && release.namespace !== '' ? release.namespace : 'default';
  }

  async create(release: ReleaseJson, labels: Record<string, string>): Promise<ReleaseHead> {
    const namespace = this.namespaceOf(release);
    const key = checkWritable(WHAT, namespace, release);
    const all = labelsForWrite(release, labels);
    const body = encodeRelease(release);
    const createdat = /^\d+$/.test(all.createdAt ?? '') ? Number(all.createdAt) : nowSeconds();
    const modifiedat = /^\d+$/.test(all.modifiedAt ?? '') ? Number(all.modifiedAt) : 0;
    return this.tx({ namespace, key }, async (c) => {
      let rv: string;
      try {
        const r = await c.query<{ rv: string }>(
          `INSERT INTO releases_v1 (key, type, body, name, namespace, version, status, owner, createdat, modifiedat)
           VALUES ($1, 'helm.sh/release.v1', $2, $3, $4, $5, $6, 'helm', $7, $8) RETURNING ${RV} AS rv`,
          [key, body, all.name, namespace, release.version, all.status, createdat, modifiedat],
        );
        rv = r.rows[0].rv;
      } catch (e) {
        if ((e as { code?: string }).code === '23505') {
          throw new StorageError('already-exists', `${WHAT} ${namespace}/${key} already exists (another writer, e.g. helm upgrade, created it)`, { namespace, key });
        }
        throw e;
      }
      await this.insertLabels(c, key, namespace, all);
      const out = headFromLabels(WHAT, namespace, key, rv, {
        ...all, createdAt: String(createdat), ...(modifiedat ? { modifiedAt: String(modifiedat) } : {}),
      });
      if (out instanceof StorageError) throw out;
      if (!modifiedat) delete out.labels.modifiedAt;
      return out;
    });
  }

  /** Locks the row and checks the precondition; returns the locked row's columns. */
  private async lockChecked(c: pg.PoolClient, expected: ReleaseHead): Promise<Record<string, unknown>> {
    const r = await c.query<Record<string, unknown>>(
      `SELECT createdat, ${RV} AS rv FROM releases_v1 WHERE key = $1 AND namespace = $2 FOR UPDATE`,
      [expected.key, expected.namespace],
    );
    if (r.rows.length === 0) {
      throw new StorageError('not-found', `${WHAT} ${expected.namespace}/${expected.key} no longer exists`, { namespace: expected.namespace, key: expected.key });
    }
    if (r.rows[0].rv !== expected.resourceVersion) {
      throw new StorageError('conflict', `${WHAT} ${expected.namespace}/${expected.key} changed since it was read (another writer); re-read and retry`, { namespace: expected.namespace, key: expected.key });
    }
    return r.rows[0];
  }

  /** Privileges proven by a dry-run update this run (table-level grants: once is enough). */
  private updateChecked: Promise<unknown> | undefined;

  /**
   * The update in a transaction that is rolled back: the same privilege (UPDATE, and
   * SELECT ... FOR UPDATE), precondition and constraint checks, nothing stored.
   */
  async checkUpdate(expected: ReleaseHead, release: ReleaseJson, labels: Record<string, string>): Promise<void> {
    if (this.updateChecked) {
      try {
        await this.updateChecked;
        return;
      } catch {
        // that check failed for its own reasons: check this one itself
      }
    }
    const p = this.update(expected, release, labels, true);
    this.updateChecked ??= p;
    p.catch(() => {
      if (this.updateChecked === p) this.updateChecked = undefined;
    });
    await p;
  }

  async update(expected: ReleaseHead, release: ReleaseJson, labels: Record<string, string>, dryRun = false): Promise<ReleaseHead> {
    const namespace = expected.namespace;
    const key = checkWritable(WHAT, namespace, release);
    if (key !== expected.key) {
      throw new StorageError('config', `refusing to write release ${String(release.name)} v${String(release.version)} over ${namespace}/${expected.key}`, { namespace, key: expected.key });
    }
    const all = labelsForWrite(release, labels);
    const body = encodeRelease(release);
    const modifiedat = nowSeconds();
    return this.tx({ namespace, key }, async (c) => {
      const locked = await this.lockChecked(c, expected);
      const r = await c.query<{ rv: string }>(
        `UPDATE releases_v1 SET body = $3, name = $4, version = $5, status = $6, owner = 'helm', modifiedat = $7
          WHERE key = $1 AND namespace = $2 RETURNING ${RV} AS rv`,
        [key, namespace, body, all.name, release.version, all.status, modifiedat],
      );
      await this.insertLabels(c, key, namespace, all);
      const { createdAt: _c, modifiedAt: _m, ...rest } = all;
      const out = headFromLabels(WHAT, namespace, key, r.rows[0].rv, {
        ...rest,
        ...(Number(locked.createdat) ? { createdAt: String(locked.createdat) } : {}),
        modifiedAt: String(modifiedat),
      });
      if (out instanceof StorageError) throw out;
      return out;
    }, dryRun);
  }

  async readRaw(namespace: string, key: string): Promise<RawRecord> {
    const { row, labelRows } = await this.readRow(namespace, key);
    const { rv: _rv, ...columns } = row;
    return { driver: 'sql', namespace, key, object: { row: columns, customLabels: labelRows } };
  }

  async writeRaw(raw: RawRecord): Promise<void> {
    if (raw.driver !== 'sql') throw new StorageError('config', `cannot restore a ${raw.driver} record into SQL storage`, raw);
    const row = raw.object.row as Record<string, unknown> | undefined;
    const labelRows = (raw.object.customLabels ?? []) as Array<Record<string, unknown>>;
    if (!row || typeof row.body !== 'string') throw new StorageError('config', `backup of ${raw.namespace}/${raw.key} holds no SQL row`, raw);
    const cols = Object.keys(row);
    for (const c of cols) if (!/^[a-z_]+$/.test(c)) throw new StorageError('config', `backup of ${raw.namespace}/${raw.key} has a bad column name`, raw);
    await this.tx({ namespace: raw.namespace, key: raw.key }, async (c) => {
      await c.query('DELETE FROM releases_v1 WHERE key = $1 AND namespace = $2', [raw.key, raw.namespace]);
      await c.query(
        `INSERT INTO releases_v1 (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
        cols.map((k) => row[k]),
      );
      await c.query('DELETE FROM custom_labels_v1 WHERE releasekey = $1 AND releasenamespace = $2', [raw.key, raw.namespace]);
      for (const l of labelRows) {
        await c.query('INSERT INTO custom_labels_v1 (releasekey, releasenamespace, key, value) VALUES ($1, $2, $3, $4)', [
          raw.key, raw.namespace, String(l.key), String(l.value),
        ]);
      }
    });
  }

  async delete(expected: ReleaseHead): Promise<void> {
    await this.tx({ namespace: expected.namespace, key: expected.key }, async (c) => {
      await this.lockChecked(c, expected);
      await c.query('DELETE FROM releases_v1 WHERE key = $1 AND namespace = $2', [expected.key, expected.namespace]);
      await c.query('DELETE FROM custom_labels_v1 WHERE releasekey = $1 AND releasenamespace = $2', [expected.key, expected.namespace]);
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
