// Per namespace: the Pod Security Admission level to label it with = the most permissive PSP
// usable there (psp-to-pss.md §4), the labels it carries now, and the kubectl command that
// sets the suggestion. Commands are printed, never run.
import { maxLevel, type PssLevel, type Reading } from './levels.js';
import { ALL_NAMESPACES } from './rbac.js';

export const PSA_LABEL_PREFIX = 'pod-security.kubernetes.io/';
export const PSA_MODES = ['enforce', 'audit', 'warn'] as const;

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
}

export interface NamespaceOptions {
  reading: Reading;
  /** Namespaces known to exist (release namespaces, cluster list): where `*` expands to. */
  knownNamespaces: Iterable<string>;
  /** Labels per namespace when readable; a namespace missing here has `current: null`. */
  namespaceLabels?: Record<string, Record<string, string>>;
  /** Namespaces to list as exempt rather than labelled (Rancher). */
  exempt?: ReadonlySet<string>;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Namespace names come from manifests that may be hostile: only a DNS label may reach a printed shell command. */
export function isNamespaceName(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s);
}

export function labelCommand(ns: string, level: PssLevel): string | null {
  if (!isNamespaceName(ns)) return null;
  return `kubectl label --overwrite ns ${ns} ${PSA_MODES.map((m) => `${PSA_LABEL_PREFIX}${m}=${level}`).join(' ')}`;
}

function psaLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) if (k.startsWith(PSA_LABEL_PREFIX)) out[k] = labels[k];
  return out;
}

export function suggestNamespaces(policies: PolicyLevels[], opts: NamespaceOptions): NamespaceSuggestion[] {
  const known = new Set(opts.knownNamespaces);
  const acc = new Map<string, { strict: PssLevel; practical: PssLevel; policies: Set<string> }>();
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
  return [...acc.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, a]) => {
      const suggested = opts.reading === 'strict' ? a.strict : a.practical;
      const labels = opts.namespaceLabels?.[name];
      const current = labels ? psaLabels(labels) : null;
      const upToDate = current !== null && PSA_MODES.every((m) => current[`${PSA_LABEL_PREFIX}${m}`] === suggested);
      const exempt = opts.exempt?.has(name) ?? false;
      const s: NamespaceSuggestion = {
        name, suggested, strict: a.strict, practical: a.practical, policies: [...a.policies].sort(),
        current, command: exempt ? null : labelCommand(name, suggested), upToDate,
      };
      if (opts.exempt) s.exempt = exempt;
      return s;
    });
}
