// The batch lists and processes at once when the driver lists namespace by namespace
// (groupsByNamespace): same outcomes as listing everything first, and the listing waits for
// processing instead of holding every head of the cluster (issue 8: memory flat in cluster size).
import { describe, expect, it } from 'vitest';
import { runClean } from '../../src/clean/index.js';
import type { BatchOptions } from '../../src/clean/batch.js';
import type { ReleaseHead } from '../../src/storage/driver.js';
import type { StorageError } from '../../src/storage/errors.js';
import { CM_DOC, FakeDriver, PSP_DOC, fakeRewrite, fakeTable, makeRelease, target125 } from './fakes.js';

const NOW = new Date('2026-11-26T12:00:00.000Z');
const meta = { target: { version: 'v1.25.0', source: 'cluster' as const, preClean: false }, driver: 'secret' };

function opts(o: Partial<BatchOptions> = {}): BatchOptions {
  return {
    releases: [], namespace: 'default', allNamespaces: true, namespaceInclude: [], namespaceExclude: [],
    releaseInclude: [], releaseExclude: [], dryRun: true, force: false, allRevisions: false, concurrency: 3, ...o,
  };
}

/** A FakeDriver that says it lists namespace by namespace and logs what it yields. */
class GroupedDriver extends FakeDriver {
  readonly groupsByNamespace = true;
  listed: string[] = [];
  async *listHeads(o: { namespace?: string; releaseName?: string }): AsyncIterable<ReleaseHead | StorageError> {
    for await (const h of super.listHeads(o)) {
      if (!(h instanceof Error)) this.listed.push(`${h.namespace}/${h.key}`);
      yield h;
    }
  }
}

/** Releases in namespaces a, b, c (inserted in that order, as the API lists them). */
function seed(d: FakeDriver, perNamespace: number): void {
  for (const ns of ['a', 'b', 'c']) {
    for (let i = 0; i < perNamespace; i++) {
      const name = `rel-${String(i).padStart(3, '0')}`;
      const psp = i % 2 === 0;
      d.put(makeRelease({ name, namespace: ns, version: 1, status: 'superseded', manifest: CM_DOC + PSP_DOC }));
      d.put(makeRelease({ name, namespace: ns, version: 2, status: 'deployed', manifest: CM_DOC + (psp ? PSP_DOC : '') }));
    }
  }
}

function deps(driver: FakeDriver) {
  return { driver, planCtx: { table: fakeTable, target: target125, preClean: false, rewrite: fakeRewrite }, now: () => NOW };
}

describe('batch over a driver that lists namespace by namespace', () => {
  it('gives the same report as listing everything first (order included)', async () => {
    const plain = new FakeDriver();
    const grouped = new GroupedDriver();
    seed(plain, 7);
    seed(grouped, 7);
    const a = await runClean(opts(), deps(plain), meta);
    const b = await runClean(opts(), deps(grouped), meta);
    expect(b.releases.length).toBe(21);
    expect(b.summary.changed).toBeGreaterThan(0);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    // Real run too: same writes.
    const c = await runClean(opts({ dryRun: false }), deps(plain), meta);
    const d = await runClean(opts({ dryRun: false }), deps(grouped), meta);
    expect(JSON.stringify(d)).toBe(JSON.stringify(c));
    expect(grouped.snapshot()).toBe(plain.snapshot());
  });

  it('processes a namespace before listing far past it (the listing waits for the workers)', async () => {
    const d = new GroupedDriver();
    seed(d, 40);
    let getsWhenCListed = -1;
    const orig = d.listHeads.bind(d);
    d.listHeads = async function* (o) {
      for await (const h of orig(o)) {
        if (getsWhenCListed < 0 && !(h instanceof Error) && h.namespace === 'c') getsWhenCListed = d.gets.filter((g) => g.startsWith('a/')).length;
        yield h;
      }
    };
    const r = await runClean(opts({ concurrency: 1 }), deps(d), meta);
    expect(r.releases).toHaveLength(120);
    // The first head of `b` hands over the 40 releases of `a`; the listing goes on only once the
    // queue is below its mark (16 with concurrency 1), so most of `a` has been read before the
    // list gets to `c`.
    expect(getsWhenCListed).toBeGreaterThanOrEqual(24);
    // A driver that does not promise the grouping is listed completely first.
    const plain = new FakeDriver();
    seed(plain, 40);
    let plainGets = -1;
    const porig = plain.listHeads.bind(plain);
    plain.listHeads = async function* (o) {
      for await (const h of porig(o)) {
        if (plainGets < 0 && !(h instanceof Error) && h.namespace === 'c') plainGets = plain.gets.length;
        yield h;
      }
    };
    await runClean(opts({ concurrency: 1 }), deps(plain), meta);
    expect(plainGets).toBe(0);
  });

  it('selection filters and named releases work the same when streaming', async () => {
    const plain = new FakeDriver();
    const grouped = new GroupedDriver();
    seed(plain, 5);
    seed(grouped, 5);
    const o = opts({ namespaceExclude: ['b'], releaseInclude: ['rel-00[0-3]'] });
    expect(JSON.stringify(await runClean(o, deps(grouped), meta))).toBe(JSON.stringify(await runClean(o, deps(plain), meta)));
    const named = opts({ releases: ['rel-002', 'missing'] });
    const r = await runClean(named, deps(grouped), meta);
    expect(JSON.stringify(r)).toBe(JSON.stringify(await runClean(named, deps(plain), meta)));
    expect(r.releases.map((x) => `${x.namespace}/${x.name}:${x.status}`)).toEqual(['/missing:error', 'a/rel-002:changed', 'b/rel-002:changed', 'c/rel-002:changed']);
  });

  it('namespaces included by name are listed one by one, never cluster-wide; globs still list cluster-wide', async () => {
    for (const d of [new FakeDriver(), new GroupedDriver()]) {
      seed(d, 3);
      const calls: Array<{ namespace?: string }> = [];
      const orig = d.listHeads.bind(d);
      d.listHeads = (o) => {
        calls.push({ ...o });
        return orig(o);
      };
      const byName = await runClean(opts({ namespaceInclude: ['c', 'a', 'c'] }), deps(d), meta);
      expect(calls).toEqual([{ namespace: 'a' }, { namespace: 'c' }]);
      expect(byName.releases.map((x) => `${x.namespace}/${x.name}`)).toEqual(['a/rel-000', 'a/rel-001', 'a/rel-002', 'c/rel-000', 'c/rel-001', 'c/rel-002']);
      calls.length = 0;
      const byGlob = await runClean(opts({ namespaceInclude: ['[ac]'] }), deps(d), meta);
      expect(calls).toEqual([{}]);
      expect(JSON.stringify(byGlob)).toBe(JSON.stringify(byName));
    }
  });

  it('a namespace included by name that may not be listed is an error for it; the others go on', async () => {
    const d = new FakeDriver();
    seed(d, 2);
    d.forbidNamespaces.add('b');
    const r = await runClean(opts({ namespaceInclude: ['a', 'b'] }), deps(d), meta);
    expect(r.releases.map((x) => `${x.namespace}/${x.name}:${x.status}`)).toEqual(['b/null:error', 'a/rel-000:changed', 'a/rel-001:unchanged']);
    expect(r.releases[0].error).toContain('listing secrets in namespace "b" is forbidden');
  });
});
