import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse, stringify } from 'yaml';
import { renderText, summaryLine, targetLine } from '../../src/report/text.js';
import { jsonChunks, machineDocument, renderJson, renderYaml } from '../../src/report/machine.js';
import { cleanExitCode } from '../../src/report/exit-code.js';
import { progressReporter, progressText } from '../../src/report/progress.js';
import { emptyOutcome, summarize, type CleanReport, type CleanRunResult, type ReleaseOutcome } from '../../src/report/model.js';
import type { DiffArgs, RenderOptions } from '../../src/report/render-types.js';
import { REPO_ROOT } from '../helpers/paths.js';

const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'clean-output.schema.json'), 'utf8'));
const validate = new (Ajv as unknown as typeof Ajv.default)({ allErrors: true, strict: true }).compile(schema);

const calls: DiffArgs[] = [];
const fakeDiff = (a: DiffArgs) => {
  calls.push(a);
  return `--- ${a.oldLabel}\n+++ ${a.newLabel}\n@@ fake @@\n`;
};

function changed(): ReleaseOutcome {
  const r = emptyOutcome('ns1', 'web');
  Object.assign(r, {
    status: 'changed', latestRevision: 2, chosenRevision: 2, chosenReason: 'latest revision 2 is deployed', newRevision: 3,
    supersededRevisions: [2], rollbackBlockedRevisions: [1, 2], warnings: ['helm rollback to revisions 1, 2 will fail'],
    findings: [{ source: 'manifest', revision: 2, kind: 'PodSecurityPolicy', name: 'web-psp', namespace: '', oldApiVersion: 'policy/v1beta1', newApiVersion: null, action: 'removed', early: false, warnings: [] }],
    psp: [{ name: 'web-psp', level: 'baseline', reasons: ['hostPorts: allows host ports'] }],
    changes: [{ revision: 3, source: 'manifest', before: 'SECRET-BEFORE', after: 'SECRET-AFTER', newRevision: true }],
  });
  return r;
}

function result(dryRun: boolean, releases: ReleaseOutcome[]): CleanRunResult {
  return { target: { version: 'v1.25.16', source: 'cluster', preClean: false }, dryRun, driver: 'secret', releases, summary: summarize(releases) };
}

function mixed(): ReleaseOutcome[] {
  const u = emptyOutcome('ns1', 'api');
  u.chosenRevision = 1;
  const s = emptyOutcome('ns2', 'pending');
  s.status = 'skipped';
  s.skippedReason = 'latest revision 2 is pending-upgrade';
  const e = emptyOutcome('ns3', null);
  e.status = 'error';
  e.error = 'listing secrets in namespace "ns3" is forbidden';
  return [changed(), u, s, e];
}

const ropts = (diffs: boolean): RenderOptions => ({ renderDiff: fakeDiff, color: false, showSecrets: false, diffs });

describe('text report', () => {
  it('dry run: header, findings, PSS level, diff, plan lines and the Plan: summary', () => {
    const out = renderText(result(true, mixed()), ropts(true));
    expect(out.split('\n')[0]).toBe("Target Kubernetes version: v1.25.16 (from the cluster's /version)");
    expect(out).toContain('removed  policy/v1beta1 PodSecurityPolicy "web-psp"');
    expect(out).toContain('PodSecurityPolicy "web-psp" -> Pod Security Standards level baseline (details: helm psa-clean audit -n ns1)');
    expect(out).toContain('helm psa-clean audit');
    expect(out).toContain('--- a/ns1/web/revision-2/manifest\n+++ b/ns1/web/revision-3/manifest');
    expect(out).toContain('ns1/web: would write revision 3 (deployed) from revision 2; would mark revision 2 superseded');
    expect(out).toContain('ns2/pending: skipped: latest revision 2 is pending-upgrade');
    expect(out).toContain('ns3: error: listing secrets');
    expect(out.trimEnd().split('\n').at(-1)).toBe('Plan: 1 release to update, 1 unchanged, 1 skipped, 1 error');
    expect(out).not.toContain('SECRET-');
  });

  it('applied run: Done: summary and backup hint, no diff', () => {
    const r = result(false, [changed()]);
    r.backupDir = '/tmp/bk';
    calls.length = 0;
    const out = renderText(r, ropts(false));
    expect(calls).toEqual([]);
    expect(out).toContain('ns1/web: wrote revision 3 (deployed) from revision 2; marked revision 2 superseded');
    expect(out).toContain('helm psa-clean restore /tmp/bk');
    expect(summaryLine(r)).toBe('Done: 1 release updated, 0 unchanged, 0 skipped, 0 errors');
  });

  it('a note shared by many findings is printed once, after the releases; json keeps it on every finding', () => {
    const note = 'PodSecurityPolicy has no successor: label namespaces for Pod Security Admission';
    const ingress = 'Ingress networking.k8s.io/v1: spec.backend is spec.defaultBackend';
    const withNotes = (ns: string, name: string, notes: string[][]) => {
      const r = Object.assign(changed(), { namespace: ns, name });
      r.findings = notes.map((w, i) => ({ ...r.findings[0], name: `${name}-${i}`, warnings: w }));
      return r;
    };
    const rs = [
      withNotes('ns1', 'a', [[note], [note]]),
      withNotes('ns2', 'b', [[note]]),
      withNotes('ns3', 'c', [[ingress]]),
    ];
    rs[2].findings[0] = { ...rs[2].findings[0], kind: 'Ingress', oldApiVersion: 'extensions/v1beta1', newApiVersion: 'networking.k8s.io/v1', action: 'renamed' };
    const out = renderText(result(true, rs), ropts(true));
    expect(out.split(note).length - 1).toBe(1);
    expect(out.split(ingress).length - 1).toBe(1);
    expect(out.split('(manifest, revision 2; no successor API) [note 1]\n').length - 1).toBe(3);
    expect(out).toContain('"c-0" (manifest, revision 2) [note 2]\n');
    const notesAt = out.indexOf('Notes (each applies to every finding of the APIs it names):\n');
    expect(notesAt).toBeGreaterThan(out.lastIndexOf('ns3/c: would write'));
    expect(out.slice(notesAt)).toContain(`  [note 1] policy/v1beta1 PodSecurityPolicy: ${note}\n  [note 2] extensions/v1beta1 Ingress: ${ingress}\n`);
    expect(notesAt).toBeLessThan(out.indexOf('Plan: '));
    const doc = JSON.parse(renderJson(result(true, rs), ropts(true)));
    expect(doc.releases.flatMap((r: { findings: Array<{ warnings: string[] }> }) => r.findings.map((f) => f.warnings))).toEqual([[note], [note], [note], [ingress]]);
  });

  it('--summary: per release the plan line and its PSP level lines, then the notes and totals; no findings, diffs or warnings', () => {
    const note = 'PodSecurityPolicy has no successor';
    const web = changed();
    web.findings[0].warnings = [note];
    const rs = [web, ...mixed().slice(1)];
    calls.length = 0;
    const out = renderText(result(true, rs), { ...ropts(false), summary: true });
    expect(calls).toEqual([]);
    expect(out).toBe([
      "Target Kubernetes version: v1.25.16 (from the cluster's /version)",
      'Storage driver: secret (dry run: nothing is written)',
      '',
      'ns1/web: would write revision 3 (deployed) from revision 2; would mark revision 2 superseded',
      '  PodSecurityPolicy "web-psp" -> Pod Security Standards level baseline (details: helm psa-clean audit -n ns1)',
      'ns1/api: unchanged (revision 1 names no API the target removed)',
      'ns2/pending: skipped: latest revision 2 is pending-upgrade',
      'ns3: error: listing secrets in namespace "ns3" is forbidden',
      '',
      'Notes (each applies to every finding of the APIs it names):',
      `  [note 1] policy/v1beta1 PodSecurityPolicy: ${note}`,
      '',
      '1 release with warnings not shown by --summary (run without it, or with -o json).',
      'Errors:',
      '  ns3: listing secrets in namespace "ns3" is forbidden',
      'Plan: 1 release to update, 1 unchanged, 1 skipped, 1 error',
      '',
    ].join('\n'));
  });

  it('names where the target came from', () => {
    expect(targetLine({ version: '1.25', source: 'flag', preClean: true })).toContain('from --kube-version; pre-clean');
  });
});

describe('machine report', () => {
  it('json validates against the shipped schema (dry run with diffs, and applied)', () => {
    for (const dry of [true, false]) {
      const doc = JSON.parse(renderJson(result(dry, mixed()), ropts(dry)));
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
      expect(doc.summary).toEqual({ total: 4, changed: 1, unchanged: 1, skipped: 1, errors: 1 });
      expect(doc.releases[0].diffs !== undefined).toBe(dry);
    }
  });

  it('the schema rejects a malformed document (so the validation can fail)', () => {
    const doc = JSON.parse(renderJson(result(false, mixed()), ropts(false)));
    doc.releases[0].status = 'done';
    expect(validate(doc)).toBe(false);
    delete doc.summary;
    expect(validate(doc)).toBe(false);
  });

  it('diffs are rendered without colour and with the redaction setting', () => {
    calls.length = 0;
    renderJson(result(true, [changed()]), { ...ropts(true), color: true, showSecrets: false });
    expect(calls.map((c) => [c.color, c.showSecrets])).toEqual([[false, false]]);
  });

  it('yaml carries the same document', () => {
    const r = result(true, mixed());
    expect(parse(renderYaml(r, ropts(true)))).toEqual(JSON.parse(renderJson(r, ropts(true))));
  });
});

describe('reports written release by release', () => {
  // A diff with the shapes YAML and JSON treat specially: blank lines, leading spaces,
  // quotes, a colon, a trailing space, non-ASCII, and the characters a regex takes for line
  // ends (U+2028/U+2029, a lone CR) that YAML and JSON write raw or escaped.
  const trickyDiff = () => '--- a/x\n+++ b/x\n@@ -1,4 +1,3 @@\n context: "quoted" \n\n-  indented\n+ü\u2028x\u2029y\rz\n';
  const withTrickyDiff = (): ReleaseOutcome[] => {
    const rs = mixed();
    rs.push(Object.assign(changed(), { namespace: 'ns4', name: 'second' }));
    return rs;
  };
  const opts = (): RenderOptions => ({ ...ropts(true), renderDiff: trickyDiff });
  /** The releases as a one-pass-at-a-time sequence, as the CLI hands them over. */
  const lazily = (r: CleanRunResult): CleanReport => ({ ...r, releases: { [Symbol.iterator]: () => r.releases.values() } });

  it('json: the same bytes as serialising the whole document at once', () => {
    for (const releases of [withTrickyDiff(), [changed()], []]) {
      for (const dry of [true, false]) {
        const r = result(dry, releases);
        const whole = JSON.stringify(machineDocument(r, opts()), null, 2) + '\n';
        expect(renderJson(lazily(r), opts())).toBe(whole);
      }
    }
  });

  it('yaml: the same bytes as serialising the whole document at once', () => {
    for (const releases of [withTrickyDiff(), [changed()], []]) {
      const r = result(true, releases);
      const whole = stringify(machineDocument(r, opts()), { lineWidth: 0 });
      expect(renderYaml(lazily(r), opts())).toBe(whole);
      expect(parse(renderYaml(lazily(r), opts()))).toEqual(JSON.parse(renderJson(r, opts())));
    }
  });

  it('json is written in pieces, one release per piece', () => {
    const pieces: string[] = [];
    for (const c of jsonChunks(lazily(result(true, withTrickyDiff())), opts())) pieces.push(c);
    expect(pieces.length).toBe(withTrickyDiff().length + 1);
  });

  it('text: reads the sequence again for each part and ends with the summary', () => {
    const r = result(true, withTrickyDiff());
    const out = renderText(lazily(r), opts());
    expect(out).toBe(renderText(r, opts()));
    expect(out.indexOf('ns1/web:\n')).toBeLessThan(out.indexOf('ns1/web: would write'));
    expect(out).toContain('Errors:\n  ns3: listing secrets');
    expect(out.endsWith('Plan: 2 releases to update, 1 unchanged, 1 skipped, 1 error\n')).toBe(true);
  });
});

describe('exit codes', () => {
  const mk = (statuses: ReleaseOutcome['status'][]) => result(false, statuses.map((s, i) => Object.assign(emptyOutcome('ns', `r${i}`), { status: s })));
  it.each([
    [['unchanged'], false, 0], [['unchanged'], true, 0],
    [['changed'], false, 0], [['changed'], true, 2],
    [['changed', 'error'], false, 1], [['changed', 'error'], true, 1],
    [['skipped'], true, 0], [[], true, 0],
  ] as const)('%j detailed=%s -> %i', (statuses, detailed, code) => {
    expect(cleanExitCode(mk([...statuses]), detailed)).toBe(code);
  });
  it('an interrupted run is an error', () => {
    const r = mk(['changed']);
    r.interrupted = 'timeout';
    expect(cleanExitCode(r, true)).toBe(1);
  });
});

describe('progress', () => {
  it('writes only to a TTY', () => {
    let written = '';
    const tty = { isTTY: true, write: (s: string) => ((written += s), true) } as never;
    const p = progressReporter(tty, false);
    p.update({ done: 1, total: 3, changed: 1, errors: 0 });
    expect(written).toContain('1/3 releases, 1 updated, 0 errors');
    let piped = '';
    const q = progressReporter({ isTTY: false, write: (s: string) => ((piped += s), true) } as never, false);
    q.update({ done: 1, total: 3, changed: 1, errors: 0 });
    q.end();
    expect(piped).toBe('');
    expect(progressText({ done: 0, total: 0, changed: 0, errors: 0 }, true)).toContain('to update');
  });
});
