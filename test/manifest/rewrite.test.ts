// Example tests for every edge of the rewriter and every helm-mapkubeapis matching/removal
// issue in peers.md. Expected outputs are written out by hand.
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { buildTable, parseMapfile } from '../../src/mapping/index.js';
import { ManifestParseError, rewriteManifest } from '../../src/manifest/index.js';
import type { DocumentCache } from '../../src/manifest/rewrite.js';
import { parseKubeVersion } from '../../src/mapping/index.js';
import { BUILTIN, EMPTY, parsesCleanly, rw } from './helpers.js';

const PSP = (name: string) => `---\n# Source: chart/templates/psp-${name}.yaml\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: ${name}\nspec:\n  privileged: false\n`;
const CM = (name: string) => `---\n# Source: chart/templates/cm-${name}.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;

describe('renames change only the apiVersion value', () => {
  it('plain scalar, everything else byte-identical', () => {
    const input = `---\n# Source: c/templates/ing.yaml\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: prod\nspec:\n  backend:\n    serviceName: web\n    servicePort: 80\n`;
    const r = rw(input);
    expect(r.output).toBe(input.replace('apiVersion: extensions/v1beta1', 'apiVersion: networking.k8s.io/v1'));
    expect(r.changed).toBe(true);
    expect(r.findings).toEqual([
      expect.objectContaining({
        source: 'manifest',
        docIndex: 0,
        kind: 'Ingress',
        name: 'web',
        namespace: 'prod',
        oldApiVersion: 'extensions/v1beta1',
        newApiVersion: 'networking.k8s.io/v1',
        action: 'renamed',
        mappingId: 'extensions/v1beta1/Ingress',
        early: false,
      }),
    ]);
    expect(r.findings[0].warnings.join('\n')).toMatch(/serviceName -> service\.name/);
  });

  it.each([
    ['double quotes', 'apiVersion: "batch/v1beta1"', 'apiVersion: "batch/v1"'],
    ['single quotes', "apiVersion: 'batch/v1beta1'", "apiVersion: 'batch/v1'"],
    ['trailing comment (#20)', 'apiVersion: batch/v1beta1 # keep me', 'apiVersion: batch/v1 # keep me'],
    ['extra spaces', 'apiVersion:    batch/v1beta1   ', 'apiVersion:    batch/v1   '],
    ['tag and anchor', 'apiVersion: !!str &av batch/v1beta1', 'apiVersion: !!str &av batch/v1'],
    ['escaped slash', 'apiVersion: "batch\\/v1beta1"', 'apiVersion: "batch/v1"'],
  ])('%s', (_n, before, after) => {
    const input = `kind: CronJob\n${before}\nmetadata:\n  name: job\n`;
    expect(rw(input).output).toBe(`kind: CronJob\n${after}\nmetadata:\n  name: job\n`);
  });

  it('kind before apiVersion, comments between (#21, #41, #46, #20)', () => {
    const input = `---\n# Source: c/templates/crb.yaml\nkind: ClusterRoleBinding # the kind\n# a comment between\nmetadata:\n  name: x\napiVersion: rbac.authorization.k8s.io/v1beta1 # trailing\nroleRef: {kind: ClusterRole, name: x, apiGroup: rbac.authorization.k8s.io}\n`;
    expect(rw(input).output).toBe(input.replace('rbac.authorization.k8s.io/v1beta1 #', 'rbac.authorization.k8s.io/v1 #'));
  });

  it('CRLF line endings (#11, #12)', () => {
    const input = '---\r\n# Source: c/templates/cj.yaml\r\napiVersion: batch/v1beta1\r\nkind: CronJob\r\nmetadata:\r\n  name: j\r\n' + PSP('p').replace(/\n/g, '\r\n') + CM('c').replace(/\n/g, '\r\n');
    const r = rw(input);
    expect(r.output).toBe('---\r\n# Source: c/templates/cj.yaml\r\napiVersion: batch/v1\r\nkind: CronJob\r\nmetadata:\r\n  name: j\r\n' + CM('c').replace(/\n/g, '\r\n'));
  });

  it('flow-style document', () => {
    expect(rw('{apiVersion: policy/v1beta1, kind: PodDisruptionBudget, metadata: {name: x}}\n').output).toBe('{apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: x}}\n');
  });

  it('apiVersion given through an alias is replaced at that spot only', () => {
    const input = 'metadata:\n  name: &v batch/v1beta1\nkind: CronJob\napiVersion: *v\n';
    expect(rw(input).output).toBe('metadata:\n  name: &v batch/v1beta1\nkind: CronJob\napiVersion: batch/v1\n');
  });

  it('repeated keys: the last one counts (go-yaml semantics)', () => {
    const input = 'apiVersion: v1\nkind: CronJob\napiVersion: batch/v1beta1\n';
    expect(rw(input).output).toBe('apiVersion: v1\nkind: CronJob\napiVersion: batch/v1\n');
  });

  it('ClusterRole mapping does not touch ClusterRoleBinding (PR #57): kinds compare exactly', () => {
    const only = buildTable(
      parseMapfile('mappings:\n  - deprecatedAPI: "apiVersion: rbac.authorization.k8s.io/v1beta1\\nkind: ClusterRole\\n"\n    removedInVersion: "v1.22"\n', 'cr.yaml'),
    );
    const crb = '---\napiVersion: rbac.authorization.k8s.io/v1beta1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\n';
    const cr = '---\napiVersion: rbac.authorization.k8s.io/v1beta1\nkind: ClusterRole\nmetadata:\n  name: r\n';
    const r = rw(crb + cr, '1.22', false, 'manifest', only);
    expect(r.output).toBe(crb);
    expect(r.findings.map((f) => [f.kind, f.action])).toEqual([['ClusterRole', 'removed']]);
  });

  it('an unmapped apiVersion of a mapped kind stays (policy/v1 PodDisruptionBudget)', () => {
    const input = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: x\n  annotations:\n    old: "policy/v1beta1"\n';
    expect(rw(input)).toMatchObject({ output: input, changed: false, findings: [] });
  });
});

describe('removal drops whole documents with their # Source header', () => {
  it('at the start, in the middle and at the end', () => {
    expect(rw(PSP('a') + CM('b') + CM('c')).output).toBe(CM('b') + CM('c'));
    expect(rw(CM('a') + PSP('b') + CM('c')).output).toBe(CM('a') + CM('c'));
    expect(rw(CM('a') + CM('b') + PSP('c')).output).toBe(CM('a') + CM('b'));
  });

  it('missing leading --- (first document has no separator)', () => {
    const first = PSP('a').slice(4); // without "---\n"
    expect(rw(first + CM('b')).output).toBe(CM('b'));
    const cmFirst = CM('a').slice(4);
    expect(rw(cmFirst + PSP('b') + CM('c')).output).toBe(cmFirst + CM('c'));
  });

  it('five PSPs in one release are all removed (#110), whatever their layout', () => {
    const input =
      CM('keep1') +
      PSP('one') +
      '---\nkind: PodSecurityPolicy\napiVersion: policy/v1beta1\nmetadata: {name: two}\n' +
      '---\r\n# Source: x\r\napiVersion: "policy/v1beta1" # c\r\nkind: PodSecurityPolicy\r\nmetadata:\r\n  name: three\r\n' +
      '--- # separator comment\n# Source: chart/templates/four.yaml\nmetadata:\n  name: four\n# between\napiVersion: policy/v1beta1\n# between\nkind: PodSecurityPolicy\n' +
      CM('keep2') +
      "---\napiVersion: 'policy/v1beta1'\nkind: PodSecurityPolicy\nmetadata:\n  name: five"; // no final newline
    const r = rw(input);
    expect(r.findings.map((f) => f.name)).toEqual(['one', 'two', 'three', 'four', 'five']);
    expect(r.findings.every((f) => f.action === 'removed')).toBe(true);
    expect(r.output).toBe(CM('keep1') + CM('keep2'));
  });

  it('adjacent matches and a stream of only matches (PR #86 panic case)', () => {
    expect(rw(PSP('a') + PSP('b')).output).toBe('');
    expect(rw('apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\n---\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy').output).toBe('');
    expect(rw('---\n' + PSP('a') + '---\n').output).toBe('---\n---\n');
  });

  it('reports how many documents are left (a hook whose only document is dropped)', () => {
    const hook = '# Source: chart/templates/hook-psp.yaml\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: h\n  annotations:\n    "helm.sh/hook": pre-install\n';
    const r = rw(hook, '1.25', false, 'hook:h');
    expect(r).toMatchObject({ output: '', changed: true, documentsLeft: 0 });
    expect(r.findings[0].source).toBe('hook:h');
    expect(rw(PSP('a') + CM('b')).documentsLeft).toBe(1);
  });

  it('--- with trailing comments and explicit ... end markers', () => {
    const input = '--- # first\napiVersion: v1\nkind: ConfigMap\n...\n--- # second\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\n...\n--- # third\na: 1\n';
    expect(rw(input).output).toBe('--- # first\napiVersion: v1\nkind: ConfigMap\n...\n--- # third\na: 1\n');
  });

  it('BOM is kept when the first document is dropped', () => {
    const input = '\uFEFFapiVersion: policy/v1beta1\nkind: PodSecurityPolicy\n' + CM('b');
    expect(rw(input).output).toBe('\uFEFF' + CM('b'));
    const renamed = rw('\uFEFF---\napiVersion: batch/v1beta1\nkind: CronJob\n');
    expect(renamed.output).toBe('\uFEFF---\napiVersion: batch/v1\nkind: CronJob\n');
  });

  it('comment-only documents are kept untouched', () => {
    const input = '---\n# Source: chart/templates/empty.yaml\n# nothing rendered\n' + PSP('a') + '---\n# only a comment\n';
    expect(rw(input).output).toBe('---\n# Source: chart/templates/empty.yaml\n# nothing rendered\n---\n# only a comment\n');
  });
});

describe('never acts on text inside another document', () => {
  it('a ConfigMap embedding a PSP manifest (even one with --- inside) stays', () => {
    const cm =
      '---\n# Source: c/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: embedded\ndata:\n  psp.yaml: |\n    ---\n    apiVersion: policy/v1beta1\n    kind: PodSecurityPolicy\n    metadata:\n      name: inner\n  inline: "apiVersion: policy/v1beta1\\nkind: PodSecurityPolicy\\n"\n';
    const r = rw(cm + PSP('outer'));
    expect(r.output).toBe(cm);
    expect(r.findings.map((f) => f.name)).toEqual(['outer']);
  });

  it('a nested object with apiVersion/kind (e.g. a CRD spec) is not a document', () => {
    const input = 'apiVersion: example.com/v1\nkind: Wrapper\nspec:\n  template:\n    apiVersion: policy/v1beta1\n    kind: PodSecurityPolicy\n';
    expect(rw(input).output).toBe(input);
  });
});

describe('kind: List and *List', () => {
  it('renames and removes items individually (CRLF)', () => {
    const input =
      'apiVersion: v1\r\nkind: List\r\nitems:\r\n- apiVersion: policy/v1beta1\r\n  kind: PodSecurityPolicy\r\n  metadata: {name: a}\r\n# between items\r\n- apiVersion: rbac.authorization.k8s.io/v1beta1\r\n  kind: ClusterRole\r\n  metadata: {name: b}\r\n- apiVersion: v1\r\n  kind: ConfigMap\r\n  metadata: {name: c}\r\n- apiVersion: policy/v1beta1\r\n  kind: PodSecurityPolicy\r\n  metadata: {name: d}\r\n';
    const r = rw(input);
    expect(r.output).toBe(
      'apiVersion: v1\r\nkind: List\r\nitems:\r\n- apiVersion: rbac.authorization.k8s.io/v1\r\n  kind: ClusterRole\r\n  metadata: {name: b}\r\n- apiVersion: v1\r\n  kind: ConfigMap\r\n  metadata: {name: c}\r\n',
    );
    expect(r.findings.map((f) => [f.itemIndex, f.name, f.action])).toEqual([
      [0, 'a', 'removed'],
      [1, 'b', 'renamed'],
      [3, 'd', 'removed'],
    ]);
  });

  it('indented items followed by another key', () => {
    const input = 'kind: List\napiVersion: v1\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n  - apiVersion: policy/v1beta1\n    kind: PodSecurityPolicy\nmetadata:\n  resourceVersion: ""\n';
    expect(rw(input).output).toBe('kind: List\napiVersion: v1\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\nmetadata:\n  resourceVersion: ""\n');
  });

  it('all items removed leaves an empty list', () => {
    const input = 'apiVersion: v1\nkind: List\nitems: # the items\n- apiVersion: policy/v1beta1\n  kind: PodSecurityPolicy\n- apiVersion: policy/v1beta1\n  kind: PodSecurityPolicy\nmetadata: {}\n';
    const r = rw(input);
    expect(parse(r.output)).toEqual({ apiVersion: 'v1', kind: 'List', items: [], metadata: {} });
    expect(r.output.startsWith('apiVersion: v1\nkind: List\nitems: # the items\n')).toBe(true);
  });

  it('flow-style items', () => {
    const input = 'apiVersion: v1\nkind: List\nitems: [{apiVersion: policy/v1beta1, kind: PodSecurityPolicy}, {apiVersion: v1, kind: ConfigMap}]\n';
    const r = rw(input);
    expect(parse(r.output).items).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap' }]);
  });

  it('a typed list is renamed or dropped by its own mapping', () => {
    expect(rw('apiVersion: policy/v1beta1\nkind: PodDisruptionBudgetList\nitems: []\n').output).toBe('apiVersion: policy/v1\nkind: PodDisruptionBudgetList\nitems: []\n');
    expect(rw('apiVersion: policy/v1beta1\nkind: PodSecurityPolicyList\nitems:\n- metadata: {name: a}\n' + CM('b')).output).toBe(CM('b'));
  });
});

describe('versions and pre-cleaning', () => {
  it('cluster version v1.25.0-2786+abc-dirty removes PSPs (#111)', () => {
    expect(rw(PSP('a') + CM('b'), 'v1.25.0-2786+abc-dirty').output).toBe(CM('b'));
  });

  it('at 1.24 a PSP is removed only with pre-cleaning, and marked early', () => {
    expect(rw(PSP('a'), '1.24', false)).toMatchObject({ output: PSP('a'), changed: false });
    const r = rw(PSP('a'), '1.24', true);
    expect(r.output).toBe('');
    expect(r.findings[0]).toMatchObject({ early: true, action: 'removed' });
  });
});

describe('errors and hostile input', () => {
  it('non-YAML names source, document index and line', () => {
    const input = CM('a') + CM('b') + '---\napiVersion: policy/v1beta1\nkind: [PodSecurityPolicy\nmetadata: x\n';
    let err: unknown;
    try {
      rw(input, '1.25', false, 'hook:bad-hook');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ManifestParseError);
    const e = err as ManifestParseError;
    expect(e.source).toBe('hook:bad-hook');
    expect(e.docIndex).toBe(2);
    expect(e.line).toBeGreaterThanOrEqual(19);
    expect(e.line).toBeLessThanOrEqual(21);
    expect(e.message).toMatch(/^hook:bad-hook: document 2 \(line \d+\): /);
  });

  it('a YAML bomb is not expanded (finishes, no blow-up)', () => {
    let bomb = 'apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: bomb\na0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 12; i++) bomb += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]\n`;
    const r = rw(CM('x') + '---\n' + bomb);
    expect(r.output).toBe(CM('x'));
    const keep = bomb.replace('policy/v1beta1', 'policy/v1');
    expect(rw(keep).output).toBe(keep);
  });

  it('absurd nesting ends in a ManifestParseError or a result, never a hang or crash', () => {
    const deep = 'apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nspec: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n';
    let outcome: string;
    try {
      outcome = rw(deep).output;
    } catch (e) {
      expect(e).toBeInstanceOf(ManifestParseError);
      outcome = 'error';
    }
    expect(['', 'error']).toContain(outcome);
  });

  it('an empty table changes nothing, even for broken YAML', () => {
    const input = PSP('a') + '---\n: : [\n';
    expect(rw(input, '1.25', false, 'manifest', EMPTY).output).toBe(input);
  });

  it('the output of a real-looking release parses', () => {
    const out = rw(CM('a') + PSP('b') + '---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: i}\n').output;
    expect(parsesCleanly(out)).toBe(true);
    expect(parseAllDocuments(out).map((d) => (d.toJS() as { kind: string }).kind)).toEqual(['ConfigMap', 'Ingress']);
  });
});

it('BUILTIN table is the one under test', () => {
  expect(BUILTIN.lookup('policy/v1beta1', 'PodSecurityPolicy')).toBeDefined();
});

describe('documents shared between rewrites (DocumentCache)', () => {
  const ctx = (documents?: DocumentCache) => ({ table: BUILTIN, target: parseKubeVersion('1.25'), preClean: false, ...(documents ? { documents } : {}) });

  it('parses a document repeated in a later revision once, with the same result as without', () => {
    const documents: DocumentCache = new Map();
    const rev1 = CM('a') + PSP('p') + '---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: i}\n';
    const rev2 = CM('b') + PSP('p') + '---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: j}\n';
    const first = rewriteManifest(rev1, ctx(documents), 'manifest');
    expect(documents.size).toBe(2);
    const pspDoc = documents.get(PSP('p'));
    expect(pspDoc).toBeDefined();
    const second = rewriteManifest(rev2, ctx(documents), 'manifest');
    expect(documents.size).toBe(3); // the second Ingress is new
    expect(documents.get(PSP('p'))).toBe(pspDoc); // the PodSecurityPolicy was found, not parsed again
    expect(first.output).toBe(rewriteManifest(rev1, ctx(), 'manifest').output);
    expect(second.output).toBe(rewriteManifest(rev2, ctx(), 'manifest').output);
    expect(second.findings).toEqual(rewriteManifest(rev2, ctx(), 'manifest').findings);
  });

  it('keeps no document that failed to parse, so each revision reports its own error line', () => {
    const documents: DocumentCache = new Map();
    const broken = '---\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nspec: [\n';
    const errorLine = (text: string) => {
      try {
        rewriteManifest(text, ctx(documents), 'manifest');
      } catch (e) {
        return (e as ManifestParseError).line;
      }
      return 0;
    };
    const alone = errorLine(broken);
    expect(alone).toBeGreaterThan(0);
    // The same document after the ConfigMap's 8 lines: its error is 8 lines further down.
    expect(errorLine(CM('a') + broken)).toBe(alone + 8);
    expect(documents.size).toBe(0);
  });
});

describe('a stream without any deprecated version string', () => {
  it('is returned as is, still counting its documents (the manifest command prints the count)', () => {
    const text = CM('a') + CM('b') + '---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n';
    const r = rw(text);
    expect(r.output).toBe(text);
    expect(r.changed).toBe(false);
    expect(r.documentsLeft).toBe(3);
    expect(JSON.parse(JSON.stringify(r)).documentsLeft).toBe(3);
  });
});
