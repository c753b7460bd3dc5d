// Who may `use` a PodSecurityPolicy, and so which namespaces it governed (psp-to-pss.md §4).
// Pure: Role/ClusterRole/RoleBinding/ClusterRoleBinding objects in, grants out.
//
// Namespaces governed, per binding:
// - RoleBinding in N (to a Role in N or to a ClusterRole): pods in N only, whatever the subject.
// - ClusterRoleBinding to a ServiceAccount S/x, or to group system:serviceaccounts:S: pods in S.
//   PSP admission checks the pod's service account, and a pod can only run as a service
//   account of its own namespace; controllers (Deployments, Jobs, ...) create pods, so the
//   pod's service account is what decides in practice (§4).
// - ClusterRoleBinding to any other group or user: every namespace, written `*`.
// Only grants a pod's service account can hold (ServiceAccount subjects, the groups
// system:serviceaccounts[:ns] and system:authenticated) decide namespace levels; users and
// other groups (e.g. cluster-admin's system:masters) matter only for pods they create
// directly, so they are reported but flagged `podServiceAccounts: false`.
import { obj, str, type ManifestObject, type Obj } from './parse.js';

export const ALL_NAMESPACES = '*';

export interface Subject {
  kind: 'ServiceAccount' | 'Group' | 'User';
  name: string;
  /** ServiceAccount namespace; null for groups and users. */
  namespace: string | null;
}

export interface Grant {
  subject: Subject;
  binding: { kind: 'RoleBinding' | 'ClusterRoleBinding'; namespace: string | null; name: string };
  role: { kind: 'Role' | 'ClusterRole'; name: string };
  /** Namespaces whose pods this grant lets use the PSP; `*` = every namespace. */
  governs: string[];
  /** True when a pod's service account can hold this grant (so it counts for namespace levels). */
  podServiceAccounts: boolean;
}

export function coversPodServiceAccounts(s: Subject): boolean {
  if (s.kind === 'ServiceAccount') return true;
  return s.kind === 'Group' && (s.name === 'system:authenticated' || s.name === 'system:serviceaccounts' || s.name.startsWith('system:serviceaccounts:'));
}

export interface RbacIndex {
  /** Grants that give `use` of the named PSP. */
  grantsFor(pspName: string): Grant[];
  warnings: string[];
}

/** Built-in roles a chart may bind without shipping them. Only cluster-admin grants `use`. */
const BUILTIN_CLUSTER_ROLES: Record<string, Obj[]> = {
  'cluster-admin': [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
};

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Could this PolicyRule grant `use` on some PSP (every condition but the names)? */
function ruleMayGrantUse(r: Obj): boolean {
  return (
    strings(r.apiGroups).some((g) => g === '*' || g === 'policy' || g === 'extensions') &&
    strings(r.resources).some((x) => x === '*' || x === 'podsecuritypolicies') &&
    strings(r.verbs).some((v) => v === '*' || v === 'use')
  );
}

/** Does this PolicyRule grant `use` on the PSP named `psp`? */
export function ruleGrantsUse(rule: unknown, psp: string): boolean {
  const r = obj(rule);
  const names = strings(r.resourceNames);
  return ruleMayGrantUse(r) && (names.length === 0 || names.includes(psp));
}

/**
 * What indexRbac reads of an RBAC object: a Role's rules that may grant `use` on a PSP (and a
 * ClusterRole's aggregation rule and labels), a binding's roleRef and subjects; nothing of
 * other kinds. The audit keeps this much of each object of 10,000 releases until the report.
 */
export function rbacFields(o: ManifestObject): Obj {
  const v = o.object;
  switch (o.kind) {
    case 'Role':
    case 'ClusterRole': {
      const out: Obj = {};
      if (Array.isArray(v.rules)) out.rules = v.rules.filter((r) => ruleMayGrantUse(obj(r)));
      if (o.kind === 'ClusterRole') {
        if (v.aggregationRule !== undefined) out.aggregationRule = v.aggregationRule;
        const labels = obj(v.metadata).labels;
        if (labels !== undefined) out.metadata = { labels };
      }
      return out;
    }
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return { roleRef: v.roleRef, subjects: v.subjects };
    default:
      return {};
  }
}

function labelSelectorMatches(selector: unknown, labels: Obj): boolean {
  const s = obj(selector);
  const ml = obj(s.matchLabels);
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== v) return false;
  for (const e of Array.isArray(s.matchExpressions) ? s.matchExpressions : []) {
    const x = obj(e);
    const key = str(x.key);
    const values = strings(x.values);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (x.operator) {
      case 'In': if (!has || !values.includes(String(labels[key]))) return false; break;
      case 'NotIn': if (has && values.includes(String(labels[key]))) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  // An empty selector selects nothing in aggregation rules.
  return Object.keys(ml).length > 0 || (Array.isArray(s.matchExpressions) && s.matchExpressions.length > 0);
}

function subjectsOf(binding: ManifestObject): Subject[] {
  const out: Subject[] = [];
  for (const raw of Array.isArray(binding.object.subjects) ? binding.object.subjects : []) {
    const s = obj(raw);
    const name = str(s.name);
    if (!name) continue;
    if (s.kind === 'ServiceAccount') {
      // In a RoleBinding an SA without namespace is the binding's namespace (RBAC authorizer).
      const ns = str(s.namespace) || (binding.kind === 'RoleBinding' ? binding.namespace : '');
      out.push({ kind: 'ServiceAccount', name, namespace: ns || null });
    } else if (s.kind === 'Group' || s.kind === 'User') {
      out.push({ kind: s.kind, name, namespace: null });
    }
  }
  return out;
}

function governs(binding: ManifestObject, subject: Subject): string[] {
  if (binding.kind === 'RoleBinding') return [binding.namespace];
  if (subject.kind === 'ServiceAccount') return subject.namespace ? [subject.namespace] : [];
  if (subject.kind === 'Group' && subject.name.startsWith('system:serviceaccounts:')) {
    return [subject.name.slice('system:serviceaccounts:'.length)];
  }
  return [ALL_NAMESPACES];
}

/** Indexes the RBAC objects among `objects` (other kinds are ignored). */
export function indexRbac(objects: ManifestObject[]): RbacIndex {
  const warnings: string[] = [];
  const roles = new Map<string, Obj[]>(); // "ns/name"
  const clusterRoles = new Map<string, ManifestObject>();
  const bindings: ManifestObject[] = [];
  // The same object may come from a manifest and from the cluster: the later copy wins.
  const unique = new Map<string, ManifestObject>();
  for (const o of objects) {
    const scoped = o.kind === 'Role' || o.kind === 'RoleBinding';
    unique.set(`${o.kind}/${scoped ? o.namespace : ''}/${o.name}`, o);
  }
  for (const o of unique.values()) {
    if (o.kind === 'Role') roles.set(`${o.namespace}/${o.name}`, Array.isArray(o.object.rules) ? o.object.rules : []);
    else if (o.kind === 'ClusterRole') clusterRoles.set(o.name, o);
    else if (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') bindings.push(o);
  }

  const clusterRoleRules = (name: string): Obj[] | undefined => {
    const cr = clusterRoles.get(name);
    if (!cr) return BUILTIN_CLUSTER_ROLES[name];
    const rules = (Array.isArray(cr.object.rules) ? cr.object.rules : []).map(obj);
    const agg = obj(cr.object.aggregationRule);
    if (Array.isArray(agg.clusterRoleSelectors)) {
      // The aggregation controller fills the rules from every ClusterRole the selectors match.
      for (const other of clusterRoles.values()) {
        if (other === cr) continue;
        const labels = obj(obj(other.object.metadata).labels);
        if (agg.clusterRoleSelectors.some((sel) => labelSelectorMatches(sel, labels))) {
          rules.push(...(Array.isArray(other.object.rules) ? other.object.rules : []).map(obj));
        }
      }
    }
    return rules;
  };

  const missing = new Set<string>();
  const resolved = bindings.map((b) => {
    const ref = obj(b.object.roleRef);
    const kind: 'Role' | 'ClusterRole' | undefined = ref.kind === 'Role' ? 'Role' : ref.kind === 'ClusterRole' ? 'ClusterRole' : undefined;
    const name = str(ref.name);
    let rules: Obj[] | undefined;
    if (kind === 'Role' && b.kind === 'RoleBinding') rules = roles.get(`${b.namespace}/${name}`)?.map(obj);
    else if (kind === 'ClusterRole') rules = clusterRoleRules(name);
    if (rules === undefined && kind) missing.add(`${b.kind} ${b.kind === 'RoleBinding' ? `${b.namespace}/` : ''}${b.name} refers to ${kind} ${kind === 'Role' ? `${b.namespace}/` : ''}${name}, which is not among the audited objects`);
    return { b, kind, name, rules: rules ?? [], subjects: subjectsOf(b) };
  });
  warnings.push(...missing);

  return {
    warnings,
    grantsFor(psp: string): Grant[] {
      const out: Grant[] = [];
      for (const r of resolved) {
        if (!r.kind || !r.rules.some((rule) => ruleGrantsUse(rule, psp))) continue;
        for (const subject of r.subjects) {
          out.push({
            subject,
            binding: { kind: r.b.kind as Grant['binding']['kind'], namespace: r.b.kind === 'RoleBinding' ? r.b.namespace : null, name: r.b.name },
            role: { kind: r.kind, name: r.name },
            governs: governs(r.b, subject),
            podServiceAccounts: coversPodServiceAccounts(subject),
          });
        }
      }
      return out;
    },
  };
}
