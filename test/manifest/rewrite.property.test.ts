// Property tests over generated multi-document streams. The generator renders each document
// from a spec and knows, from a small hand-written oracle table, what the rewrite must do to
// it; the expected output is rendered from the spec, never taken from the code under test.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { BUILTIN, EMPTY, rw } from './helpers.js';

type Quote = 'plain' | 'single' | 'double';
interface Pair {
  apiVersion: string;
  kind: string;
}
const PAIRS: Pair[] = [
  { apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy' },
  { apiVersion: 'extensions/v1beta1', kind: 'Ingress' },
  { apiVersion: 'rbac.authorization.k8s.io/v1beta1', kind: 'ClusterRoleBinding' },
  { apiVersion: 'batch/v1beta1', kind: 'CronJob' },
  { apiVersion: 'autoscaling/v2beta2', kind: 'HorizontalPodAutoscaler' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
];

interface Target {
  version: string;
  preClean: boolean;
}
const TARGETS: Target[] = [
  { version: '1.25', preClean: false },
  { version: '1.24', preClean: true },
  { version: '1.24', preClean: false },
];

/** Hand-written oracle: new apiVersion, null = removed, undefined = unchanged. */
function expected(p: Pair, t: Target): string | null | undefined {
  const key = `${p.apiVersion} ${p.kind}`;
  const pre = t.preClean;
  const v = Number(t.version.split('.')[1]);
  switch (key) {
    case 'policy/v1beta1 PodSecurityPolicy':
      return v >= 25 || (pre && v >= 21) ? null : undefined;
    case 'extensions/v1beta1 Ingress':
      return 'networking.k8s.io/v1'; // removed in 1.22
    case 'rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding':
      return 'rbac.authorization.k8s.io/v1'; // removed in 1.22
    case 'batch/v1beta1 CronJob':
      return v >= 25 || (pre && v >= 21) ? 'batch/v1' : undefined;
    case 'autoscaling/v2beta2 HorizontalPodAutoscaler':
      return v >= 26 || (pre && v >= 23) ? 'autoscaling/v2' : undefined;
    default:
      return undefined;
  }
}

const q = (s: string, style: Quote) => (style === 'single' ? `'${s}'` : style === 'double' ? `"${s}"` : s);

interface Item {
  pair: number;
  style: Quote;
  name: string;
}
interface DocSpec {
  type: 'object' | 'embed' | 'list' | 'comment';
  pair: number;
  apiStyle: Quote;
  kindStyle: Quote;
  apiComment: boolean;
  order: number[];
  commentsBefore: boolean[];
  marker: 0 | 1 | 2; // none (first only), "---", "--- # comment"
  source: boolean;
  name: string;
  namespace: string;
  items: Item[];
}

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const quote = fc.constantFrom<Quote>('plain', 'single', 'double');
const item = fc.record({ pair: fc.integer({ min: 0, max: PAIRS.length - 1 }), style: quote, name });
const docSpec: fc.Arbitrary<DocSpec> = fc.record({
  type: fc.constantFrom<DocSpec['type']>('object', 'object', 'object', 'embed', 'list', 'comment'),
  pair: fc.integer({ min: 0, max: PAIRS.length - 1 }),
  apiStyle: quote,
  kindStyle: quote,
  apiComment: fc.boolean(),
  order: fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }),
  commentsBefore: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  marker: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
  source: fc.boolean(),
  name,
  namespace: name,
  items: fc.array(item, { minLength: 1, maxLength: 4 }),
});
const stream: fc.Arbitrary<StreamSpec> = fc.record({
  docs: fc.array(docSpec, { minLength: 1, maxLength: 7 }),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  finalNewline: fc.boolean(),
  target: fc.constantFrom(...TARGETS),
});

/** Renders one document; `api` overrides the apiVersion value, `items` the kept List items. */
function render(d: DocSpec, index: number, api?: string, items?: { it: Item; api: string }[]): string {
  const marker = d.marker === 0 && index === 0 ? '' : d.marker === 2 ? '--- # separator comment\n' : '---\n';
  const source = d.source ? `# Source: chart/templates/doc-${index}.yaml\n` : '';
  if (d.type === 'comment') return `${marker || '---\n'}# Source: chart/templates/empty-${index}.yaml\n# rendered nothing\n`;
  const pair = d.type === 'embed' ? { apiVersion: 'v1', kind: 'ConfigMap' } : d.type === 'list' ? { apiVersion: 'v1', kind: 'List' } : PAIRS[d.pair];
  const entries = [
    `apiVersion: ${q(api ?? pair.apiVersion, d.apiStyle)}${d.apiComment ? ' # api comment' : ''}\n`,
    `kind: ${q(pair.kind, d.kindStyle)}\n`,
    `metadata:\n  name: ${d.name}\n  namespace: ${d.namespace}\n  annotations:\n    note: "was extensions/v1beta1 and policy/v1beta1"\n`,
    d.type === 'embed'
      ? `data:\n  psp.yaml: |\n    ---\n    apiVersion: policy/v1beta1\n    kind: PodSecurityPolicy\n    metadata:\n      name: inner-${index}\n`
      : `spec:\n  replicas: 1\n`,
  ];
  let body = '';
  for (const [k, e] of d.order.entries()) body += (d.commentsBefore[k] ? `# comment ${k}\n` : '') + entries[e];
  if (d.type === 'list') {
    const list = items ?? d.items.map((it) => ({ it, api: PAIRS[it.pair].apiVersion }));
    body += 'items:\n' + list.map(({ it, api: a }) => `- apiVersion: ${q(a, it.style)}\n  kind: ${PAIRS[it.pair].kind}\n  metadata:\n    name: ${it.name}\n`).join('');
  }
  return marker + source + body;
}

interface StreamSpec {
  docs: DocSpec[];
  crlf: boolean;
  bom: boolean;
  finalNewline: boolean;
  target: Target;
}

function build(s: StreamSpec) {
  // A document without `---` must be first and hold content; a List keeps at least one item.
  const docs = s.docs.map((d, i) => ({ ...d, marker: (i === 0 && d.type !== 'comment' ? d.marker : d.marker || 1) as DocSpec['marker'] }));
  let input = '';
  let want = '';
  let lastRemoved = false;
  docs.forEach((d, i) => {
    // Whether the stream's last bytes are dropped (a removed document, or a List's last item).
    lastRemoved =
      (d.type === 'object' && expected(PAIRS[d.pair], s.target) === null) ||
      (d.type === 'list' && expected(PAIRS[d.items[d.items.length - 1].pair], s.target) === null);
    input += render(d, i);
    if (d.type === 'object') {
      const e = expected(PAIRS[d.pair], s.target);
      if (e === undefined) want += render(d, i);
      else if (e !== null) want += render(d, i, e);
    } else if (d.type === 'list') {
      const kept = d.items
        .map((it) => ({ it, e: expected(PAIRS[it.pair], s.target) }))
        .filter((x) => x.e !== null)
        .map((x) => ({ it: x.it, api: x.e ?? PAIRS[x.it.pair].apiVersion }));
      want += kept.length ? render(d, i, undefined, kept) : render(d, i); // all-removed lists are covered by examples
      if (!kept.length) (d as { skip?: boolean }).skip = true;
    } else {
      want += render(d, i);
    }
  });
  const skip = docs.some((d) => (d as { skip?: boolean }).skip);
  if (!s.finalNewline) {
    input = input.replace(/\n$/, '');
    // A kept last document loses its final newline too; a dropped one takes nothing else.
    if (!lastRemoved) want = want.replace(/\n$/, '');
  }
  const eol = (t: string) => (s.crlf ? t.replace(/\n/g, '\r\n') : t);
  const bom = s.bom ? '\uFEFF' : '';
  return { input: bom + eol(input), want: bom + eol(want), skip };
}

const RUNS = { seed: 20261126, numRuns: 200 };

describe('rewriteManifest properties', () => {
  it('output equals the oracle: unmatched documents byte-identical, renames touch only apiVersion, drops remove whole documents', () => {
    fc.assert(
      fc.property(stream, (s) => {
        const { input, want, skip } = build(s);
        fc.pre(!skip);
        const r = rw(input, s.target.version, s.target.preClean);
        expect(r.output).toBe(want);
        expect(r.changed).toBe(input !== want);
      }),
      RUNS,
    );
  });

  it('the output always parses', () => {
    fc.assert(
      fc.property(stream, (s) => {
        const { input } = build(s);
        const out = rw(input, s.target.version, s.target.preClean).output;
        for (const d of parseAllDocuments(out)) expect(d.errors).toEqual([]);
      }),
      RUNS,
    );
  });

  it('rewriting twice equals rewriting once', () => {
    fc.assert(
      fc.property(stream, (s) => {
        const { input } = build(s);
        const once = rw(input, s.target.version, s.target.preClean);
        const twice = rw(once.output, s.target.version, s.target.preClean);
        expect(twice.output).toBe(once.output);
        expect(twice.changed).toBe(false);
      }),
      RUNS,
    );
  });

  it('an empty table returns the input byte for byte', () => {
    fc.assert(
      fc.property(stream, (s) => {
        const { input } = build(s);
        const r = rw(input, s.target.version, s.target.preClean, 'manifest', EMPTY);
        expect(r.output).toBe(input);
        expect(r.changed).toBe(false);
      }),
      RUNS,
    );
  });

  it('the built-in table is used (sanity: the oracle pairs are mapped)', () => {
    expect(BUILTIN.lookup('autoscaling/v2beta2', 'HorizontalPodAutoscaler')).toBeDefined();
  });
});
