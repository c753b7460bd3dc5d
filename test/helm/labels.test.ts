import { describe, expect, it } from 'vitest';
import { customLabels, labelsForNewRevision, labelsForUpdatedRevision } from '../../src/helm/labels.js';
import { withChanges } from '../../src/helm/release.js';
import { helm3Release } from './sample-releases.js';

const now = new Date('2025-06-01T12:00:00Z');
const source = { name: 'demo', owner: 'helm', status: 'deployed', version: '2', modifiedAt: '1700000000', team: 'payments', 'example.com/tier': 'gold' };

describe('labels for revisions psa-clean writes', () => {
  it('a new revision carries every custom label, takes status/version from the body, gets createdAt and no stale modifiedAt', () => {
    const next = withChanges(helm3Release('demo', 2), { version: 3, status: 'deployed' });
    expect(labelsForNewRevision(source, next, now)).toEqual({
      name: 'demo', owner: 'helm', status: 'deployed', version: '3', createdAt: String(Date.UTC(2025, 5, 1, 12) / 1000),
      team: 'payments', 'example.com/tier': 'gold',
    });
  });

  it('an updated revision keeps custom labels, status label follows info.status, modifiedAt set, createdAt dropped', () => {
    const old = withChanges(helm3Release('demo', 2), { status: 'superseded' });
    const out = labelsForUpdatedRevision({ ...source, createdAt: '1690000000' }, old, now);
    expect(out.status).toBe('superseded');
    expect(out.version).toBe('2');
    expect(out.modifiedAt).toBe('1748779200');
    expect(out.createdAt).toBeUndefined();
    expect(out.team).toBe('payments');
  });

  it('corrects system labels that disagree with the body', () => {
    const out = labelsForNewRevision({ ...source, owner: 'someone', name: 'other' }, helm3Release('demo', 5, 'failed'), now);
    expect(out).toMatchObject({ owner: 'helm', name: 'demo', status: 'failed', version: '5' });
  });

  it('customLabels keeps only non-system labels', () => {
    expect(customLabels(source)).toEqual({ team: 'payments', 'example.com/tier': 'gold' });
  });
});
