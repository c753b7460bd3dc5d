// The store a batch keeps finished outcomes in until the report (src/clean/outcomes.ts).
import { describe, expect, it } from 'vitest';
import { OutcomeStore } from '../../src/clean/outcomes.js';
import { emptyOutcome, type ReleaseOutcome } from '../../src/report/model.js';

function outcome(namespace: string, name: string, status: ReleaseOutcome['status'], extra: Partial<ReleaseOutcome> = {}): ReleaseOutcome {
  return Object.assign(emptyOutcome(namespace, name), { status }, extra);
}

describe('OutcomeStore', () => {
  it('gives back what it was given, sorted by namespace then name, as often as asked', () => {
    const store = new OutcomeStore();
    const added = [
      outcome('b', 'x', 'changed', { newRevision: 4, findings: [], warnings: ['w ü'] }),
      outcome('a', 'z', 'unchanged', { chosenRevision: 1 }),
      outcome('a', 'y', 'error', { error: 'boom' }),
      outcome('b', 'w', 'skipped', { skippedReason: 'pending' }),
    ];
    for (const o of added) store.add(structuredClone(o));
    const expected = [added[2], added[1], added[3], added[0]];
    expect([...store.read()]).toEqual(expected);
    expect([...store.read()]).toEqual(expected);
    expect(store.summary).toEqual({ total: 4, changed: 1, unchanged: 1, skipped: 1, errors: 1 });
  });

  it('keeps bytes, not the objects it was given: changing one afterwards changes nothing', () => {
    const store = new OutcomeStore();
    const o = outcome('a', 'r', 'changed', { changes: [{ revision: 2, source: 'manifest', before: '', after: '', newRevision: true, rendered: '--- a\n+++ b\n' }] });
    store.add(o);
    o.status = 'error';
    o.changes[0].rendered = 'changed later';
    const [back] = [...store.read()];
    expect(back.status).toBe('changed');
    expect(back.changes[0].rendered).toBe('--- a\n+++ b\n');
    expect(back).not.toBe(o);
  });

  it('keeps an outcome that still holds diff texts as an object, with those texts', () => {
    const store = new OutcomeStore();
    const o = outcome('a', 'r', 'changed', { changes: [{ revision: 2, source: 'manifest', before: 'old', after: 'new', newRevision: true }] });
    store.add(o);
    const [back] = [...store.read()];
    expect(back.changes[0]).toEqual({ revision: 2, source: 'manifest', before: 'old', after: 'new', newRevision: true });
    expect(back).toEqual(o);
  });
});
