// The audit report: its shape (stable for -o json|yaml) and its renderings. Pure.
import { stringify } from 'yaml';
import type { PssLevel, Reading } from './levels.js';
import type { NamespaceSuggestion } from './namespaces.js';
import { RANCHER_PSP_HINT } from './rancher.js';

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
  /** "manifest" or "hook <index>". */
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

export interface AuditReport {
  /** The reading behind namespaces[].suggested. */
  reading: Reading;
  kubeVersion: string | null;
  /** With --rancher: the exemption list used. */
  rancher: { version: string; source: string } | null;
  policies: PolicyReport[];
  namespaces: NamespaceSuggestion[];
  rancherPspValues: RancherPspValue[];
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

function currentText(c: Record<string, string> | null): string {
  if (c === null) return '(unknown)';
  const parts = Object.entries(c).map(([k, v]) => `${k.replace('pod-security.kubernetes.io/', '')}=${v}`);
  return parts.length ? parts.join(',') : '(none)';
}

export function renderText(r: AuditReport): string {
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
    }
  }
  if (r.namespaces.length > 0) {
    out.push('', `Namespaces (suggested level: most permissive PSP usable there, ${r.reading} reading):`);
    const rows = [['NAMESPACE', 'SUGGESTED', 'STRICT', 'PRACTICAL', 'CURRENT', 'POLICIES']];
    for (const n of r.namespaces) {
      rows.push([n.name, n.exempt ? 'exempt' : n.suggested, n.strict, n.practical, currentText(n.current), n.policies.join(',')]);
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
  if (r.rancherPspValues.length > 0) {
    out.push('', 'Releases whose values set global.cattle.psp.enabled=true (Rancher charts render PSPs again on upgrade):');
    for (const v of r.rancherPspValues) out.push(`  ${v.namespace}/${v.release}: ${v.hint}`);
  }
  if (r.warnings.length > 0) {
    out.push('', 'Warnings:');
    for (const w of r.warnings) out.push(`  ! ${w}`);
  }
  // Names come from manifests that may be hostile: no terminal control sequences on a TTY.
  // eslint-disable-next-line no-control-regex
  return out.join('\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '?') + '\n';
}

export function renderReport(r: AuditReport, format: OutputFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(r, null, 2) + '\n';
    case 'yaml':
      return stringify(r, { aliasDuplicateObjects: false });
    default:
      return renderText(r);
  }
}
