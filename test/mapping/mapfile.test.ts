import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applicability, loadMappingTable, MapfileError, parseKubeVersion, parseMapfile } from '../../src/mapping/index.js';
import { rewriteManifest } from '../../src/manifest/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

const BUILTIN = join(REPO_ROOT, 'mapfiles');
const FIX = join(REPO_ROOT, 'test/fixtures/manifests/mapfiles');
const v = parseKubeVersion;

describe('helm-mapkubeapis Map.yaml format', () => {
  const table = loadMappingTable({ builtinDir: BUILTIN, mapfile: join(FIX, 'mka-Map.yaml') });

  it('replaces the built-in table (--mapfile) and reads every entry', () => {
    expect(table.entries.map((m) => m.id)).toEqual([
      'extensions/v1beta1/Deployment',
      'extensions/v1beta1/Ingress',
      'networking.k8s.io/v1beta1/Ingress',
      'rbac.authorization.k8s.io/v1beta1/ClusterRole',
      'policy/v1beta1/PodSecurityPolicy',
      'autoscaling/v2beta1/HorizontalPodAutoscaler',
    ]);
    expect(table.lookup('batch/v1beta1', 'CronJob')).toBeUndefined();
    expect(table.entries.every((m) => m.format === 'mapkubeapis' && m.source === join(FIX, 'mka-Map.yaml'))).toBe(true);
  });

  it('reads versions and an absent newAPI as removal', () => {
    const psp = table.lookup('policy/v1beta1', 'PodSecurityPolicy')!;
    expect(psp.replacement).toBeNull();
    expect(psp.removedIn?.minor).toBe(25);
    expect(psp.deprecatedIn).toBeUndefined();
    const dep = table.lookup('extensions/v1beta1', 'Deployment')!;
    expect(dep.replacement).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment' });
    expect([dep.deprecatedIn?.minor, dep.removedIn?.minor]).toEqual([9, 16]);
  });

  it('chains entries (extensions Ingress -> networking v1beta1 -> v1)', () => {
    const ing = table.lookup('extensions/v1beta1', 'Ingress')!;
    expect(ing.replacement).toEqual({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' });
    expect(applicability(ing, v('1.22'), { preClean: false }).replacement).toEqual({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' });
  });

  it('matches kinds exactly: ClusterRole does not map ClusterRoleBinding (PR #57)', () => {
    expect(table.lookup('rbac.authorization.k8s.io/v1beta1', 'ClusterRole')).toBeDefined();
    expect(table.lookup('rbac.authorization.k8s.io/v1beta1', 'ClusterRoleBinding')).toBeUndefined();
  });

  it('tolerates CRLF, key order and a missing final newline inside the API strings', () => {
    const text = 'mappings:\n  - deprecatedAPI: "kind: Foo\\r\\napiVersion: example.com/v1beta1"\n    newAPI: "apiVersion: example.com/v1\\nkind: Foo\\n"\n    removedInVersion: "v1.30"\n';
    const parsed = parseMapfile(text, 'x.yaml');
    expect(parsed.entries[0].deprecated).toEqual({ apiVersion: 'example.com/v1beta1', kind: 'Foo' });
    expect(parsed.entries[0].next).toEqual({ apiVersion: 'example.com/v1', kind: 'Foo' });
  });

  it('treats an empty newAPI as removal', () => {
    const parsed = parseMapfile('mappings:\n  - deprecatedAPI: "apiVersion: a.io/v1beta1\\nkind: A\\n"\n    newAPI: ""\n    removedInVersion: "v1.25"\n', 'x.yaml');
    expect(parsed.entries[0].next).toBeNull();
  });
});

// helm-mapkubeapis matches deprecatedAPI strings byte for byte, so its maintainers told users
// to add a second entry for the same API beside the standard one: kind before apiVersion
// (issue #21) or CRLF line endings (issue #82). Such a Map.yaml loads as it is.
describe('Map.yaml with a second entry for the same API (helm-mapkubeapis issues #21, #82)', () => {
  const load = (name: string) => {
    const warnings: string[] = [];
    const table = loadMappingTable({ builtinDir: BUILTIN, mapfile: join(FIX, name), warn: (m) => warnings.push(m) });
    return { table, warnings };
  };
  const DEP_KIND_FIRST = '---\n# Source: app/templates/deploy.yaml\nkind: Deployment\napiVersion: extensions/v1beta1\nmetadata:\n  name: web\n';
  const DEP = '---\n# Source: app/templates/deploy2.yaml\napiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: api\n';
  const CM_CRLF = '---\r\n# Source: app/templates/cm.yaml\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: cfg\r\n';
  const PSP_CRLF = '---\r\n# Source: app/templates/psp.yaml\r\napiVersion: policy/v1beta1\r\nkind: PodSecurityPolicy\r\nmetadata:\r\n  name: psp\r\nspec:\r\n  privileged: false\r\n';
  const ING_CRLF = '---\r\n# Source: app/templates/ing.yaml\r\napiVersion: extensions/v1beta1\r\nkind: Ingress\r\nmetadata:\r\n  name: ing\r\n';

  it('#21: the kind-first variant agrees with the standard entry: it loads with one warning naming both, and applies', () => {
    const { table, warnings } = load('mka-issue21-reordered.yaml');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/mka-issue21-reordered\.yaml: mappings\[1\] repeats mappings\[0\] for extensions\/v1beta1 Deployment \(same target and versions\); the repeat is ignored/);
    expect(warnings[0]).not.toContain('\n');
    expect(table.entries.map((m) => m.id)).toEqual(['extensions/v1beta1/Deployment', 'policy/v1beta1/PodSecurityPolicy']);
    const r = rewriteManifest(DEP_KIND_FIRST + DEP, { table, target: v('1.16'), preClean: false }, 'manifest');
    expect(r.output).toBe(DEP_KIND_FIRST.replace('extensions/v1beta1', 'apps/v1') + DEP.replace('extensions/v1beta1', 'apps/v1'));
    expect(r.findings.map((f) => [f.name, f.oldApiVersion, f.newApiVersion])).toEqual([['web', 'extensions/v1beta1', 'apps/v1'], ['api', 'extensions/v1beta1', 'apps/v1']]);
  });

  it('#82: CRLF copies of the entries agree: they load with a warning each, and a CRLF manifest is repaired', () => {
    const { table, warnings } = load('mka-issue82-crlf.yaml');
    expect(warnings.map((w) => w.replace(/^.*?: (mappings\[\d\] repeats mappings\[\d\] for [^(]+).*$/, '$1'))).toEqual([
      'mappings[1] repeats mappings[0] for policy/v1beta1 PodSecurityPolicy ',
      'mappings[3] repeats mappings[2] for extensions/v1beta1 Ingress ',
    ]);
    expect(table.entries).toHaveLength(2);
    const r = rewriteManifest(CM_CRLF + PSP_CRLF + ING_CRLF, { table, target: v('1.25'), preClean: false }, 'manifest');
    expect(r.output).toBe(CM_CRLF + ING_CRLF.replace('extensions/v1beta1', 'networking.k8s.io/v1'));
  });

  it('disagreeing duplicates are an error naming both entries and the field that differs', () => {
    expect(() => load('mka-issue21-disagreeing.yaml')).toThrow(MapfileError);
    expect(() => load('mka-issue21-disagreeing.yaml')).toThrow(
      /mka-issue21-disagreeing\.yaml: mappings\[1\]\.newAPI: extensions\/v1beta1 Deployment is already mapped by mappings\[0\], which disagrees: newAPI is apps\/v1 Deployment there and apps\/v1beta2 Deployment here/,
    );
    expect(() => load('mka-issue82-disagreeing.yaml')).toThrow(
      /mka-issue82-disagreeing\.yaml: mappings\[1\]\.removedInVersion: policy\/v1beta1 PodSecurityPolicy is already mapped by mappings\[0\], which disagrees: removedInVersion is v1\.25 there and v1\.26 here/,
    );
  });

  it('the structured format follows the same rule; notes of agreeing entries are merged', () => {
    const entry = (removedIn: string, note: string) => `  - deprecated: { group: a.io, version: v1beta1, kinds: [A, B] }\n    replacement: null\n    removedIn: "${removedIn}"\n    lists: true\n    notes: ["${note}"]\n`;
    const ok = parseMapfile(`mappings:\n${entry('v1.25', 'one')}${entry('1.25', 'two')}`, 's.yaml');
    expect(ok.entries.map((e) => [e.deprecated.kind, e.notes])).toEqual([['A', ['one', 'two']], ['AList', ['one', 'two']], ['B', ['one', 'two']], ['BList', ['one', 'two']]]);
    expect(ok.warnings).toEqual([expect.stringMatching(/^s\.yaml: mappings\[1\] repeats mappings\[0\] for a\.io\/v1beta1 A /)]);
    expect(() => parseMapfile(`mappings:\n${entry('v1.25', 'one')}${entry('v1.26', 'one')}`, 's.yaml')).toThrow(
      /^s\.yaml: mappings\[1\]\.removedIn: a\.io\/v1beta1 A is already mapped by mappings\[0\], which disagrees: removedIn is v1\.25 there and v1\.26 here/,
    );
  });
});

describe('structured format, overrides and disabling', () => {
  const table = loadMappingTable({ builtinDir: BUILTIN, extraMapfiles: [join(FIX, 'extra-override.yaml')] });

  it('disables a built-in entry but keeps it in the table, marked', () => {
    expect(table.lookup('batch/v1beta1', 'CronJob')).toBeUndefined();
    const row = table.entries.find((m) => m.id === 'batch/v1beta1/CronJob')!;
    expect(row.disabled).toBe(true);
    expect(row.source).toBe(join(FIX, 'extra-override.yaml'));
    expect(applicability(row, v('1.25'), { preClean: false }).applies).toBe(false);
    // The list kind of the same built-in entry is not affected.
    expect(table.lookup('batch/v1beta1', 'CronJobList')).toBeDefined();
  });

  it('overrides a built-in entry with the same apiVersion+kind, in place', () => {
    const pdb = table.lookup('policy/v1beta1', 'PodDisruptionBudget')!;
    expect(pdb.replacement).toBeNull();
    expect(pdb.notes).toEqual(['site policy: PDBs are managed outside Helm']);
    expect(table.entries.filter((m) => m.id === 'policy/v1beta1/PodDisruptionBudget')).toHaveLength(1);
  });

  it('adds new entries (kinds expand to one entry each)', () => {
    expect(table.lookup('snapshot.storage.k8s.io/v1beta1', 'VolumeSnapshot')?.replacement).toEqual({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot' });
    expect(table.lookup('snapshot.storage.k8s.io/v1beta1', 'VolumeSnapshotClass')).toBeDefined();
    expect(table.lookup('snapshot.storage.k8s.io/v1beta1', 'VolumeSnapshotList')).toBeUndefined();
  });

  it('built-in entries keep source "builtin"', () => {
    expect(table.lookup('policy/v1beta1', 'PodSecurityPolicy')?.source).toBe('builtin');
  });
});

describe('validation errors name file, entry and field', () => {
  const bad = (body: string) => () => parseMapfile(`mappings:\n${body}`, 'bad.yaml');
  const cases: [string, string, RegExp][] = [
    ['missing kind', '  - deprecated: { group: a.io, version: v1beta1 }\n    replacement: null\n    removedIn: "v1.25"\n', /^bad\.yaml: mappings\[0\]\.deprecated\.kind: required/],
    ['bad version', '  - deprecated: { group: a.io, version: v1beta1, kind: A }\n    replacement: null\n    removedIn: "one"\n', /^bad\.yaml: mappings\[0\]\.removedIn: "one" is not a Kubernetes version/],
    ['number version', '  - deprecated: { group: a.io, version: v1beta1, kind: A }\n    replacement: null\n    removedIn: 1.10\n', /mappings\[0\]\.removedIn: write the version as a quoted string/],
    ['typo field', '  - deprecated: { group: a.io, version: v1beta1, kind: A }\n    replacement: null\n    removedin: "v1.25"\n', /mappings\[0\]\.removedin: unknown field/],
    ['no removedIn', '  - deprecated: { group: a.io, version: v1beta1, kind: A }\n    replacement: null\n', /mappings\[0\]\.removedIn: required/],
    ['no replacement', '  - deprecated: { group: a.io, version: v1beta1, kind: A }\n    removedIn: "v1.25"\n', /mappings\[0\]\.replacement: required/],
    [
      'second entry that disagrees',
      '  - deprecated: { group: a.io, version: v1beta1, kind: A }\n    replacement: null\n    removedIn: "v1.25"\n  - deprecated: { group: a.io, version: v1beta1, kind: A }\n    replacement: null\n    removedIn: "v1.26"\n',
      /mappings\[1\]\.removedIn: a\.io\/v1beta1 A is already mapped by mappings\[0\], which disagrees/,
    ],
    ['a kind listed twice', '  - deprecated: { group: a.io, version: v1beta1, kinds: [A, A] }\n    replacement: null\n    removedIn: "v1.25"\n', /mappings\[0\]\.deprecated\.kinds: lists A twice/],
    ['MKA bad string', '  - deprecatedAPI: "kind only"\n    removedInVersion: "v1.25"\n', /mappings\[0\]\.deprecatedAPI: must hold "apiVersion/],
    ['MKA no versions', '  - deprecatedAPI: "apiVersion: a.io/v1\\nkind: A\\n"\n', /mappings\[0\]\.removedInVersion: deprecatedInVersion or removedInVersion is required/],
    ['MKA bad version', '  - deprecatedAPI: "apiVersion: a.io/v1\\nkind: A\\n"\n    removedInVersion: "soon"\n', /mappings\[0\]\.removedInVersion:/],
    ['deprecated after removed', '  - deprecated: { group: a.io, version: v1beta1, kind: A }\n    replacement: null\n    deprecatedIn: "v1.26"\n    removedIn: "v1.25"\n', /mappings\[0\]\.deprecatedIn: must not be later than removedIn/],
    ['bad apiVersion', '  - deprecated: { apiVersion: "not an api", kind: A }\n    replacement: null\n    removedIn: "v1.25"\n', /mappings\[0\]\.deprecated: "not an api" is not an apiVersion/],
  ];
  it.each(cases)('%s', (_name, body, re) => {
    expect(bad(body)).toThrow(MapfileError);
    expect(bad(body)).toThrow(re);
  });

  it('file-level problems', () => {
    expect(() => parseMapfile('a: [', 'f.yaml')).toThrow(/^f\.yaml: yaml: not valid YAML/);
    expect(() => parseMapfile('other: 1', 'f.yaml')).toThrow(/^f\.yaml: mappings: missing or not a list/);
    expect(() => loadMappingTable({ builtinDir: BUILTIN, extraMapfiles: ['/nonexistent/x.yaml'] })).toThrow(/^\/nonexistent\/x\.yaml: file: no such file/);
  });

  it('errors from loadMappingTable carry the path of the extra mapfile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'psa-mapfile-'));
    const f = join(dir, 'extra.yaml');
    writeFileSync(f, 'mappings:\n  - deprecated: { group: a.io, version: v1beta1, kind: A }\n    replacement: { group: a.io }\n    removedIn: "v1.25"\n');
    expect(() => loadMappingTable({ builtinDir: BUILTIN, extraMapfiles: [f] })).toThrow(`${f}: mappings[0].replacement.version: required`);
  });
});
