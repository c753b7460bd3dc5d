import { describe, expect, it } from 'vitest';
import { deployedHead, isPending, lastHead, rollbackTargets, selectRevision } from '../../src/helm/select.js';
import type { ReleaseHead } from '../../src/storage/driver.js';

const head = (revision: number, status: string): ReleaseHead => ({
  name: 'demo', namespace: 'default', revision, status,
  key: `sh.helm.release.v1.demo.v${revision}`, resourceVersion: String(100 + revision),
  labels: { name: 'demo', owner: 'helm', status, version: String(revision) },
});
/** Heads given as "1:superseded 2:deployed", shuffled so order never matters. */
const heads = (spec: string): ReleaseHead[] =>
  spec.split(' ').filter(Boolean).map((p) => head(Number(p.split(':')[0]), p.split(':')[1])).reverse();

describe('selectRevision — the base helm upgrade builds from (helm-storage.md §4, §8)', () => {
  it.each([
    // history, expected kind, expected revision (for 'use')
    ['1:deployed', 'use', 1],
    ['1:superseded 2:deployed', 'use', 2],
    ['1:superseded 2:superseded 3:deployed', 'use', 3],
    // latest failed -> label-Deployed()
    ['1:superseded 2:deployed 3:failed', 'use', 2],
    // latest failed, none deployed -> the failed revision itself
    ['1:failed', 'use', 1],
    ['1:superseded 2:failed', 'use', 2],
    // latest superseded, none deployed -> Last()
    ['1:superseded 2:superseded', 'use', 2],
    // pending-* latest blocks helm upgrade
    ['1:pending-install', 'pending', 0],
    ['1:deployed 2:pending-upgrade', 'pending', 0],
    ['1:superseded 2:deployed 3:pending-rollback', 'pending', 0],
    // failed uninstall: "has no deployed releases"
    ['1:superseded 2:uninstalling', 'none', 0],
    ['1:uninstalled', 'none', 0],
    ['1:superseded 2:unknown', 'none', 0],
    // uninstalling latest with a label-deployed older revision -> Deployed()
    ['1:deployed 2:uninstalling', 'use', 1],
    ['', 'none', 0],
  ])('history [%s] -> %s %s', (spec, kind, revision) => {
    const s = selectRevision(heads(spec));
    expect(s.kind).toBe(kind);
    if (s.kind === 'use') expect(s.head.revision).toBe(revision);
    expect(s.reason.length).toBeGreaterThan(10);
  });

  it('trusts the status LABEL for Deployed(): label deployed on an older revision wins over a failed latest', () => {
    const hs = heads('1:superseded 2:deployed 3:failed 4:failed');
    const s = selectRevision(hs);
    expect(s.kind === 'use' && s.head.revision).toBe(2);
    expect(s.reason).toBe('latest revision 4 is failed; helm upgrade builds from deployed revision 2');
  });

  it('reports two label-deployed revisions (helm-mapkubeapis damage) and uses the highest', () => {
    const s = selectRevision(heads('1:deployed 2:failed 3:deployed'));
    expect(s.kind).toBe('use');
    if (s.kind !== 'use') return;
    expect(s.head.revision).toBe(3);
    expect(s.deployedAll?.map((h) => h.revision)).toEqual([3, 1]);
  });

  it('names the pending state and never takes it silently', () => {
    const s = selectRevision(heads('1:deployed 2:pending-upgrade'));
    expect(s).toMatchObject({ kind: 'pending', latest: { revision: 2 } });
    expect(s.reason).toContain('pending-upgrade');
  });

  it('with force, takes Deployed() past a pending latest, or the pending revision when nothing is deployed', () => {
    const a = selectRevision(heads('1:deployed 2:pending-upgrade'), { force: true });
    expect(a.kind === 'use' && a.head.revision).toBe(1);
    const b = selectRevision(heads('1:pending-install'), { force: true });
    expect(b.kind === 'use' && b.head.revision).toBe(1);
  });

  it('helpers: Last(), Deployed(), isPending, rollback pair', () => {
    const hs = heads('1:superseded 2:deployed 3:failed');
    expect(lastHead(hs)?.revision).toBe(3);
    expect(deployedHead(hs)?.revision).toBe(2);
    expect(isPending('pending-rollback')).toBe(true);
    expect(isPending('failed')).toBe(false);
    expect(rollbackTargets(hs)).toMatchObject({ current: { revision: 3 }, target: { revision: 2 } });
    expect(rollbackTargets(hs, 1)).toMatchObject({ current: { revision: 3 }, target: { revision: 1 } });
    expect(rollbackTargets(heads('1:pending-install')).target).toBeUndefined();
  });
});

describe('statusMismatch', () => {
  it('names label and body status when they disagree', async () => {
    const { statusMismatch } = await import('../../src/helm/select.js');
    const h = head(3, 'deployed');
    expect(statusMismatch(h, 'deployed')).toBeUndefined();
    expect(statusMismatch(h, 'pending-upgrade')).toBe('revision 3: status label says deployed but the release body says pending-upgrade');
  });
});
