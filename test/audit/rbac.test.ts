// Who may `use` a PSP (psp-to-pss.md §4): rule matching, bindings, subjects, namespaces governed.
import { describe, expect, it } from 'vitest';
import { indexRbac, rbacFields, ruleGrantsUse } from '../../src/audit/rbac.js';
import { parseManifest } from '../../src/audit/parse.js';

describe('ruleGrantsUse', () => {
  const cases: Array<[string, object, string, boolean]> = [
    ['policy group, named', { apiGroups: ['policy'], resources: ['podsecuritypolicies'], verbs: ['use'], resourceNames: ['a'] }, 'a', true],
    ['other name', { apiGroups: ['policy'], resources: ['podsecuritypolicies'], verbs: ['use'], resourceNames: ['b'] }, 'a', false],
    ['no resourceNames = every PSP', { apiGroups: ['policy'], resources: ['podsecuritypolicies'], verbs: ['use'] }, 'a', true],
    ['empty resourceNames = every PSP', { apiGroups: ['policy'], resources: ['podsecuritypolicies'], verbs: ['use'], resourceNames: [] }, 'a', true],
    ['extensions group (older charts)', { apiGroups: ['extensions'], resources: ['podsecuritypolicies'], verbs: ['use'] }, 'a', true],
    ['wrong group', { apiGroups: ['apps'], resources: ['podsecuritypolicies'], verbs: ['use'] }, 'a', false],
    ['verb get only', { apiGroups: ['policy'], resources: ['podsecuritypolicies'], verbs: ['get', 'list'] }, 'a', false],
    ['wrong resource', { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['use'] }, 'a', false],
    ['all wildcards (cluster-admin)', { apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, 'a', true],
    ['wildcard verbs', { apiGroups: ['policy'], resources: ['podsecuritypolicies'], verbs: ['*'] }, 'a', true],
    ['wildcard resources', { apiGroups: ['policy'], resources: ['*'], verbs: ['use'] }, 'a', true],
    ['nonResourceURLs rule', { nonResourceURLs: ['*'], verbs: ['*'] }, 'a', false],
  ];
  it.each(cases)('%s', (_t, rule, psp, expected) => {
    expect(ruleGrantsUse(rule, psp)).toBe(expected);
  });
});

const rbacYaml = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: psp-a}
rules:
- {apiGroups: [policy], resources: [podsecuritypolicies], verbs: [use], resourceNames: [a]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: psp-b, namespace: team1}
rules:
- {apiGroups: [policy], resources: [podsecuritypolicies], verbs: [use], resourceNames: [b]}
---
# RoleBinding in team2 to a ClusterRole: pods in team2 only, SA namespace defaulted to team2.
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb-a, namespace: team2}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: psp-a}
subjects:
- {kind: ServiceAccount, name: worker}
- {kind: Group, name: 'system:serviceaccounts:team2', apiGroup: rbac.authorization.k8s.io}
---
# ClusterRoleBinding to an SA: governs the SA's namespace.
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: psp-a}
subjects:
- {kind: ServiceAccount, name: agent, namespace: team3}
- {kind: Group, name: 'system:serviceaccounts:team4'}
- {kind: Group, name: 'system:authenticated'}
- {kind: User, name: alice}
---
# RoleBinding in team1 to the Role psp-b in team1.
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb-b}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: psp-b}
subjects:
- {kind: ServiceAccount, name: app, namespace: team1}
---
# Same Role name in another namespace does not exist: no grant.
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb-b-elsewhere, namespace: team9}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: psp-b}
subjects:
- {kind: ServiceAccount, name: app, namespace: team9}
---
# cluster-admin is built in: grants use of every PSP.
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {kind: Group, name: ops}
`;

describe('indexRbac', () => {
  const { objects } = parseManifest(rbacYaml, 'team1', 'test');
  const idx = indexRbac(objects);

  it('finds every subject of every binding that grants use of PSP a, with the namespaces governed', () => {
    const grants = idx.grantsFor('a').map((g) => [g.subject.kind, g.subject.namespace, g.subject.name, `${g.binding.kind}/${g.binding.name}`, g.governs.join(','), g.podServiceAccounts]);
    expect(grants).toEqual([
      ['ServiceAccount', 'team2', 'worker', 'RoleBinding/rb-a', 'team2', true],
      ['Group', null, 'system:serviceaccounts:team2', 'RoleBinding/rb-a', 'team2', true],
      ['ServiceAccount', 'team3', 'agent', 'ClusterRoleBinding/crb-a', 'team3', true],
      ['Group', null, 'system:serviceaccounts:team4', 'ClusterRoleBinding/crb-a', 'team4', true],
      ['Group', null, 'system:authenticated', 'ClusterRoleBinding/crb-a', '*', true],
      // Users and other groups: only pods they create directly; reported, not counted.
      ['User', null, 'alice', 'ClusterRoleBinding/crb-a', '*', false],
      ['Group', null, 'ops', 'ClusterRoleBinding/ops-admin', '*', false],
    ]);
  });

  it('resolves Roles in the binding namespace only (a binding without namespace is in the release namespace)', () => {
    const grants = idx.grantsFor('b').map((g) => [g.subject.name, g.binding.name, g.governs.join(',')]);
    expect(grants).toEqual([
      ['app', 'rb-b', 'team1'],
      ['ops', 'ops-admin', '*'],
    ]);
    expect(idx.warnings.join('\n')).toContain('RoleBinding team9/rb-b-elsewhere refers to Role team9/psp-b');
  });

  it('a PSP nobody is bound to has only the cluster-admin grant', () => {
    expect(idx.grantsFor('zzz').map((g) => g.binding.name)).toEqual(['ops-admin']);
  });

  it('aggregated ClusterRoles collect the rules of the ClusterRoles their selectors match', () => {
    const { objects: o } = parseManifest(`
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: agg}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {psp: "true"}
rules: []
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: part, labels: {psp: "true"}}
rules:
- {apiGroups: [policy], resources: [podsecuritypolicies], verbs: [use], resourceNames: [x]}
---
kind: ClusterRoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: agg-binding}
roleRef: {kind: ClusterRole, name: agg, apiGroup: rbac.authorization.k8s.io}
subjects: [{kind: ServiceAccount, name: s, namespace: n}]
`, 'default', 'test');
    expect(indexRbac(o).grantsFor('x').map((g) => g.binding.name)).toEqual(['agg-binding']);
  });
});

describe('rbacFields', () => {
  // The audit keeps only these fields of each RBAC object until the report: the grants must be
  // the ones the whole objects give, for every PSP name, with the same warnings.
  const more = `
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: agg, labels: {team: a}, annotations: {note: big}}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {psp: "true"}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get, list]}
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: part, labels: {psp: "true"}}
rules:
- {apiGroups: [apps], resources: [deployments], verbs: ["*"]}
- {apiGroups: [policy], resources: [podsecuritypolicies], verbs: [use], resourceNames: [x]}
- not-a-rule
---
kind: ClusterRoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: agg-binding}
roleRef: {kind: ClusterRole, name: agg, apiGroup: rbac.authorization.k8s.io}
subjects: [{kind: ServiceAccount, name: s, namespace: n}, {kind: Group, name: "system:authenticated"}]
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: dangling, namespace: team9}
roleRef: {kind: Role, name: missing}
subjects: [{kind: ServiceAccount, name: s}]
`;
  const { objects } = parseManifest(rbacYaml + '---\n' + more, 'team1', 'test');
  const pruned = objects.map((o) => ({ ...o, object: rbacFields(o) }));

  it('gives the same grants and warnings as the whole objects', () => {
    const whole = indexRbac(objects);
    const cut = indexRbac(pruned);
    expect(cut.warnings).toEqual(whole.warnings);
    for (const psp of ['a', 'b', 'x', 'zzz']) expect(cut.grantsFor(psp)).toEqual(whole.grantsFor(psp));
    expect(whole.grantsFor('x').length).toBeGreaterThan(0);
  });

  it('drops what indexRbac does not read', () => {
    const agg = pruned.find((o) => o.name === 'agg')!;
    expect(agg.object).toEqual({ rules: [], aggregationRule: { clusterRoleSelectors: [{ matchLabels: { psp: 'true' } }] }, metadata: { labels: { team: 'a' } } });
    const part = pruned.find((o) => o.name === 'part')!;
    expect(part.object.rules).toEqual([{ apiGroups: ['policy'], resources: ['podsecuritypolicies'], verbs: ['use'], resourceNames: ['x'] }]);
  });
});
