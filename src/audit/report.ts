// The audit report: its shape (stable for -o json|yaml) and its renderings. Pure.
import { stringify } from 'yaml';
import type { PssLevel, Reading } from './levels.js';
import { workloadLabel, type NamespaceSuggestion } from './namespaces.js';
import { RANCHER_PSP_HINT } from './rancher.js';
import type { Workload } from './workloads.js';
import type { AllWorkloads } from './workload-list.js';
import { WorkloadGroups } from './workload-groups.js';
import { forbiddenDetail } from '../pss/index.js';
import type { Violation } from '../pss/index.js';

export interface ReportReason {
  field: string;
  level: PssLevel;
  detail: string;
  /** Readings under which this rule raises the level (the practical reading relaxes two rules). */
  readings: Reading[];
}

export interface UsedBy {
  kind: 'ServiceAccount' | 'Group' | 'User';
  /** ServiceAccount namespace; null for groups and users. */
  namespace: string | null;
  name: string;
  /** The binding that grants `use`, e.g. "RoleBinding apps/web-psp" or "ClusterRoleBinding web-psp". */
  via: string;
  governs: string[];
  /** False for users and groups a pod's service account cannot be in: not counted for namespace levels. */
  podServiceAccounts: boolean;
}

export interface PolicyReport {
  name: string;
  apiVersion: string;
  /** Release whose stored manifest holds the PSP; null for --manifest input without a release. */
  release: string | null;
  namespace: string | null;
  /** "manifest", "hook:<Kind>/<name>" (stored hooks), or "hook <index>" (hooks given without a name). */
  source: string;
  strict: PssLevel;
  practical: PssLevel;
  reasons: ReportReason[];
  /** What the practical reading assumed. */
  warnings: string[];
  usedBy: UsedBy[];
  /** Namespaces whose pods could use it through their service account; `*` = every namespace. */
  governs: string[];
}

export interface RancherPspValue {
  namespace: string;
  release: string;
  hint: string;
}

/** With --live: running pods by the PodSecurityPolicy that admitted them. */
export interface LiveSummary {
  pods: number;
  /** One entry per `kubernetes.io/psp` value (null: pods without it). */
  admittedBy: Array<{ psp: string | null; pods: number; namespaces: string[] }>;
}

export interface AuditReport {
  /** The reading behind namespaces[].suggested. */
  reading: Reading;
  kubeVersion: string | null;
  /** Policy version the workloads were evaluated at and the `*-version` labels pin. */
  pssVersion: string;
  /** With --rancher: the exemption list used. */
  rancher: { version: string; source: string } | null;
  policies: PolicyReport[];
  namespaces: NamespaceSuggestion[];
  rancherPspValues: RancherPspValue[];
  /** With --live, else null. */
  live?: LiveSummary | null;
  /** Every workload evaluated; iterated once per rendering, never held as one large array by the renderers. */
  workloads: AllWorkloads;
  warnings: string[];
}

export type OutputFormat = 'text' | 'json' | 'yaml';

export function rancherHint(namespace: string, release: string): string {
  return `helm upgrade ${release} <chart> -n ${namespace} --reuse-values ${RANCHER_PSP_HINT}`;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i]))).join('  ').trimEnd());
}

/** Current labels as `mode=level[:version]`; `all=level:version` when the three modes agree. */
function currentText(c: Record<string, string> | null): string {
  if (c === null) return '(unknown)';
  const get = (k: string) => c[`pod-security.kubernetes.io/${k}`];
  const mode = (m: string) => (get(m) === undefined ? undefined : `${get(m)}${get(`${m}-version`) ? `:${get(`${m}-version`)}` : ''}`);
  const modes = ['enforce', 'audit', 'warn'].map((m) => [m, mode(m)] as const);
  const others = Object.keys(c).filter((k) => !/^pod-security\.kubernetes\.io\/(enforce|audit|warn)(-version)?$/.test(k));
  const parts = modes[0][1] !== undefined && modes.every(([, v]) => v === modes[0][1]) ? [`all=${modes[0][1]}`] : modes.filter(([, v]) => v !== undefined).map(([m, v]) => `${m}=${v}`);
  for (const k of others) parts.push(`${k.replace('pod-security.kubernetes.io/', '')}=${c[k]}`);
  return parts.length ? parts.join(',') : '(none)';
}

/** Names come from manifests that may be hostile: no terminal control sequences on a TTY. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '?');
}

/** The text report: the summary (policies, namespaces, commands, warnings), then the workload details line by line. */
export function* renderTextChunks(r: AuditReport): Generator<string> {
  yield* renderSummary(r);
  for (const line of workloadDetails(r)) yield printable(line) + '\n';
}

export function renderText(r: AuditReport): string {
  return [...renderTextChunks(r)].join('');
}

/**
 * The summary, written a policy at a time: at 10,000 releases its policies alone are megabytes
 * of text, joined and then copied by printable() at the run's peak when made whole.
 */
function* renderSummary(r: AuditReport): Generator<string> {
  const out: string[] = [];
  if (r.policies.length === 0) {
    out.push('No PodSecurityPolicy found in the audited manifests.');
  } else {
    out.push(`PodSecurityPolicies (${r.policies.length}):`);
    for (const p of r.policies) {
      const where = p.release ? `release ${p.namespace}/${p.release}, ${p.source}` : p.source;
      out.push('', `  ${p.name} (${where})`);
      out.push(`    strict: ${p.strict}   practical: ${p.practical}`);
      for (const x of p.reasons) {
        const only = x.readings.length === 1 ? ` (${x.readings[0]} only)` : '';
        out.push(`    - ${x.field} -> ${x.level}${only}: ${x.detail}`);
      }
      if (p.reasons.length === 0) out.push('    - nothing raises it above restricted');
      for (const w of p.warnings) out.push(`    ! ${w}`);
      if (p.usedBy.length === 0) out.push('    used by: no binding in the audited objects grants "use"');
      for (const u of p.usedBy) {
        const who = u.kind === 'ServiceAccount' ? `ServiceAccount ${u.namespace ?? '?'}/${u.name}` : `${u.kind} ${u.name}`;
        const direct = u.podServiceAccounts ? '' : ' (only pods this subject creates directly; not counted for namespace levels)';
        out.push(`    used by: ${who} via ${u.via} -> ${u.governs.join(', ') || '(none)'}${direct}`);
      }
      yield* drained(out);
    }
  }
  if (r.namespaces.length > 0) {
    out.push('', `Namespaces (policy version ${r.pssVersion}; enforce: the strictest level that admits the PSPs usable there, ${r.reading} reading, and every workload found there):`);
    const rows = [['NAMESPACE', 'ENFORCE', 'WARN/AUDIT', 'PSP-LEVEL', 'WORKLOADS', 'BELOW-RESTRICTED', 'CURRENT', 'POLICIES']];
    const below = belowRestrictedCounts(r);
    for (const n of r.namespaces) {
      rows.push([
        n.name, n.exempt ? 'exempt' : n.enforce, n.exempt ? '-' : n.warn === n.audit ? n.warn : `${n.warn}/${n.audit}`, n.pspLevel,
        String(n.workloads), String(below.get(n.name) ?? 0), currentText(n.current), n.policies.join(',') || '-',
      ]);
    }
    out.push(...table(rows).map((l) => `  ${l}`));
    const cmds = r.namespaces.filter((n) => n.command && !n.upToDate);
    if (cmds.length > 0) {
      out.push('', 'Commands to label the namespaces (printed, not run):');
      for (const n of cmds) out.push(`  ${n.command}`);
    }
    const done = r.namespaces.filter((n) => n.upToDate && !n.exempt);
    if (done.length > 0) out.push('', `Already labelled as suggested: ${done.map((n) => n.name).join(', ')}`);
    const exempt = r.namespaces.filter((n) => n.exempt);
    if (exempt.length > 0 && r.rancher) {
      out.push('', `Exempt in Rancher's rancher-restricted template (${r.rancher.version}), not labelled: ${exempt.map((n) => n.name).join(', ')}`);
    }
    const bad = r.namespaces.filter((n) => !n.exempt && n.command === null);
    if (bad.length > 0) out.push('', `Not valid namespace names, no command printed: ${bad.map((n) => JSON.stringify(n.name)).join(', ')}`);
    if (r.namespaces.some((n) => n.current === null)) {
      out.push('', 'Current labels unknown (namespaces not readable, or offline input).');
    }
  }
  if (r.live) {
    out.push('', `Running pods (${r.live.pods}) by the PodSecurityPolicy that admitted them (kubernetes.io/psp):`);
    for (const a of r.live.admittedBy) out.push(`  ${a.psp ?? '(no annotation)'}: ${a.pods} pod${a.pods === 1 ? '' : 's'} in ${a.namespaces.join(', ')}`);
  }
  if (r.rancherPspValues.length > 0) {
    out.push('', 'Releases whose values set global.cattle.psp.enabled=true (Rancher charts render PSPs again on upgrade):');
    for (const v of r.rancherPspValues) out.push(`  ${v.namespace}/${v.release}: ${v.hint}`);
  }
  if (r.warnings.length > 0) {
    out.push('', 'Warnings:');
    for (const w of r.warnings) out.push(`  ! ${w}`);
  }
  yield* drained(out);
}

/** The lines gathered so far, each ending in a newline (what joining the whole summary wrote), and none kept. */
function* drained(lines: string[]): Generator<string> {
  if (lines.length === 0) return;
  yield printable(lines.join('\n')) + '\n';
  lines.length = 0;
}

function belowRestrictedCounts(r: AuditReport): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of r.workloads) if (!passesRestricted(w)) m.set(w.namespace, (m.get(w.namespace) ?? 0) + 1);
  return m;
}

function passesRestricted(w: Workload): boolean {
  return w.strictest === 'restricted' && (!w.pods || w.pods.strictest === 'restricted');
}


/** On a large cluster the text names this many workloads per line or group; -o json names all. */
const LIMITED_SHOWN = 10;
const GROUP_SHOWN = 20;

function capped(names: string[], n: number): string[] {
  return names.length > n ? [...names.slice(0, n), `... and ${names.length - n} more`] : names;
}

function wouldViolate(level: 'baseline' | 'restricted', version: string, v: Violation[]): string {
  return `would violate PodSecurity "${level}:${version}": ${forbiddenDetail(v)}`;
}

function podsText(w: Workload): string {
  if (!w.pods) return '';
  const by = Object.entries(w.pods.psp).map(([psp, n]) => `${psp || '(no psp annotation)'} x${n}`).join(', ');
  return `; running pods: ${w.pods.count} (admitted by ${by})${w.pods.strictest === w.strictest ? '' : `, evaluated ${w.pods.strictest ?? 'not evaluable'}`}`;
}

/**
 * Details after the summary, per namespace: the workloads below restricted, those that share
 * one evaluation printed under it once (a chart installed 300 times is one paragraph).
 */
function* workloadDetails(r: AuditReport): Generator<string> {
  const groups = new WorkloadGroups(GROUP_SHOWN);
  for (const { workload: w, list, index } of r.workloads.held()) {
    if (!passesRestricted(w)) groups.add(w, w.violations, list, index);
  }
  const namespaces = groups.namespaces();
  if (namespaces.length === 0) return;
  yield '';
  yield `Workloads below restricted, by namespace (policy version ${r.pssVersion}):`;
  const verdicts = new Map(r.namespaces.map((n) => [n.name, n]));
  for (const ns of namespaces) {
    const n = verdicts.get(ns);
    yield '';
    yield `  ${ns}${n ? `: enforce ${n.enforce}, warn/audit ${n.warn}` : ''}`;
    if (n && n.limitedBy.length > 0) {
      // `workloads` makes its names on each read: read once per group.
      const names = n.limitedBy.map((l) => l.workloads);
      const count = names.reduce((k, w) => k + w.length, 0);
      yield `    held below its PSP level (${n.pspLevel}) by ${count} workload${count === 1 ? '' : 's'}:`;
      for (const [i, l] of n.limitedBy.entries()) yield `      ${l.level ?? 'not evaluable'}, fails ${l.checks.join(', ')}: ${capped(names[i], LIMITED_SHOWN).join(', ')}`;
    }
    for (const { shown, count } of groups.groupsOf(ns)) {
      const w0 = shown[0];
      if (w0.error !== undefined) yield `    not evaluable (counted as needing privileged): ${w0.error}`;
      else {
        // The words the API server will print in warn mode, per level.
        if (w0.violations.baseline.length > 0) yield `    ${wouldViolate('baseline', r.pssVersion, w0.violations.baseline)}`;
        yield `    ${wouldViolate('restricted', r.pssVersion, w0.violations.restricted)}`;
      }
      for (const w of shown) yield `      ${workloadLabel(w)}${w.psp ? `; admitted by ${w.psp}` : ''}${podsText(w)}`;
      if (count > GROUP_SHOWN) yield `      ... and ${count - GROUP_SHOWN} more (-o json lists every workload)`;
    }
  }
}

/**
 * JSON of the report, key by key in the report's order, with the namespaces and the workloads
 * written one entry at a time: on a large cluster each is a list as long as the cluster.
 * Same bytes as JSON.stringify(report, null, 2).
 */
function* jsonChunks(r: AuditReport): Generator<string> {
  const indent = (s: string, by: string) => s.replace(/\n/g, `\n${by}`);
  const fields: Array<[string, unknown]> = [
    ['reading', r.reading], ['kubeVersion', r.kubeVersion], ['pssVersion', r.pssVersion], ['rancher', r.rancher],
    ['policies', r.policies], ['namespaces', r.namespaces], ['rancherPspValues', r.rancherPspValues],
    ['live', r.live ?? null], ['workloads', r.workloads], ['warnings', r.warnings],
  ];
  yield '{';
  let firstField = true;
  for (const [key, value] of fields) {
    yield `${firstField ? '' : ','}\n  ${JSON.stringify(key)}: `;
    firstField = false;
    // Every list is written entry by entry: at 10,000 releases the policies alone are 5.5 MB
    // of JSON, made twice (stringify, indent) at the run's peak when written whole.
    if (key !== 'workloads' && !Array.isArray(value)) {
      yield indent(JSON.stringify(value, null, 2), '  ');
      continue;
    }
    let first = true;
    const item = key === 'workloads' ? workloadJson(new WeakMap()) : (x: unknown) => indent(JSON.stringify(x, null, 2) ?? 'null', '    ');
    for (const x of value as Iterable<unknown>) {
      yield `${first ? '[' : ','}\n    ${item(x)}`;
      first = false;
    }
    yield first ? '[]' : '\n  ]';
  }
  yield '\n}\n';
}

/**
 * One workload as JSON.stringify(w, null, 2) indented by four spaces would write it, with the
 * text of its violations made once per shared evaluation (ResultPool): 200,000 workloads of
 * one chart are mostly that text, and writing it anew for each made the audit's JSON the
 * largest allocation of the run (issue 14 "Speed": memory at 10,000 releases).
 */
function workloadJson(cache: WeakMap<object, string>): (w: unknown) => string {
  const at = (v: unknown, by: string) => JSON.stringify(v, null, 2).replace(/\n/g, `\n${by}`);
  return (x: unknown): string => {
    const w = x as Record<string, unknown>;
    let out = '{';
    let first = true;
    for (const k of Object.keys(w)) {
      const v = w[k];
      // Keys JSON.stringify leaves out.
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      let text: string | undefined;
      if (k === 'violations' && v !== null && typeof v === 'object') {
        text = cache.get(v);
        if (text === undefined) cache.set(v, (text = at(v, '      ')));
      } else text = at(v, '      ');
      out += `${first ? '' : ','}\n      ${JSON.stringify(k)}: ${text}`;
      first = false;
    }
    return first ? '{}' : `${out}\n    }`;
  };
}

const YAML_OPTIONS = { aliasDuplicateObjects: false } as const;

/**
 * YAML of the report, key by key, with every list written one entry at a time: the same
 * bytes as stringify() of the whole report, which at 2000 bench releases built a document
 * of 40,000 workloads (556 MB peak RSS, 16 s; the JSON takes 130 MB). Each entry is written
 * as the only item of its key's list (`key:` then `  - ...`), so it has the indentation, and
 * so the line folding and quoting, it has in the whole document; the `key:` line is kept
 * for the first entry only.
 */
function* yamlChunks(r: AuditReport): Generator<string> {
  // The key order of the document stringify() was given: the report's keys, then `live` if
  // the report has none.
  const whole: Record<string, unknown> = { ...r, live: r.live ?? null, workloads: r.workloads, warnings: r.warnings };
  for (const [key, value] of Object.entries(whole)) {
    const items = key === 'workloads' ? (value as Iterable<unknown>) : Array.isArray(value) ? value : undefined;
    if (items === undefined) {
      yield stringify({ [key]: value }, YAML_OPTIONS);
      continue;
    }
    let first = true;
    const entry = key === 'workloads' ? workloadYaml(new WeakMap()) : (x: unknown) => stringify({ [key]: [x] }, YAML_OPTIONS);
    for (const item of items) {
      const text = entry(item);
      yield first ? text : text.slice(text.indexOf('\n') + 1);
      first = false;
    }
    if (first) yield stringify({ [key]: [] }, YAML_OPTIONS);
  }
}

/** Stands in for a workload's violations while the rest of the workload is written. */
const VIOLATIONS_MARK = 'psa-clean-violations-here';

/**
 * `stringify({ workloads: [w] })`, with the YAML of the violations made once per shared
 * evaluation (ResultPool), as the JSON does: they are most of a workload's text, and writing
 * them anew for each of 40,000 workloads took most of the YAML report's 16 s.
 */
function workloadYaml(cache: WeakMap<object, string>): (w: unknown) => string {
  // A workload's keys sit at indent 4 under `workloads:` and `- `; a multi-line name or error
  // would be indented deeper, so this line can only be the stand-in.
  const markLine = `\n    violations: ${VIOLATIONS_MARK}\n`;
  return (x: unknown): string => {
    const w = x as Workload;
    let body = cache.get(w.violations);
    if (body === undefined) {
      // The lines under `violations:` at the same indentation, so folded the same way.
      const t = stringify({ workloads: [{ violations: w.violations }] }, YAML_OPTIONS);
      body = t.slice(t.indexOf('\n', t.indexOf('violations:')) + 1);
      cache.set(w.violations, body);
    }
    const text = stringify({ workloads: [{ ...w, violations: VIOLATIONS_MARK }] }, YAML_OPTIONS);
    const at = text.indexOf(markLine);
    return text.slice(0, at) + `\n    violations:\n${body}` + text.slice(at + markLine.length);
  };
}

export function* renderReportChunks(r: AuditReport, format: OutputFormat): Generator<string> {
  switch (format) {
    case 'json':
      yield* jsonChunks(r);
      return;
    case 'yaml':
      yield* yamlChunks(r);
      return;
    default:
      yield* renderTextChunks(r);
  }
}

export function renderReport(r: AuditReport, format: OutputFormat): string {
  return [...renderReportChunks(r, format)].join('');
}
