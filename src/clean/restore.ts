// Puts back what one run backed up: deletes the revisions the run created, then writes the
// saved objects back exactly as they were read. Refuses (before any write) when a release
// has a revision newer than the run knew that the run did not create: someone used the
// release since, and restoring would destroy their work.
import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Driver, RawRecord, ReleaseHead } from '../storage/driver.js';
import { isStorageError } from '../storage/errors.js';
import { BACKUP_FORMAT, type BackupManifest } from './backup.js';

export interface RestoreAction {
  action: 'delete' | 'write';
  namespace: string;
  key: string;
  release: string;
  revision: number;
}

export interface RestoreResult {
  dir: string;
  dryRun: boolean;
  actions: RestoreAction[];
  refused: string[];
  errors: string[];
}

export class RestoreError extends Error {}

export async function readBackupManifest(dir: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, 'manifest.json'), 'utf8');
  } catch {
    throw new RestoreError(`${dir} is not a psa-clean backup directory (no manifest.json)`);
  }
  const m = JSON.parse(text) as BackupManifest;
  if (m.format !== BACKUP_FORMAT) throw new RestoreError(`${dir}/manifest.json: unknown backup format ${JSON.stringify(m.format)}`);
  return m;
}

async function headsOf(driver: Driver, namespace: string, name: string): Promise<ReleaseHead[]> {
  const heads: ReleaseHead[] = [];
  for await (const h of driver.listHeads({ namespace, releaseName: name })) {
    if (!isStorageError(h)) heads.push(h);
  }
  return heads;
}

export async function restoreBackup(driver: Driver, dir: string, dryRun: boolean): Promise<RestoreResult> {
  const manifest = await readBackupManifest(dir);
  const result: RestoreResult = { dir, dryRun, actions: [], refused: [], errors: [] };
  if (manifest.driver !== driver.kind) {
    throw new RestoreError(`the backup was taken with the ${manifest.driver} driver, but HELM_DRIVER selects ${driver.kind}`);
  }
  const deletes: Array<{ head: ReleaseHead; release: string }> = [];
  for (const rel of manifest.releases) {
    const heads = await headsOf(driver, rel.namespace, rel.name);
    const created = new Set(rel.created);
    const newer = heads.filter((h) => h.revision > rel.latestRevision && !created.has(h.revision));
    if (newer.length > 0) {
      result.refused.push(
        `${rel.namespace}/${rel.name}: revision ${newer.map((h) => h.revision).join(', ')} was written after the backup and not by it; refusing to restore`,
      );
      continue;
    }
    for (const h of heads) if (created.has(h.revision)) deletes.push({ head: h, release: rel.name });
  }
  if (result.refused.length > 0) return result;
  const root = resolve(dir);
  const writes: Array<{ raw: RawRecord; entry: BackupManifest['records'][number] }> = [];
  for (const entry of manifest.records) {
    const file = resolve(root, entry.file);
    if (!file.startsWith(root + sep)) throw new RestoreError(`${entry.file}: path leaves the backup directory`);
    const raw = JSON.parse(await readFile(file, 'utf8')) as RawRecord;
    if (raw.key !== entry.key || raw.namespace !== entry.namespace) throw new RestoreError(`${entry.file}: does not hold ${entry.namespace}/${entry.key}`);
    writes.push({ raw, entry });
  }
  for (const d of deletes) {
    result.actions.push({ action: 'delete', namespace: d.head.namespace, key: d.head.key, release: d.release, revision: d.head.revision });
  }
  for (const w of writes) {
    result.actions.push({ action: 'write', namespace: w.entry.namespace, key: w.entry.key, release: w.entry.release, revision: w.entry.revision });
  }
  if (dryRun) return result;
  // Newest first: the created revision goes before the old deployed one gets its label back.
  for (const d of deletes) {
    try {
      await driver.delete(d.head);
    } catch (e) {
      if (!(isStorageError(e) && e.code === 'not-found')) result.errors.push(`delete ${d.head.namespace}/${d.head.key}: ${(e as Error).message}`);
    }
  }
  for (const w of writes) {
    try {
      await driver.writeRaw(w.raw);
    } catch (e) {
      result.errors.push(`write ${w.entry.namespace}/${w.entry.key}: ${(e as Error).message}`);
    }
  }
  return result;
}
