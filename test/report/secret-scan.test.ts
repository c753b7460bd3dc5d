// The text reader of redaction (src/report/secret-scan.ts) must read exactly what the YAML
// parser reads, or give up: on generated documents in and around its subset (block YAML with
// the quirks that change a value: quoting, chomping, blank lines, comments, repeated keys,
// numbers and booleans, tabs, sequences, Lists), every answer it gives equals the parser's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsedSecretValues } from '../../src/report/redact.js';
import { scanSecretValues } from '../../src/report/secret-scan.js';

const region = (text: string) => ({ index: 0, start: 0, end: text.length });
const parsed = (text: string) => {
  try {
    return parsedSecretValues(text, region(text));
  } catch {
    return 'unparseable';
  }
};

/** Mostly what the reader takes, sometimes what it must refuse or read differently. */
const mostly = <T>(good: T[], bad: T[], badWeight = 1) =>
  fc.oneof({ arbitrary: fc.constantFrom(...good), weight: 12 }, { arbitrary: fc.constantFrom(...bad), weight: badWeight });
const word = mostly(['a', 'db', 'user.name', 'app.properties', 'k_1', 'x/y', 'on', 'yes', 'Kind2'], ['True', 'null', '0x1F', '12', '-a', 'a b', 'a:b', '"q"', 'kind', 'name']);
const plain = mostly(['value', 'hello world', 'http://x:8080/p', 'a#b', 'yes', '/path', 'v,[x]', 'é ü'], ['a: b', 'a #c', 'true', 'Null', '12', '1.0', '0o7', '.inf', '~', 'x ']);
const quoted = mostly(['"3"', '"a: b # c"', "'single'", '""', "''"], ['"with \\"esc\\""', '"back\\\\slash"', "'it''s'", '"tab\there"', '"x" # c']);
const blockLine = mostly(['line one', 'key = 1', '# not a comment', '  more indented', '', 'a: b'], ['   ', '\tx', '- item', '      ']);
const block = fc.tuple(mostly(['|', '|-', '|+'], ['>', '|2', '| # c']), fc.array(blockLine, { minLength: 1, maxLength: 5 }), fc.constantFrom(0, 0, 1, 2)).map(
  ([head, lines, blanks]) => ({ head, lines, blanks }),
);
const value = fc.oneof({ arbitrary: plain, weight: 3 }, { arbitrary: quoted, weight: 3 }, { arbitrary: block, weight: 3 }, { arbitrary: fc.constantFrom('', '[a, b]', '{x: y}', '&anc v', '*anc', '!!binary aGk=', '|'), weight: 1 });
const render = (key: string, v: unknown, indent: string, contentIndent: string): string => {
  if (typeof v === 'string') return `${indent}${key}:${v === '' ? '' : ` ${v}`}\n`;
  const b = v as { head: string; lines: string[]; blanks: number };
  return `${indent}${key}: ${b.head}\n${b.lines.map((l) => (l.trim() === '' ? l : contentIndent + l)).join('\n')}\n${'\n'.repeat(b.blanks)}`;
};
const entries = fc.array(fc.tuple(word, value), { maxLength: 4 });
const doc = fc.record({
  start: mostly(['', '---\n', '---\n# Source: chart/templates/x.yaml\n', '\n'], ['--- # c\n']),
  kind: mostly(['ConfigMap', 'Secret', '"Secret"', "'ConfigMap'", 'Deployment', ''], ['List', 'Secret # c']),
  name: mostly(['cfg', '"quoted"', ''], ['123', 'a b']),
  ns: mostly([undefined, 'team-a'], ['null']),
  dataKey: mostly(['data', 'stringData', 'binaryData'], ['spec']),
  data: entries,
  extra: fc.array(fc.tuple(mostly(['type', 'apiVersion', 'immutable', 'labels'], ['data', 'kind', 'items']), value), { maxLength: 2 }),
  comment: mostly(['', '# between\n', '  # indented comment\n'], ['\t# tab\n']),
  tail: mostly(['', '\n', '\n\n'], ['...\n', '- x\n']),
  crlf: mostly([false], [true]),
  dropLastNewline: fc.boolean(),
  dataIndent: mostly(['  ', '    '], [' ']),
}).map((d) => {
  let t = d.start;
  t += 'apiVersion: v1\n';
  if (d.kind) t += `kind: ${d.kind}\n`;
  t += `metadata:\n  name:${d.name ? ` ${d.name}` : ''}\n${d.ns !== undefined ? `  namespace: ${d.ns}\n` : ''}  labels:\n    app: x\n`;
  t += d.comment;
  t += `${d.dataKey}:\n`;
  for (const [k, v] of d.data) t += render(k, v, d.dataIndent, `${d.dataIndent}  `);
  for (const [k, v] of d.extra) t += render(k, v, '', '  ');
  t += d.tail;
  if (d.crlf) t = t.replace(/\n/g, '\r\n');
  if (d.dropLastNewline) t = t.replace(/\n$/, '');
  return t;
});

describe('scanSecretValues', () => {
  it('property: whenever it answers, it answers what the YAML parser reads', () => {
    let answered = 0;
    let withValues = 0;
    fc.assert(fc.property(doc, (text) => {
      const fast = scanSecretValues(text);
      if (fast === undefined) return;
      answered++;
      if (fast.length > 0) withValues++;
      expect(fast).toEqual(parsed(text));
    }), { numRuns: 5000 });
    // Not vacuous: a good share of the generated documents is inside the subset.
    expect(answered).toBeGreaterThan(200);
    expect(withValues).toBeGreaterThan(100);
  });

  it('reads a ConfigMap as Helm charts render it (the bench store\'s shape)', () => {
    const text = '---\n# Source: app/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\n  labels:\n    helm.sh/chart: app-1.0.0\ndata:\n  revision: "3"\n  app.properties: |\n    a.b = 1\n\n    c = two\n';
    const fast = scanSecretValues(text);
    expect(fast).toEqual([
      { path: '/app-config/data/revision', field: 'text', start: text.indexOf('"3"'), end: text.indexOf('"3"') + 3, value: '3' },
      { path: '/app-config/data/app.properties', field: 'text', start: text.indexOf('|'), end: text.length, value: 'a.b = 1\n\nc = two\n' },
    ]);
    expect(fast).toEqual(parsed(text));
  });

  it('gives up on what it does not read (tabs, flow style, anchors, folded scalars, Lists)', () => {
    for (const text of [
      'kind: Secret\ndata:\n\tpw: x\n',
      'kind: Secret\ndata: {pw: x}\n',
      'kind: Secret\ndata:\n  pw: &a x\n',
      'kind: Secret\nstringData:\n  pw: >\n    folded\n',
      'kind: List\nitems:\n  - kind: Secret\n',
      'kind: Secret\ndata:\n  pw: x\ndata:\n  pw: y\n',
    ]) expect(scanSecretValues(text), text).toBeUndefined();
  });
});
