// WorkloadGroups: the text report's details per (namespace, shared evaluation), holding the
// first members of each group by (list, index) only. What comes back must be the workloads
// added, in the order added, whether they were kept in a list or loose.
import { describe, expect, it } from 'vitest';
import { heldWorkloads, WorkloadList } from '../../src/audit/workload-list.js';
import { WorkloadGroups } from '../../src/audit/workload-groups.js';
import type { Workload, WorkloadResult } from '../../src/audit/workloads.js';

const result = (check: string): WorkloadResult => ({ strictest: 'baseline', violations: { baseline: [], restricted: [{ check, reason: check, detail: check }] } });
const a = result('runAsNonRoot');
const b = result('seccompProfile_restricted');

function list(release: string, entries: Array<[namespace: string, name: string, r: WorkloadResult]>): WorkloadList {
  const l = new WorkloadList(release);
  entries.forEach(([ns, name, r], i) => l.add('manifest', ns, 'Deployment', i, name, r));
  return l.seal();
}

const loose = (ns: string, name: string, r: WorkloadResult): Workload => ({
  release: null, namespace: ns, source: 'live', document: null, kind: 'Pod', name, strictest: r.strictest, violations: r.violations, psp: 'psp-x',
});

function grouped(lists: WorkloadList[], extra: Workload[], shown: number): WorkloadGroups {
  const g = new WorkloadGroups(shown);
  for (const { workload, list: l, index } of heldWorkloads(lists, extra)) g.add(workload, workload.violations, l, index);
  return g;
}

describe('WorkloadGroups', () => {
  it('groups by namespace and evaluation, in first-added order, with the first members and a count', () => {
    const one = list('one', [['apps', 'w1', a], ['apps', 'w2', b], ['ops', 'w3', a], ['apps', 'w4', a]]);
    const two = list('two', [['apps', 'w5', a], ['apps', 'w6', b]]);
    const pod = loose('apps', 'debug', a);
    const g = grouped([one, two], [pod], 3);
    expect(g.namespaces()).toEqual(['apps', 'ops']);
    const apps = [...g.groupsOf('apps')];
    expect(apps.map((x) => [x.shown.map((w) => `${w.release}/${w.name}`), x.count])).toEqual([
      [['one/w1', 'one/w4', 'two/w5'], 4],
      [['one/w2', 'two/w6'], 2],
    ]);
    // Members read back are the workloads themselves (same fields), loose ones by identity.
    expect(apps[0].shown[0]).toEqual(one.at(0));
    expect([...g.groupsOf('ops')].map((x) => [x.shown.map((w) => w.name), x.count])).toEqual([[['w3'], 1]]);
    expect([...g.groupsOf('none')]).toEqual([]);
    const withLoose = grouped([], [pod, loose('apps', 'other', a)], 5);
    const [only] = [...withLoose.groupsOf('apps')];
    expect(only.shown[0]).toBe(pod);
    expect(only.shown.map((w) => w.name)).toEqual(['debug', 'other']);
  });

  it('keeps every group apart past its first allocation (hundreds of groups, lists and loose interleaved)', () => {
    const results = Array.from({ length: 150 }, (_, i) => result(`check-${i}`));
    const lists = Array.from({ length: 5 }, (_, k) => list(`r${k}`, results.map((r, i) => [`ns-${i % 7}`, `w${k}-${i}`, r])));
    const extra = results.map((r, i) => loose(`ns-${i % 7}`, `pod-${i}`, r));
    const g = grouped(lists, extra, 4);
    expect(g.namespaces()).toEqual(['ns-0', 'ns-1', 'ns-2', 'ns-3', 'ns-4', 'ns-5', 'ns-6']);
    let groups = 0;
    for (const ns of g.namespaces()) {
      for (const x of g.groupsOf(ns)) {
        groups++;
        const i = Number(x.shown[0].violations.restricted[0].check.slice('check-'.length));
        expect(x.count).toBe(6);
        expect(x.shown.map((w) => w.name)).toEqual([`w0-${i}`, `w1-${i}`, `w2-${i}`, `w3-${i}`]);
        expect(x.shown.every((w) => w.namespace === ns && w.violations === results[i].violations)).toBe(true);
      }
    }
    expect(groups).toBe(150);
  });
});
