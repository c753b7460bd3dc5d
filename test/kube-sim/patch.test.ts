// Patch semantics, pure functions.
import { describe, expect, it } from 'vitest';
import { applyConfig, jsonPatch, mergePatch, strategicMerge } from './patch.js';

describe('merge patch (RFC 7386)', () => {
  it('merges objects, deletes on null, replaces lists', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { c: null, d: 3 }, l: [3] })).toEqual({ a: { b: 1, d: 3 }, l: [3] });
  });
});

describe('strategic merge patch', () => {
  const pod = { spec: { containers: [{ name: 'app', image: 'a:1', env: [{ name: 'X', value: '1' }] }, { name: 'side', image: 's:1' }] } };

  it('merges containers and env by name', () => {
    const out = strategicMerge(pod, { spec: { containers: [{ name: 'app', image: 'a:2', env: [{ name: 'Y', value: '2' }] }] } });
    expect(out.spec.containers).toEqual([
      { name: 'app', image: 'a:2', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }] },
      { name: 'side', image: 's:1' },
    ]);
  });

  it('honours $patch: delete and $setElementOrder', () => {
    const out = strategicMerge(pod, {
      spec: { containers: [{ name: 'side', $patch: 'delete' }] },
    });
    expect(out.spec.containers.map((c: any) => c.name)).toEqual(['app']);
    const reordered = strategicMerge(pod, { spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }], containers: [] } });
    expect(reordered.spec.containers.map((c: any) => c.name)).toEqual(['side', 'app']);
  });

  it('replaces lists without a merge key (RBAC rules) and deletes keys set to null', () => {
    const role = { rules: [{ verbs: ['get'] }, { verbs: ['use'] }], metadata: { labels: { a: '1', b: '2' } } };
    expect(strategicMerge(role, { rules: [{ verbs: ['get'] }], metadata: { labels: { b: null } } })).toEqual({
      rules: [{ verbs: ['get'] }], metadata: { labels: { a: '1' } },
    });
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('adds, replaces, removes and tests', () => {
    const out = jsonPatch({ a: [1], b: { c: 1 } }, [
      { op: 'add', path: '/a/-', value: 2 },
      { op: 'replace', path: '/b/c', value: 5 },
      { op: 'remove', path: '/a/0' },
      { op: 'test', path: '/b/c', value: 5 },
    ]);
    expect(out).toEqual({ a: [2], b: { c: 5 } });
    expect(() => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow();
  });
});

describe('server-side apply', () => {
  it('keeps fields set by others and drops fields this manager stopped applying', () => {
    const live = { data: { mine: '1', theirs: 'x', gone: 'y' }, metadata: { labels: { other: 'o' } } };
    const prev = { data: { mine: '1', gone: 'y' } };
    expect(applyConfig(live, { data: { mine: '2' } }, prev)).toEqual({ data: { mine: '2', theirs: 'x' }, metadata: { labels: { other: 'o' } } });
  });
});
