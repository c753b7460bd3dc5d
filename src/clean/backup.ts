// Backups of every stored object a run is about to change, and a manifest of the revisions
// it is about to create, so `psa-clean restore DIR` can put the store back byte for byte.
// Layout: DIR/manifest.json, DIR/<namespace>/<key>.json (one RawRecord each).
// Files are 0600 in 0700 directories: release records hold secrets.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RawRecord } from '../storage/driver.js';

export const BACKUP_FORMAT = 'psa-clean-backup/v1';

export interface BackupRecordEntry {
  namespace: string;
  key: string;
  release: string;
  revision: number;
  /** Path relative to the backup directory. */
  file: string;
}

export interface BackupReleaseEntry {
  namespace: string;
  name: string;
  /** Highest revision when the run planned this release. */
  latestRevision: number;
  /** Revisions the run will create (written before the create happens). */
  creates: number[];
  /** Of those, the ones whose create succeeded. */
  created: number[];
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  tool: string;
  createdAt: string;
  driver: string;
  records: BackupRecordEntry[];
  releases: BackupReleaseEntry[];
}

/** One run's backup directory; created on first use, so no-op runs leave nothing behind. */
export class BackupSession {
  private manifest: BackupManifest;
  private ready: Promise<void> | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly dir: string, meta: { tool: string; createdAt: string; driver: string }) {
    this.manifest = { format: BACKUP_FORMAT, ...meta, records: [], releases: [] };
  }

  get used(): boolean {
    return this.ready !== undefined;
  }

  private ensureDir(): Promise<void> {
    this.ready ??= mkdir(this.dir, { recursive: true, mode: 0o700 }).then(() => undefined);
    return this.ready;
  }

  /** Serialises manifest writes: concurrent releases share one manifest.json. */
  private persist(): Promise<void> {
    const run = async () => {
      await this.ensureDir();
      const tmp = join(this.dir, 'manifest.json.tmp');
      await writeFile(tmp, JSON.stringify(this.manifest, null, 2) + '\n', { mode: 0o600 });
      await rename(tmp, join(this.dir, 'manifest.json'));
    };
    this.chain = this.chain.then(run, run);
    return this.chain;
  }

  /** Announces a release and the revisions the run will create, before any write. */
  async planRelease(namespace: string, name: string, latestRevision: number, creates: number[]): Promise<void> {
    this.manifest.releases.push({ namespace, name, latestRevision, creates, created: [] });
    await this.persist();
  }

  async markCreated(namespace: string, name: string, revision: number): Promise<void> {
    const e = this.manifest.releases.find((r) => r.namespace === namespace && r.name === name);
    if (e && !e.created.includes(revision)) e.created.push(revision);
    await this.persist();
  }

  /** Saves the object exactly as read; a second save of the same key keeps the first (the original). */
  async save(raw: RawRecord, release: string, revision: number): Promise<void> {
    if (this.manifest.records.some((r) => r.namespace === raw.namespace && r.key === raw.key)) return;
    await this.ensureDir();
    const nsDir = join(this.dir, raw.namespace);
    await mkdir(nsDir, { recursive: true, mode: 0o700 });
    const file = join(raw.namespace, `${raw.key}.json`);
    await writeFile(join(this.dir, file), JSON.stringify(raw) + '\n', { mode: 0o600, flag: 'wx' });
    this.manifest.records.push({ namespace: raw.namespace, key: raw.key, release, revision, file });
    await this.persist();
  }
}

/** Directory name for a run: sortable UTC time plus a random suffix against collisions. */
export function backupDirName(now: Date, rand: string): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${rand}`;
}
