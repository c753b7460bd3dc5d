// Per namespace: the Pod Security Admission levels to label it with, the labels it carries
// now, and the kubectl command that sets the suggestion. Commands are printed, never run.
//
// enforce = the strictest level that admits both everything the PSPs usable there admitted
// (psp-to-pss.md §4: the most permissive of them) and every workload found there; warn and
// audit go one level stricter when something there fails that level (the Kubernetes
// migration guide: enforce what passes, warn and audit what you are moving towards).
import { LEVELS, levelRank, maxLevel, type PssLevel, type Reading } from './levels.js';
import { ALL_NAMESPACES } from './rbac.js';
import type { Workload } from './workloads.js';
import { WorkloadRefs, type HeldWorkload } from './workload-list.js';

export const PSA_LABEL_PREFIX = 'pod-security.kubernetes.io/';
export const PSA_MODES = ['enforce', 'audit', 'warn'] as const;
export type PsaMode = (typeof PSA_MODES)[number];

/**
 * Workloads that keep the namespace below the level its PSPs allow, grouped by the checks they
 * fail there (a chart installed many times is one entry).
 */
export interface LimitingWorkloads {
  /** Their level (running pods included); null when they could not be evaluated. */
  level: PssLevel | null;
  /** Check IDs they fail at the PSP-derived level ("not evaluable" when they could not be evaluated). */
  checks: string[];
  /** "<release>: <Kind> <name> (<source>)", release left out for live pods and offline input. */
  workloads: string[];
}

/** How a workload is named in verdicts and text. */
export function workloadLabel(w: Pick<Workload, 'release' | 'kind' | 'name' | 'source'>): string {
  return `${w.release ? `${w.release}: ` : ''}${w.kind} ${w.name} (${w.source})`;
}

export interface PolicyLevels {
  name: string;
  strict: PssLevel;
  practical: PssLevel;
  /** Namespaces it governs; `*` = every namespace. */
  governs: string[];
}

export interface NamespaceSuggestion {
  name: string;
  /** The level for the chosen reading. */
  suggested: PssLevel;
  strict: PssLevel;
  practical: PssLevel;
  /** PSPs usable in this namespace, by name. */
  policies: string[];
  /** Current pod-security.kubernetes.io/* labels; null when the namespace could not be read. */
  current: Record<string, string> | null;
  /** The kubectl command that sets the suggestion; null when exempt or the name is not a valid namespace name. */
  command: string | null;
  /** True when the current enforce/audit/warn labels already equal the suggestion. */
  upToDate: boolean;
  /** With --rancher: exempted by the rancher-restricted template, so not labelled. */
  exempt?: boolean;
  /** The PSP-derived level under the chosen reading (restricted when no PSP governs it). */
  pspLevel: PssLevel;
  /** The strictest level every workload here satisfies (restricted when there are none). */
  workloadLevel: PssLevel;
  /** Workloads evaluated here (stored, and running pods not grouped under one). */
  workloads: number;
  /** The suggested labels; enforce equals `suggested`. */
  enforce: PssLevel;
  audit: PssLevel;
  warn: PssLevel;
  /** The policy version the `*-version` labels pin. */
  version: string;
  /** Workloads that pull enforce above the PSP-derived level. */
  limitedBy: LimitingWorkloads[];
}

export interface NamespaceOptions {
  reading: Reading;
  /** Namespaces known to exist (release namespaces, cluster list): where `*` expands to. */
  knownNamespaces: Iterable<string>;
  /** Labels per namespace when readable; a namespace missing here has `current: null`. */
  namespaceLabels?: Record<string, Record<string, string>>;
  /** Namespaces to list as exempt rather than labelled (Rancher). */
  exempt?: ReadonlySet<string>;
  /** Every workload evaluated (stored and live), for the verdicts, with where it is kept. */
  workloads?: Iterable<HeldWorkload>;
  /** Policy version for the `*-version` labels ('latest' or 'vX.Y'). */
  version?: string;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Namespace names come from manifests that may be hostile: only a DNS label may reach a printed shell command. */
export function isNamespaceName(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s);
}

export interface SuggestedLabels {
  enforce: PssLevel;
  audit: PssLevel;
  warn: PssLevel;
  version: string;
}

/** The six pod-security labels a suggestion sets, in the order they are printed. */
export function suggestedLabels(l: SuggestedLabels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of PSA_MODES) {
    out[`${PSA_LABEL_PREFIX}${m}`] = l[m];
    out[`${PSA_LABEL_PREFIX}${m}-version`] = l.version;
  }
  return out;
}

export function labelCommand(ns: string, l: SuggestedLabels): string | null {
  if (!isNamespaceName(ns)) return null;
  return `kubectl label --overwrite ns ${ns} ${Object.entries(suggestedLabels(l)).map(([k, v]) => `${k}=${v}`).join(' ')}`;
}

/** A workload's level with its running pods: the worse of both; null when either was not evaluable. */
export function effectiveLevel(w: Workload): PssLevel | null {
  if (w.strictest === null) return null;
  if (!w.pods) return w.strictest;
  if (w.pods.strictest === null) return null;
  return maxLevel(w.strictest, w.pods.strictest);
}

/** Whether a workload (with its running pods) is admitted at `level`; one not evaluable never is. */
export function passes(w: Workload, level: PssLevel): boolean {
  const l = effectiveLevel(w);
  return l !== null && levelRank(l) <= levelRank(level);
}

/** The next stricter level, or the level itself at restricted. */
function stricter(l: PssLevel): PssLevel {
  return LEVELS[Math.max(0, levelRank(l) - 1)];
}

/** Check IDs a workload fails at `level`; its running pods' worst case counts too. */
function checksAt(w: Workload, level: PssLevel): string[] {
  if (effectiveLevel(w) === null) return ['not evaluable'];
  if (level === 'privileged') return [];
  const ids = new Set(w.violations[level].map((v) => v.check));
  for (const v of w.pods?.worst?.violations[level] ?? []) ids.add(v.check);
  return [...ids];
}

interface NamespaceWorkloads {
  level: PssLevel;
  count: number;
  list: WorkloadRefs;
}

function workloadsByNamespace(ws: Iterable<HeldWorkload>): Map<string, NamespaceWorkloads> {
  const m = new Map<string, NamespaceWorkloads>();
  for (const { workload: w, list, index } of ws) {
    const a = m.get(w.namespace) ?? { level: 'restricted' as PssLevel, count: 0, list: new WorkloadRefs() };
    a.count++;
    a.level = maxLevel(a.level, effectiveLevel(w) ?? 'privileged');
    // Only workloads below restricted can ever limit or fail anything: the rest is counted, not
    // kept; those below are kept by reference (a cluster of one chart has 200,000 of them).
    if (!passes(w, 'restricted')) a.list.push(w, list, index);
    m.set(w.namespace, a);
  }
  return m;
}

export interface Verdict extends SuggestedLabels {
  limitedBy: LimitingWorkloads[];
}

/** The verdict for one namespace from its PSP-derived level and its workloads below restricted. */
export function verdict(pspLevel: PssLevel, workloadLevel: PssLevel, belowRestricted: WorkloadRefs, version: string): Verdict {
  const enforce = maxLevel(pspLevel, workloadLevel);
  const next = stricter(enforce);
  let failsNext = false;
  const groups = new Map<string, { level: PssLevel | null; checks: string[]; members: WorkloadRefs }>();
  // One pass: each workload is made from its packed list once.
  for (const { workload: w, list, index } of belowRestricted.entries()) {
    if (next !== enforce && !passes(w, next)) failsNext = true;
    if (passes(w, pspLevel)) continue;
    const level = effectiveLevel(w);
    const checks = checksAt(w, pspLevel);
    const key = `${level}\u0000${checks.join(',')}`;
    const g = groups.get(key) ?? { level, checks, members: new WorkloadRefs() };
    g.members.push(w, list, index);
    groups.set(key, g);
  }
  // The names are made when the report is written, not held: a large cluster has one per workload.
  const limitedBy = [...groups.values()].map(({ level, checks, members }): LimitingWorkloads => ({
    level,
    checks,
    get workloads() {
      return Array.from(members, workloadLabel);
    },
  }));
  const warn = failsNext ? next : enforce;
  return { enforce, audit: warn, warn, version, limitedBy };
}

function psaLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) if (k.startsWith(PSA_LABEL_PREFIX)) out[k] = labels[k];
  return out;
}

type PspLevels = Map<string, { strict: PssLevel; practical: PssLevel; policies: Set<string> }>;

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The namespaces suggestNamespaces reports on, in its order: those PSPs govern and those with workloads. */
export function namespaceNames(policies: PolicyLevels[], knownNamespaces: Iterable<string>, workloadNamespaces: Iterable<string>): string[] {
  const names = new Set(pspLevelsByNamespace(policies, new Set(knownNamespaces)).keys());
  for (const ns of workloadNamespaces) names.add(ns);
  return [...names].sort(byName);
}

/** Per namespace a PSP governs, the most permissive level of those PSPs under each reading. */
function pspLevelsByNamespace(policies: PolicyLevels[], known: Set<string>): PspLevels {
  const acc: PspLevels = new Map();
  const add = (ns: string, p: PolicyLevels): void => {
    const a = acc.get(ns) ?? { strict: 'restricted' as PssLevel, practical: 'restricted' as PssLevel, policies: new Set<string>() };
    a.strict = maxLevel(a.strict, p.strict);
    a.practical = maxLevel(a.practical, p.practical);
    a.policies.add(p.name);
    acc.set(ns, a);
  };
  for (const p of policies) {
    for (const ns of p.governs) if (ns !== ALL_NAMESPACES) add(ns, p);
  }
  // Cluster-wide grants reach every namespace, including those only other PSPs named.
  const everywhere = [...known, ...acc.keys()];
  for (const p of policies) {
    if (p.governs.includes(ALL_NAMESPACES)) for (const ns of new Set(everywhere)) add(ns, p);
  }
  return acc;
}

export function suggestNamespaces(policies: PolicyLevels[], opts: NamespaceOptions): NamespaceSuggestion[] {
  const acc = pspLevelsByNamespace(policies, new Set(opts.knownNamespaces));
  const workloads = workloadsByNamespace(opts.workloads ?? []);
  // Namespaces with workloads and no PSP: nothing from PSPs holds them back.
  for (const ns of workloads.keys()) if (!acc.has(ns)) acc.set(ns, { strict: 'restricted', practical: 'restricted', policies: new Set() });
  const version = opts.version ?? 'latest';
  return [...acc.entries()]
    .sort(([a], [b]) => byName(a, b))
    .map(([name, a]) => {
      const pspLevel = opts.reading === 'strict' ? a.strict : a.practical;
      const w = workloads.get(name) ?? { level: 'restricted' as PssLevel, count: 0, list: new WorkloadRefs() };
      const v = verdict(pspLevel, w.level, w.list, version);
      const labels = opts.namespaceLabels?.[name];
      const current = labels ? psaLabels(labels) : null;
      const want = suggestedLabels(v);
      const upToDate = current !== null && Object.entries(want).every(([k, val]) => current[k] === val);
      const exempt = opts.exempt?.has(name) ?? false;
      const s: NamespaceSuggestion = {
        name, suggested: v.enforce, strict: a.strict, practical: a.practical, policies: [...a.policies].sort(),
        current, command: exempt ? null : labelCommand(name, v), upToDate,
        pspLevel, workloadLevel: w.level, workloads: w.count,
        enforce: v.enforce, audit: v.audit, warn: v.warn, version, limitedBy: v.limitedBy,
      };
      if (opts.exempt) s.exempt = exempt;
      return s;
    });
}
