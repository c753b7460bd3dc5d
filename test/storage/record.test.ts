// Pure record rules shared by the drivers, and the lazy-loading promise of the storage index.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/storage/errors.js';
import { checkWritable, headFromLabels, labelsForWrite, parseKey } from '../../src/storage/record.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { helm3Release } from '../helm/sample-releases.js';

describe('record rules', () => {
  it('parses storage keys, release names with dots included', () => {
    expect(parseKey('sh.helm.release.v1.my.app.v12')).toEqual({ name: 'my.app', revision: 12 });
    expect(parseKey('sh.helm.release.v1.x')).toBeUndefined();
  });

  it('builds heads from labels and reports missing or disagreeing labels as decode errors', () => {
    const labels = { name: 'demo', owner: 'helm', status: 'deployed', version: '3', team: 'a' };
    expect(headFromLabels('Secret', 'ns', 'sh.helm.release.v1.demo.v3', '42', labels)).toEqual({
      name: 'demo', namespace: 'ns', revision: 3, status: 'deployed', key: 'sh.helm.release.v1.demo.v3', resourceVersion: '42', labels,
    });
    const noName = headFromLabels('Secret', 'ns', 'sh.helm.release.v1.demo.v3', '1', { ...labels, name: '' });
    expect(noName).toBeInstanceOf(StorageError);
    expect((noName as StorageError).message).toBe('Secret ns/sh.helm.release.v1.demo.v3: has no "name" label');
    const wrongKey = headFromLabels('ConfigMap', 'ns', 'sh.helm.release.v1.demo.v4', '1', labels) as StorageError;
    expect(wrongKey.code).toBe('decode');
    expect(wrongKey.object).toEqual({ namespace: 'ns', key: 'sh.helm.release.v1.demo.v4' });
  });

  it('derives system labels from the body on every write and refuses bodies Helm could not read back', () => {
    const r = helm3Release('demo', 2, 'superseded', 'ns');
    expect(labelsForWrite(r, { status: 'deployed', custom: 'x' })).toEqual({ status: 'superseded', custom: 'x', name: 'demo', owner: 'helm', version: '2' });
    expect(checkWritable('Secret', 'ns', r)).toBe('sh.helm.release.v1.demo.v2');
    expect(() => checkWritable('Secret', 'ns', { ...r, version: 0 })).toThrow(/no positive integer "version"/);
    expect(() => checkWritable('Secret', 'other', r)).toThrow(/body namespace "ns" is not "other"/);
    expect(() => checkWritable('Secret', 'ns', { ...r, info: {} })).toThrow(/no "info.status"/);
  });
});

describe('storage index loads backends lazily', () => {
  /** Static (non-type) imports reachable from a module, following relative paths. */
  function staticImports(file: string, seen = new Set<string>()): Set<string> {
    if (seen.has(file)) return seen;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1];
      if (spec.startsWith('.')) staticImports(resolve(dirname(file), spec.replace(/\.js$/, '.ts')), seen);
      else seen.add(spec);
    }
    return seen;
  }

  it('importing src/storage/index.ts pulls in neither pg nor @kubernetes/client-node', () => {
    const reached = staticImports(join(REPO_ROOT, 'src', 'storage', 'index.ts'));
    expect([...reached].filter((s) => s === 'pg' || s.startsWith('@kubernetes/'))).toEqual([]);
    // ...while the backends do use them (so this test would notice a static import)
    expect(staticImports(join(REPO_ROOT, 'src', 'storage', 'sql', 'driver.ts')).has('pg')).toBe(true);
    expect(staticImports(join(REPO_ROOT, 'src', 'storage', 'kube', 'driver.ts')).has('@kubernetes/client-node')).toBe(true);
  });
});
