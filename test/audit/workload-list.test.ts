// WorkloadList / WorkloadRefs: the packed form the audit holds every workload in until the
// report (issue 14 "Speed", memory at 10,000 releases). What is read back must be exactly the
// Workload a field-by-field object would have been: same values, same keys in the same order
// (the JSON report prints them as they come).
import { describe, expect, it } from 'vitest';
import { heldWorkloads, WorkloadList, WorkloadRefs } from '../../src/audit/workload-list.js';
import type { Workload, WorkloadResult } from '../../src/audit/workloads.js';

const ok: WorkloadResult = { strictest: 'baseline', violations: { baseline: [], restricted: [{ check: 'runAsNonRoot', reason: 'runAsNonRoot != true', detail: 'pod or container "c" must set securityContext.runAsNonRoot=true' }] } };
const broken: WorkloadResult = { strictest: null, violations: { baseline: [], restricted: [] }, error: 'spec.containers: expected a list, got a string' };

/** The object the audit built before the list existed (workloads.ts entry()). */
function expected(release: string | null, namespace: string, source: string, document: number | null, kind: string, name: string, r: WorkloadResult, psp: string | null = null): Workload {
  const w: Workload = { release, namespace, source, document, kind, name, strictest: r.strictest, violations: r.violations, psp };
  if (r.error !== undefined) w.error = r.error;
  return w;
}

describe('WorkloadList', () => {
  it('gives back every workload with the same values and key order as a field-by-field object', () => {
    const l = new WorkloadList('web');
    l.add('manifest', 'apps', 'Deployment', 3, 'web-frontend-with-a-long-name', ok);
    l.add('manifest', 'other', 'CronJob', 7, 'nightly', broken);
    l.add('hook:Pod/web-migrate', 'apps', 'Pod', 0, 'web-migrate', ok);
    l.add('manifest', 'apps', 'Deployment', 9, '', ok);
    l.seal();
    const want = [
      expected('web', 'apps', 'manifest', 3, 'Deployment', 'web-frontend-with-a-long-name', ok),
      expected('web', 'other', 'manifest', 7, 'CronJob', 'nightly', broken),
      expected('web', 'apps', 'hook:Pod/web-migrate', 0, 'Pod', 'web-migrate', ok),
      expected('web', 'apps', 'manifest', 9, 'Deployment', '', ok),
    ];
    const got = [...l];
    expect(got).toEqual(want);
    expect(got.map((w) => Object.keys(w))).toEqual(want.map((w) => Object.keys(w)));
    expect(got.map((w) => JSON.stringify(w))).toEqual(want.map((w) => JSON.stringify(w)));
    // Random access reads the same as iteration (the verdicts keep (list, index) references).
    expect([3, 1, 0, 2].map((i) => l.at(i))).toEqual([want[3], want[1], want[0], want[2]]);
    expect(l.resultAt(1)).toBe(broken);
    expect(l.namespaces().sort()).toEqual(['apps', 'other']);
  });

  it('gives back names that start with the release name (kept without it), equal it, or do not', () => {
    const named = (release: string, names: string[]) => {
      const l = new WorkloadList(release);
      names.forEach((n, i) => l.add('manifest', 'ns', 'Deployment', i, n, ok));
      return [...l.seal()].map((w) => w.name);
    };
    expect(named('shop', ['shop-web', 'shop', 'shop-worker-1', 'shop'])).toEqual(['shop-web', 'shop', 'shop-worker-1', 'shop']);
    expect(named('shop', ['shop-web', 'other', 'shop-db'])).toEqual(['shop-web', 'other', 'shop-db']);
    expect(named('shop', ['shop-a\nb', 'shop-c'])).toEqual(['shop-a\nb', 'shop-c']);
    expect(named('', ['a', 'b'])).toEqual(['a', 'b']);
    const l = new WorkloadList('shop');
    l.add('manifest', 'ns', 'Pod', 0, 'shop-x', ok);
    l.add('manifest', 'ns', 'Pod', 1, 'shop-y', ok);
    l.seal();
    expect([l.at(1).name, l.at(0).name]).toEqual(['shop-y', 'shop-x']);
  });

  it('keeps a name that holds the separator, one name, and no name at all', () => {
    const odd = new WorkloadList(null);
    odd.add('manifest', 'ns', 'Pod', 0, 'a\nb', ok);
    odd.add('manifest', 'ns', 'Pod', 1, 'c', ok);
    expect([...odd.seal()].map((w) => w.name)).toEqual(['a\nb', 'c']);
    const one = new WorkloadList(null);
    one.add('manifest', 'ns', 'Job', 0, 'only-one-job-with-a-longer-name', ok);
    expect([...one.seal()].map((w) => [w.name, w.release])).toEqual([['only-one-job-with-a-longer-name', null]]);
    expect([...new WorkloadList('r').seal()]).toEqual([]);
  });

  it('carries a live pod psp, a missing document and attached pods; takes nothing after seal', () => {
    const l = new WorkloadList(null);
    l.add('live', 'ns', 'Pod', null, 'debug', ok, 'psp-b');
    l.add('manifest', 'ns', 'Deployment', 2, 'web', broken);
    l.seal();
    expect(l.at(0)).toEqual(expected(null, 'ns', 'live', null, 'Pod', 'debug', ok, 'psp-b'));
    const pods = { count: 2, psp: { 'psp-a': 2 }, strictest: 'baseline' as const };
    l.setPods(1, pods);
    expect(l.podsAt(1)).toBe(pods);
    // pods come last, after error: where the old code's later assignment put them.
    expect(Object.keys(l.at(1))).toEqual(['release', 'namespace', 'source', 'document', 'kind', 'name', 'strictest', 'violations', 'psp', 'error', 'pods']);
    expect(() => l.add('manifest', 'ns', 'Pod', 3, 'late', ok)).toThrow(/after seal/);
  });
});

describe('WorkloadRefs', () => {
  const list = (release: string, n: number) => {
    const l = new WorkloadList(release);
    for (let i = 0; i < n; i++) l.add('manifest', 'ns', 'Deployment', i, `${release}-${i}`, ok);
    return l.seal();
  };

  it('reads back what was pushed, in order, from lists and loose workloads alike', () => {
    const a = list('a', 4);
    const b = list('b', 3);
    const loose = expected(null, 'ns', 'live', null, 'Pod', 'stray', ok);
    const refs = new WorkloadRefs();
    const pushed: Workload[] = [];
    for (const h of heldWorkloads([a, b], [loose])) {
      if (h.workload.name === 'a-1' || h.workload.name === 'b-0') continue; // gaps break runs
      refs.push(h.workload, h.list, h.index);
      pushed.push(h.workload);
    }
    expect(refs.length).toBe(pushed.length);
    expect([...refs]).toEqual(pushed);
    expect([...refs.entries()].map((e) => [e.list === null ? null : e.list.release, e.index])).toEqual([['a', 0], ['a', 2], ['a', 3], ['b', 1], ['b', 2], [null, -1]]);
    // The loose workload is the same object (pods attached to it stay visible).
    expect([...refs][5]).toBe(loose);
  });
});
