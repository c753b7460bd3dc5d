// On-disk state: one JSON file per object at
//   <dir>/objects/<storage group or "core">/<resource>/<namespace or "_cluster">/<name>.json
// written atomically (temp file + rename), so a crash or kill never leaves half an object,
// and a new sim on the same directory sees exactly the committed objects. The resourceVersion
// counter is reserved in blocks in <dir>/meta.json, so restarts never reuse a version
// without a second file write per object write.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Persistence, StoredRecord } from './store.js';

const RV_BLOCK = 1000;
let tmpCounter = 0;

export interface DiskMeta {
  /** No resourceVersion at or below this value was handed out by a previous run. */
  rvCeiling: number;
  kubeVersion?: string;
}

function atomicWrite(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.${tmpCounter++}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

export function bucketDir(root: string, bucket: string): string {
  const [group, resource] = bucket.split('/');
  return join(root, 'objects', group || 'core', resource);
}

export class DiskState implements Persistence {
  private meta: DiskMeta;
  private dirs = new Set<string>();

  constructor(private root: string) {
    mkdirSync(join(root, 'objects'), { recursive: true });
    const metaFile = join(root, 'meta.json');
    this.meta = existsSync(metaFile) ? JSON.parse(readFileSync(metaFile, 'utf8')) : { rvCeiling: 0 };
  }

  /** Reads every stored object; returns the records by bucket and the first safe resourceVersion. */
  load(): { records: Array<{ bucket: string; rec: StoredRecord }>; rv: number; kubeVersion?: string } {
    const records: Array<{ bucket: string; rec: StoredRecord }> = [];
    const objects = join(this.root, 'objects');
    for (const group of readdirSync(objects)) {
      for (const resource of readdirSync(join(objects, group))) {
        const bucket = `${group === 'core' ? '' : group}/${resource}`;
        for (const ns of readdirSync(join(objects, group, resource))) {
          const dir = join(objects, group, resource, ns);
          for (const f of readdirSync(dir)) {
            if (!f.endsWith('.json')) continue; // leftover temp files of a killed writer
            records.push({ bucket, rec: JSON.parse(readFileSync(join(dir, f), 'utf8')) as StoredRecord });
          }
        }
      }
    }
    return { records, rv: this.meta.rvCeiling, kubeVersion: this.meta.kubeVersion };
  }

  private file(bucket: string, ns: string, name: string): string {
    const dir = join(bucketDir(this.root, bucket), ns || '_cluster');
    if (!this.dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.dirs.add(dir);
    }
    return join(dir, `${name}.json`);
  }

  save(bucket: string, ns: string, name: string, rec: StoredRecord): void {
    atomicWrite(this.file(bucket, ns, name), JSON.stringify(rec));
  }

  remove(bucket: string, ns: string, name: string): void {
    rmSync(this.file(bucket, ns, name), { force: true });
  }

  noteResourceVersion(rv: number): void {
    if (rv <= this.meta.rvCeiling) return;
    this.meta.rvCeiling = rv + RV_BLOCK;
    this.writeMeta();
  }

  setKubeVersion(v: string): void {
    this.meta.kubeVersion = v;
    this.writeMeta();
  }

  private writeMeta(): void {
    atomicWrite(join(this.root, 'meta.json'), JSON.stringify(this.meta));
  }
}
