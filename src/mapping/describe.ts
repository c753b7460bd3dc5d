// The effective table as plain rows (for `mappings` output and for anyone who wants to show
// what would apply at a version). Pure: the caller decides the target and pre-cleaning.
import { applicability } from './gate.js';
import { formatKubeVersion } from './version.js';
import type { ApiRef, KubeVersion, MappingTable } from './types.js';

export interface TableRow {
  id: string;
  apiVersion: string;
  kind: string;
  /** End of the chain, ignoring versions; null = removal. */
  replacement: string | null;
  /** The direct successor as written in the mapfile. */
  next: string | null;
  deprecatedIn: string | null;
  removedIn: string | null;
  replacementAvailableIn: string | null;
  source: string;
  format: string;
  disabled: boolean;
  notes: string[];
  /** Present when a target version was given. */
  at?: {
    kubeVersion: string;
    preClean: boolean;
    applies: boolean;
    early: boolean;
    necessary: boolean;
    /** apiVersion chosen at this version; null = removal; absent when it does not apply. */
    replacement?: string | null;
    via: string[];
    reason: string;
  };
}

const ref = (r: ApiRef | null | undefined): string | null => (r ? (r.kind ? `${r.apiVersion} ${r.kind}` : r.apiVersion) : null);
const ver = (v: KubeVersion | undefined): string | null => (v ? formatKubeVersion(v) : null);

export function describeTable(table: MappingTable, target?: KubeVersion, opts: { preClean: boolean } = { preClean: false }): TableRow[] {
  return table.entries.map((m) => {
    const row: TableRow = {
      id: m.id,
      apiVersion: m.deprecated.apiVersion,
      kind: m.deprecated.kind,
      replacement: ref(m.replacement),
      next: ref(m.next === undefined ? m.replacement : m.next),
      deprecatedIn: ver(m.deprecatedIn),
      removedIn: ver(m.removedIn),
      replacementAvailableIn: ver(m.replacementAvailableIn),
      source: m.source,
      format: m.format ?? 'psa-clean',
      disabled: !!m.disabled,
      notes: m.notes,
    };
    if (target) {
      const a = applicability(m, target, opts);
      row.at = {
        kubeVersion: formatKubeVersion(target),
        preClean: opts.preClean,
        applies: a.applies,
        early: a.early,
        necessary: !!a.necessary,
        ...(a.applies ? { replacement: ref(a.replacement ?? null) } : {}),
        via: a.via ?? [m.id],
        reason: a.reason,
      };
    }
    return row;
  });
}
