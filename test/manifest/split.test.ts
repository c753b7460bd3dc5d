import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ManifestParseError, splitDocuments, splitRegions } from '../../src/manifest/index.js';

const CASES: [string, string][] = [
  ['helm style', '---\n# Source: a.yaml\napiVersion: v1\nkind: ConfigMap\n---\n# Source: b.yaml\napiVersion: v1\nkind: Secret\n'],
  ['no leading marker', 'a: 1\n---\nb: 2\n'],
  ['comments before the first marker', '# header\n# more\n---\na: 1\n---\nb: 2\n'],
  ['end markers', 'a: 1\n...\n---\nb: 2\n...\nc: 3\n'],
  ['trailing comment after the last document', 'a: 1\n---\nb: 2\n...\n# trailing\n'],
  ['marker with comment and CRLF', '--- # one\r\na: 1\r\n--- # two\r\nb: 2\r\n'],
  ['CR only', '---\ra: 1\r---\rb: 2\r'],
  ['---x is not a marker', 'a: |\n  text\n---x: 1\n'],
  ['empty documents', '---\n---\n# c\n---\na: 1\n'],
  ['BOM', '\uFEFF---\na: 1\n---\nb: 2'],
  ['block scalar with an indented ---', 'a: |\n  ---\n  x\n---\nb: 2\n'],
  ['directive', '%YAML 1.2\n---\na: 1\n'],
];

describe('splitRegions', () => {
  it.each(CASES)('%s: tiles the stream and counts documents like a YAML parser', (_n, text) => {
    const regions = splitRegions(text);
    const bom = text.startsWith('\uFEFF') ? 1 : 0;
    expect(regions.map((r) => text.slice(r.start, r.end)).join('')).toBe(text.slice(bom));
    regions.forEach((r, i) => {
      expect(r.index).toBe(i);
      if (i > 0) expect(r.start).toBe(regions[i - 1].end);
    });
    expect(regions.length).toBe(parseAllDocuments(text).length);
  });

  it('empty input has no documents', () => {
    expect(splitRegions('')).toEqual([]);
    expect(splitRegions('\uFEFF')).toEqual([]);
  });
});

describe('splitDocuments', () => {
  it('returns identity fields and offsets for every document', () => {
    const text = '---\n# Source: a.yaml\nkind: Role\napiVersion: rbac.authorization.k8s.io/v1\nmetadata:\n  name: r\n  namespace: ns\n---\n# Source: b.yaml\n# only a comment\n';
    const docs = splitDocuments(text);
    expect(docs.map((d) => [d.index, d.kind, d.apiVersion, d.name, d.namespace])).toEqual([
      [0, 'Role', 'rbac.authorization.k8s.io/v1', 'r', 'ns'],
      [1, undefined, undefined, undefined, undefined],
    ]);
    expect(text.slice(docs[1].start, docs[1].end)).toBe('---\n# Source: b.yaml\n# only a comment\n');
    expect(docs[0].toJS()).toEqual({ kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'r', namespace: 'ns' } });
  });

  it('throws ManifestParseError for non-YAML, naming the document', () => {
    expect(() => splitDocuments('a: 1\n---\nb: [\n', 'hook:x')).toThrow(ManifestParseError);
    expect(() => splitDocuments('a: 1\n---\nb: [\n', 'hook:x')).toThrow(/^hook:x: document 1 \(line \d\)/);
  });

  it('bounds alias expansion in toJS (YAML bomb)', () => {
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 10; i++) bomb += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
    const [d] = splitDocuments(bomb);
    expect(() => d.toJS()).toThrow(/alias/i);
  });
});
