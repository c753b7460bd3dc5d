import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runClean } from '../../src/clean/index.js';
import { BackupSession } from '../../src/clean/backup.js';
import { restoreBackup } from '../../src/clean/restore.js';
import { CLEAN_DESCRIPTION } from '../../src/clean/plan.js';
import type { BatchOptions } from '../../src/clean/batch.js';
import { StorageError } from '../../src/storage/errors.js';
import { CM_DOC, FakeDriver, HOOK_JOB, HOOK_PSP, PSP_DOC, fakeRewrite, fakeTable, makeRelease, target125 } from './fakes.js';

const NOW = new Date('2026-11-26T12:00:00.000Z');
const meta = { target: { version: 'v1.25.0', source: 'cluster' as const, preClean: false }, driver: 'secret' };

function opts(o: Partial<BatchOptions> = {}): BatchOptions {
  return {
    releases: [], namespace: 'default', allNamespaces: true, namespaceInclude: [], namespaceExclude: [],
    releaseInclude: [], releaseExclude: [], dryRun: false, force: false, allRevisions: false, concurrency: 4, ...o,
  };
}

function deps(driver: FakeDriver, extra: Record<string, unknown> = {}) {
  return { driver, planCtx: { table: fakeTable, target: target125, preClean: false, rewrite: fakeRewrite }, now: () => NOW, ...extra };
}

function backup(): BackupSession {
  return new BackupSession(join(mkdtempSync(join(tmpdir(), 'psa-bk-')), 'run'), { tool: 'test', createdAt: NOW.toISOString(), driver: 'secret' });
}

/** demo: v1 superseded (PSP), v2 deployed (PSP). */
function twoRevisions(d: FakeDriver, name = 'demo', ns = 'default'): void {
  d.put(makeRelease({ name, namespace: ns, version: 1, status: 'superseded', manifest: CM_DOC + PSP_DOC }), { team: 'a' });
  d.put(makeRelease({ name, namespace: ns, version: 2, status: 'deployed', manifest: CM_DOC + PSP_DOC }), { team: 'a' });
}

describe('clean run on one release', () => {
  it('writes N+1 deployed, supersedes N, keeps custom labels, backs up first', async () => {
    const d = new FakeDriver();
    twoRevisions(d);
    const b = backup();
    const r = await runClean(opts({ releases: ['demo'], allNamespaces: false }), deps(d, { backup: b }), meta);
    expect(r.summary).toEqual({ total: 1, changed: 1, unchanged: 0, skipped: 0, errors: 0 });
    const rel = r.releases[0];
    expect(rel).toMatchObject({ status: 'changed', chosenRevision: 2, newRevision: 3, supersededRevisions: [2], rollbackBlockedRevisions: [1, 2] });
    expect(rel.warnings.join('\n')).toContain('rollback to revisions 1, 2 will fail');
    expect(d.writes.map((w) => `${w.op} ${w.key}`)).toEqual(['create sh.helm.release.v1.demo.v3', 'update sh.helm.release.v1.demo.v2']);
    const v3 = d.release('default', 'demo', 3);
    expect(v3.manifest).toBe(CM_DOC);
    expect((v3.info as Record<string, unknown>).description).toBe(CLEAN_DESCRIPTION);
    expect(d.labels('default', 'demo', 3)).toMatchObject({ status: 'deployed', version: '3', team: 'a', owner: 'helm', name: 'demo' });
    expect((d.release('default', 'demo', 2).info as Record<string, unknown>).status).toBe('superseded');
    expect(d.labels('default', 'demo', 2).status).toBe('superseded');
    // v2 unchanged except status: manifest keeps the PSP (no --all-revisions)
    expect(d.release('default', 'demo', 2).manifest).toBe(CM_DOC + PSP_DOC);
    // backup: manifest.json + the v2 object, modes 0700/0600
    expect(r.backupDir).toBe(b.dir);
    expect(statSync(b.dir).mode & 0o777).toBe(0o700);
    const m = JSON.parse(readFileSync(join(b.dir, 'manifest.json'), 'utf8'));
    expect(m.releases).toEqual([{ namespace: 'default', name: 'demo', latestRevision: 2, creates: [3], created: [3] }]);
    expect(m.records.map((x: { key: string }) => x.key)).toEqual(['sh.helm.release.v1.demo.v2']);
    const f = join(b.dir, m.records[0].file);
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(readdirSync(b.dir).sort()).toEqual(['default', 'manifest.json']);
  });

  it('is idempotent: a second run writes nothing', async () => {
    const d = new FakeDriver();
    twoRevisions(d);
    await runClean(opts(), deps(d), meta);
    const before = d.writes.length;
    const r = await runClean(opts(), deps(d), meta);
    expect(r.summary.changed).toBe(0);
    expect(r.summary.unchanged).toBe(1);
    expect(d.writes.length).toBe(before);
  });

  it('--dry-run writes nothing and reports what would change', async () => {
    const d = new FakeDriver();
    twoRevisions(d);
    const snap = d.snapshot();
    const r = await runClean(opts({ dryRun: true }), deps(d), meta);
    expect(d.writes).toEqual([]);
    expect(d.snapshot()).toBe(snap);
    expect(r.releases[0]).toMatchObject({ status: 'changed', newRevision: 3 });
    expect(r.releases[0].changes.map((c) => c.source)).toEqual(['manifest']);
  });

  it('--all-revisions rewrites older revisions in place and leaves nothing blocking rollback', async () => {
    const d = new FakeDriver();
    twoRevisions(d);
    const r = await runClean(opts({ allRevisions: true }), deps(d), meta);
    expect(r.releases[0]).toMatchObject({ rewrittenRevisions: [1, 2], supersededRevisions: [2], rollbackBlockedRevisions: [] });
    expect(d.release('default', 'demo', 1).manifest).toBe(CM_DOC);
    expect((d.release('default', 'demo', 1).info as Record<string, unknown>).status).toBe('superseded');
    expect(d.release('default', 'demo', 2).manifest).toBe(CM_DOC);
    // one update per old object
    expect(d.writes.filter((w) => w.op === 'update').map((w) => w.key).sort()).toEqual(['sh.helm.release.v1.demo.v1', 'sh.helm.release.v1.demo.v2']);
  });

  it('uses the deployed revision under a failed latest, and numbers the new revision after the latest', async () => {
    const d = new FakeDriver();
    d.put(makeRelease({ version: 1, status: 'deployed', manifest: CM_DOC + PSP_DOC }));
    d.put(makeRelease({ version: 2, status: 'failed', manifest: CM_DOC }));
    const r = await runClean(opts(), deps(d), meta);
    expect(r.releases[0]).toMatchObject({ chosenRevision: 1, newRevision: 3, supersededRevisions: [1] });
    expect(r.releases[0].chosenReason).toContain('failed');
    expect((d.release('default', 'demo', 2).info as Record<string, unknown>).status).toBe('failed');
    expect(d.labels('default', 'demo', 3).status).toBe('deployed');
  });

  it('skips a pending latest unless --force', async () => {
    const d = new FakeDriver();
    d.put(makeRelease({ version: 1, status: 'deployed', manifest: PSP_DOC }));
    d.put(makeRelease({ version: 2, status: 'pending-upgrade', manifest: PSP_DOC }));
    const r = await runClean(opts(), deps(d), meta);
    expect(r.releases[0].status).toBe('skipped');
    expect(r.releases[0].skippedReason).toContain('pending-upgrade');
    expect(d.writes).toEqual([]);
    const f = await runClean(opts({ force: true }), deps(d), meta);
    expect(f.releases[0]).toMatchObject({ status: 'changed', chosenRevision: 1, newRevision: 3 });
  });

  it('stops cleanly when a concurrent writer took N+1', async () => {
    const d = new FakeDriver();
    twoRevisions(d);
    const origCreate = d.create.bind(d);
    d.create = async (rel, labels) => {
      d.put(makeRelease({ version: 3, status: 'pending-upgrade', manifest: CM_DOC }));
      return origCreate(rel, labels);
    };
    const r = await runClean(opts(), deps(d), meta);
    expect(r.releases[0].status).toBe('error');
    expect(r.releases[0].error).toContain('concurrent helm operation took revision 3');
    expect(d.writes).toEqual([]);
  });

  it('retries a conflict when the record is unchanged, and never overwrites a revision another writer changed', async () => {
    const d = new FakeDriver();
    twoRevisions(d);
    let bumps = 0;
    d.beforeUpdate = (key) => {
      // first attempt: only the resourceVersion moves (e.g. a label-only touch): retry succeeds
      if (key.endsWith('.v2') && bumps++ === 0) {
        const o = [...d.objects.values()].find((x) => x.key === key)!;
        o.resourceVersion += 1000;
      }
    };
    const r = await runClean(opts(), deps(d), meta);
    expect(r.releases[0].supersededRevisions).toEqual([2]);
    expect(d.labels('default', 'demo', 2).status).toBe('superseded');

    const e = new FakeDriver();
    twoRevisions(e);
    e.beforeUpdate = (key) => {
      if (key.endsWith('.v2')) {
        e.beforeUpdate = undefined;
        e.put(makeRelease({ version: 2, status: 'superseded', manifest: 'changed by helm' }));
      }
    };
    const r2 = await runClean(opts(), deps(e), meta);
    expect(r2.releases[0].supersededRevisions).toEqual([]);
    expect(r2.releases[0].warnings.join('\n')).toContain('revision 2 was changed by another writer');
    expect(e.release('default', 'demo', 2).manifest).toBe('changed by helm');
  });

  it('removes a hook whose only document was a PSP', async () => {
    const d = new FakeDriver();
    d.put(makeRelease({ version: 1, status: 'deployed', manifest: CM_DOC, hooks: [{ name: 'psp', manifest: HOOK_PSP }, { name: 'job', manifest: HOOK_JOB }] }));
    const r = await runClean(opts(), deps(d), meta);
    expect(r.releases[0].removedHooks).toEqual(['PodSecurityPolicy/psp']);
    const hooks = d.release('default', 'demo', 2).hooks as Array<{ name: string }>;
    expect(hooks.map((h) => h.name)).toEqual(['job']);
  });
});

describe('batch', () => {
  it('mixes outcomes; one failure does not stop the others; a missing named release is an error naming it', async () => {
    const d = new FakeDriver();
    twoRevisions(d, 'psp', 'ns1');
    d.put(makeRelease({ name: 'clean', namespace: 'ns2', version: 1, status: 'deployed', manifest: CM_DOC }));
    d.putCorrupt('ns2', 'broken', 1, 'deployed');
    d.forbidNamespaces.add('secret-ns');
    const r = await runClean(opts(), deps(d), meta);
    const by = Object.fromEntries(r.releases.map((x) => [`${x.namespace}/${x.name}`, x.status]));
    expect(by).toEqual({ 'ns1/psp': 'changed', 'ns2/clean': 'unchanged', 'ns2/broken': 'error', 'secret-ns/null': 'error' });
    expect(r.summary).toEqual({ total: 4, changed: 1, unchanged: 1, skipped: 0, errors: 2 });

    const n = await runClean(opts({ allNamespaces: false, namespace: 'ns2', releases: ['clean', 'nope'] }), deps(d), meta);
    expect(n.releases.map((x) => [x.name, x.status])).toEqual([['nope', 'error'], ['clean', 'unchanged']]);
    expect(n.releases[0].error).toBe('release "nope" not found in namespace "ns2"');
  });

  it('filters by namespace/release globs and label selector', async () => {
    const d = new FakeDriver();
    for (const [ns, name] of [['team-a', 'web'], ['team-a', 'db'], ['team-b', 'web'], ['kube-system', 'web']]) {
      d.put(makeRelease({ name, namespace: ns, version: 1, status: 'deployed', manifest: CM_DOC }), { tier: name });
    }
    const ids = async (o: Partial<BatchOptions>) => (await runClean(opts(o), deps(d), meta)).releases.map((x) => `${x.namespace}/${x.name}`);
    expect(await ids({ namespaceInclude: ['team-*'] })).toEqual(['team-a/db', 'team-a/web', 'team-b/web']);
    expect(await ids({ namespaceExclude: ['team-*'] })).toEqual(['kube-system/web']);
    expect(await ids({ releaseInclude: ['w*'], namespaceExclude: ['kube-*'] })).toEqual(['team-a/web', 'team-b/web']);
    expect(await ids({ releaseExclude: ['web'] })).toEqual(['team-a/db']);
    expect(await ids({ selector: 'tier=db' })).toEqual(['team-a/db']);
  });

  it('bounded concurrency: never more releases in flight than asked', async () => {
    const d = new FakeDriver();
    for (let i = 0; i < 20; i++) d.put(makeRelease({ name: `r${i}`, version: 1, status: 'deployed', manifest: PSP_DOC }));
    let inFlight = 0;
    let max = 0;
    const origGet = d.get.bind(d);
    d.get = async (...a) => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((res) => setImmediate(res));
      inFlight--;
      return origGet(...a);
    };
    const r = await runClean(opts({ concurrency: 3, dryRun: true }), deps(d), meta);
    expect(r.summary.changed).toBe(20);
    expect(max).toBeLessThanOrEqual(3);
    expect(max).toBeGreaterThan(1);
  });

  it('an aborted run starts no new release and says so', async () => {
    const d = new FakeDriver();
    for (let i = 0; i < 5; i++) d.put(makeRelease({ name: `r${i}`, version: 1, status: 'deployed', manifest: PSP_DOC }));
    const c = new AbortController();
    let n = 0;
    const r = await runClean(opts({ concurrency: 1 }), deps(d, { signal: c.signal, onProgress: () => { if (++n === 2) c.abort('SIGINT'); } }), meta);
    expect(r.interrupted).toBe('SIGINT');
    expect(r.releases.map((x) => x.status)).toEqual(['changed', 'changed', 'skipped', 'skipped', 'skipped']);
    expect(r.releases[2].skippedReason).toBe('not processed: the run was interrupted (SIGINT)');
  });
});

describe('restore', () => {
  it('puts the store back byte for byte and deletes the created revision', async () => {
    const d = new FakeDriver();
    twoRevisions(d);
    const snap = d.snapshot();
    const b = backup();
    await runClean(opts({ allRevisions: true }), deps(d, { backup: b }), meta);
    expect(d.snapshot()).not.toBe(snap);
    const dry = await restoreBackup(d, b.dir, true);
    expect(dry.actions.map((a) => `${a.action} ${a.revision}`)).toEqual(['delete 3', 'write 2', 'write 1']);
    expect(d.snapshot()).not.toBe(snap);
    const res = await restoreBackup(d, b.dir, false);
    expect(res.errors).toEqual([]);
    expect(d.snapshot()).toBe(snap);
  });

  it('refuses when a newer revision exists that the run did not create', async () => {
    const d = new FakeDriver();
    twoRevisions(d);
    const b = backup();
    await runClean(opts(), deps(d, { backup: b }), meta);
    d.put(makeRelease({ version: 4, status: 'deployed', manifest: CM_DOC }));
    const snap = d.snapshot();
    const res = await restoreBackup(d, b.dir, false);
    expect(res.refused.join('\n')).toContain('default/demo: revision 4 was written after the backup');
    expect(d.snapshot()).toBe(snap);
  });
});

describe('error text', () => {
  it('never carries manifest text from a YAML error or a parse error', async () => {
    const { describeError } = await import('../../src/clean/apply.js');
    const { ManifestParseError } = await import('../../src/manifest/types.js');
    const { parseDocument } = await import('yaml');
    const doc = parseDocument('password: "hunter2\n  broken: [', { prettyErrors: true });
    const yamlErr = doc.errors[0];
    expect(yamlErr.message).toContain('broken: ['); // the library quotes the source...
    expect(describeError(yamlErr)).not.toContain('broken'); // ...we do not
    expect(describeError(yamlErr)).not.toContain('hunter2');
    const pe = new ManifestParseError('manifest', 2, 7, 'bad thing near "hunter2"');
    expect(describeError(pe)).toBe('manifest: document 2 (line 7) is not valid YAML');
    expect(describeError(new Error('plain'))).toBe('plain');
  });
});

describe('a run that stopped between create and supersede', () => {
  it('reports what was written when the supersede fails, and a re-run finishes the job', async () => {
    const d = new FakeDriver();
    twoRevisions(d);
    const origUpdate = d.update.bind(d);
    d.update = async () => {
      throw new StorageError('server', 'PUT default/sh.helm.release.v1.demo.v2: HTTP 500');
    };
    const r = await runClean(opts(), deps(d), meta);
    expect(r.releases[0].status).toBe('error');
    expect(r.releases[0].error).toBe('revision 3 was written, but updating revision 2 failed (PUT default/sh.helm.release.v1.demo.v2: HTTP 500); run psa-clean again to finish');
    expect(d.labels('default', 'demo', 2).status).toBe('deployed');
    expect(d.labels('default', 'demo', 3).status).toBe('deployed');

    d.update = origUpdate;
    const again = await runClean(opts(), deps(d), meta);
    expect(again.releases[0]).toMatchObject({ status: 'changed', chosenRevision: 3, supersededRevisions: [2] });
    expect(again.releases[0].newRevision).toBeUndefined();
    expect(d.labels('default', 'demo', 2).status).toBe('superseded');
    const third = await runClean(opts(), deps(d), meta);
    expect(third.releases[0].status).toBe('unchanged');
  });

  it('leaves a second deployed revision alone when the latest is not one psa-clean wrote', async () => {
    const d = new FakeDriver();
    d.put(makeRelease({ version: 1, status: 'deployed', manifest: CM_DOC }));
    d.put(makeRelease({ version: 2, status: 'deployed', manifest: CM_DOC }));
    const r = await runClean(opts(), deps(d), meta);
    expect(r.releases[0].status).toBe('unchanged');
    expect(d.writes).toEqual([]);
  });
});
