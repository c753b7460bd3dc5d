// auditManifests / pspLevelsInManifest: parsing (hostile input, lists, hooks), pooling RBAC
// across releases, namespace suggestions with current labels, rendering.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { auditManifests, pspLevelsInManifest, renderReport } from '../../src/audit/index.js';

const PRIV = (name: string, apiVersion = 'policy/v1beta1'): string => `apiVersion: ${apiVersion}
kind: PodSecurityPolicy
metadata: {name: ${name}}
spec:
  privileged: true
  seLinux: {rule: RunAsAny}
  runAsUser: {rule: RunAsAny}
  supplementalGroups: {rule: RunAsAny}
  fsGroup: {rule: RunAsAny}
  volumes: ['*']
`;
// Restricted under the practical reading only (seLinux RunAsAny, no AppArmor annotation).
const RESTRICTED = (name: string): string => `apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata:
  name: ${name}
  annotations:
    seccomp.security.alpha.kubernetes.io/allowedProfileNames: runtime/default
spec:
  allowPrivilegeEscalation: false
  requiredDropCapabilities: [ALL]
  volumes: [configMap, secret, projected]
  runAsUser: {rule: MustRunAsNonRoot}
  seLinux: {rule: RunAsAny}
  supplementalGroups: {rule: RunAsAny}
  fsGroup: {rule: RunAsAny}
`;
const BIND = (psp: string, ns: string, sa: string): string => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: use-${psp}, namespace: ${ns}}
rules: [{apiGroups: [policy], resources: [podsecuritypolicies], verbs: [use], resourceNames: [${psp}]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: use-${psp}, namespace: ${ns}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: use-${psp}}
subjects: [{kind: ServiceAccount, name: ${sa}, namespace: ${ns}}]
`;

describe('pspLevelsInManifest', () => {
  it('finds PSPs of both API groups, inside kind: List, and ignores other kinds', () => {
    const manifest = [
      '# Source: x/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata:\n  embedded: |\n    kind: PodSecurityPolicy\n',
      PRIV('old', 'extensions/v1beta1'),
      `apiVersion: v1\nkind: List\nitems:\n- ${RESTRICTED('in-list').trimEnd().split('\n').join('\n  ')}\n`,
      PRIV('new'),
    ].join('---\n');
    expect(pspLevelsInManifest(manifest, 'practical').map((p) => [p.name, p.level])).toEqual([
      ['old', 'privileged'], ['in-list', 'restricted'], ['new', 'privileged'],
    ]);
    expect(pspLevelsInManifest(manifest, 'strict').map((p) => p.level)).toEqual(['privileged', 'privileged', 'privileged']);
  });

  it('survives hostile YAML: alias bombs and broken documents are skipped, the rest is audited', () => {
    const bomb = 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\nkind: PodSecurityPolicy\n';
    const broken = 'kind: PodSecurityPolicy\nmetadata: {name: broken\n  : : :\n';
    const r = auditManifests([{ release: 'r', namespace: 'n', manifest: [bomb, broken, PRIV('ok')].join('---\n') }], { reading: 'strict', rancher: false });
    expect(r.policies.map((p) => p.name)).toEqual(['ok']);
    expect(r.warnings.filter((w) => w.includes('skipped'))).toHaveLength(2);
    // Warnings name the stream and document, never its content.
    expect(r.warnings.join('\n')).not.toContain('broken');
  });
});

describe('auditManifests', () => {
  const inputs = [
    { release: 'web', namespace: 'apps', manifest: [RESTRICTED('web-restricted'), BIND('web-restricted', 'apps', 'web')].join('---\n'), values: { global: { cattle: { psp: { enabled: false } } } } },
    // The second release's PSP is bound in two namespaces; its hook holds another PSP.
    { release: 'agent', namespace: 'infra', manifest: [PRIV('agent-priv'), BIND('agent-priv', 'infra', 'agent'), BIND('agent-priv', 'logging', 'shipper')].join('---\n'),
      hooks: [RESTRICTED('hook-psp')], values: { global: { cattle: { psp: { enabled: true } } } } },
  ];

  it('names a stored hook by kind and name, as clean does, when the hook labels are given', () => {
    const labelled = [inputs[0], { ...inputs[1], hookSources: ['hook:PodSecurityPolicy/hook-psp'] }];
    const r = auditManifests(labelled, { reading: 'practical', rancher: false });
    expect(r.policies.find((p) => p.name === 'hook-psp')?.source).toBe('hook:PodSecurityPolicy/hook-psp');
  });

  it('rates every PSP, names its users and governed namespaces, suggests the most permissive level per namespace', () => {
    const r = auditManifests(inputs, { reading: 'practical', rancher: false, namespaceLabels: { apps: { 'pod-security.kubernetes.io/enforce': 'baseline', team: 'x' } } });
    expect(r.policies.map((p) => [p.name, p.release, p.namespace, p.source, p.strict, p.practical, p.governs.join(',')])).toEqual([
      ['web-restricted', 'web', 'apps', 'manifest', 'privileged', 'restricted', 'apps'],
      ['agent-priv', 'agent', 'infra', 'manifest', 'privileged', 'privileged', 'infra,logging'],
      ['hook-psp', 'agent', 'infra', 'hook 0', 'privileged', 'restricted', ''],
    ]);
    expect(r.policies[0].reasons.map((x) => [x.field, x.level, x.readings.join('+')])).toEqual([
      ['seLinux', 'privileged', 'strict'],
      ['apparmor.security.beta.kubernetes.io/allowedProfileNames', 'privileged', 'strict'],
    ]);
    expect(r.policies[0].warnings).toHaveLength(2);
    expect(r.namespaces.map((n) => [n.name, n.suggested, n.strict, n.practical, JSON.stringify(n.current)])).toEqual([
      ['apps', 'restricted', 'privileged', 'restricted', '{"pod-security.kubernetes.io/enforce":"baseline"}'],
      ['infra', 'privileged', 'privileged', 'privileged', 'null'],
      ['logging', 'privileged', 'privileged', 'privileged', 'null'],
    ]);
    expect(r.namespaces[0].command).toBe('kubectl label --overwrite ns apps pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=latest pod-security.kubernetes.io/audit=restricted pod-security.kubernetes.io/audit-version=latest pod-security.kubernetes.io/warn=restricted pod-security.kubernetes.io/warn-version=latest');
    expect(r.rancherPspValues).toEqual([{ namespace: 'infra', release: 'agent', hint: expect.stringContaining('--set global.cattle.psp.enabled=false') }]);
    expect(r.namespaces.every((n) => n.exempt === undefined)).toBe(true);
  });

  it('the strict reading drives the suggestion when asked', () => {
    const r = auditManifests(inputs, { reading: 'strict', rancher: false });
    expect(r.namespaces.find((n) => n.name === 'apps')?.suggested).toBe('privileged');
  });

  it('RBAC is pooled across releases, cluster-wide grants reach every known namespace, bad names get no command', () => {
    const crb = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: everyone}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: psp-base}
subjects: [{kind: Group, name: 'system:authenticated'}]
`;
    const cr = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: psp-base}
rules: [{apiGroups: [policy], resources: [podsecuritypolicies], verbs: [use], resourceNames: [web-restricted]}]
`;
    const r = auditManifests(
      [...inputs, { release: 'rbac', namespace: 'ops', manifest: [crb, cr].join('---\n') }, { release: 'evil', namespace: 'x; rm -rf /', manifest: '' }],
      { reading: 'practical', rancher: false, knownNamespaces: ['quiet'], clusterObjects: [] },
    );
    expect(r.policies[0].governs).toEqual(['*', 'apps']);
    const names = r.namespaces.map((n) => [n.name, n.suggested]);
    expect(names).toEqual([['apps', 'restricted'], ['infra', 'privileged'], ['logging', 'privileged'], ['ops', 'restricted'], ['quiet', 'restricted'], ['x; rm -rf /', 'restricted']]);
    expect(r.namespaces.find((n) => n.name === 'x; rm -rf /')?.command).toBeNull();
    expect(r.warnings.join('\n')).toContain('every namespace');
    expect(renderReport(r, 'text')).not.toContain('ns x; rm');
  });

  it("cluster-admin bound to system:masters (every real cluster) does not make every namespace privileged", () => {
    const r = auditManifests([{ release: 'web', namespace: 'apps', manifest: [RESTRICTED('web-restricted'), BIND('web-restricted', 'apps', 'web')].join('---\n') }, { release: 'agent', namespace: 'infra', manifest: PRIV('agent-priv') }], {
      reading: 'practical', rancher: false, knownNamespaces: ['apps', 'infra', 'other'],
      clusterObjects: [{ kind: 'ClusterRoleBinding', metadata: { name: 'cluster-admin' }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'system:masters' }] }],
    });
    const priv = r.policies.find((p) => p.name === 'agent-priv');
    expect(priv?.usedBy).toEqual([expect.objectContaining({ kind: 'Group', name: 'system:masters', governs: ['*'], podServiceAccounts: false })]);
    expect(priv?.governs).toEqual([]);
    expect(r.namespaces.map((n) => [n.name, n.suggested])).toEqual([['apps', 'restricted']]);
    expect(renderReport(r, 'text')).toContain('only pods this subject creates directly');
  });

  it('RBAC objects read from the cluster count like manifest ones', () => {
    const r = auditManifests([{ release: 'r', namespace: 'n', manifest: PRIV('p') }], {
      reading: 'practical', rancher: false,
      clusterObjects: [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBindingList', items: [
        { kind: 'ClusterRoleBinding', metadata: { name: 'c' }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'm' }] },
      ] }],
    });
    expect(r.policies[0].governs).toEqual(['m']);
  });

  it('--rancher lists exempted namespaces instead of labelling them; an unknown Rancher version is an error', () => {
    const r = auditManifests([{ release: 'r', namespace: 'kube-system', manifest: [PRIV('p'), BIND('p', 'kube-system', 'sa'), BIND('p', 'apps', 'sa')].join('---\n') }], { reading: 'practical', rancher: true });
    expect(r.namespaces.map((n) => [n.name, n.exempt, n.command === null])).toEqual([['apps', false, false], ['kube-system', true, true]]);
    expect(renderReport(r, 'text')).toMatch(/Exempt in Rancher's rancher-restricted template \(v2\.14\), not labelled: kube-system/);
    // ingress-nginx is exempt in Rancher v2.9-v2.12 only.
    const old = auditManifests([{ release: 'r', namespace: 'ingress-nginx', manifest: [PRIV('p'), BIND('p', 'ingress-nginx', 'sa')].join('---\n') }], { reading: 'practical', rancher: true, rancherVersion: 'v2.11' });
    expect(old.namespaces[0].exempt).toBe(true);
    const now = auditManifests([{ release: 'r', namespace: 'ingress-nginx', manifest: [PRIV('p'), BIND('p', 'ingress-nginx', 'sa')].join('---\n') }], { reading: 'practical', rancher: true });
    expect(now.namespaces[0].exempt).toBe(false);
    expect(() => auditManifests([], { reading: 'practical', rancher: true, rancherVersion: 'v1.0' })).toThrow(/unknown Rancher version/);
  });

  it('renders json and yaml with the documented shape, text with the commands', () => {
    const r = auditManifests(inputs, { reading: 'practical', rancher: false });
    const j = JSON.parse(renderReport(r, 'json'));
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['policies', 'namespaces', 'rancherPspValues']));
    expect(Object.keys(j.policies[0])).toEqual(expect.arrayContaining(['name', 'release', 'namespace', 'strict', 'practical', 'reasons', 'usedBy', 'governs']));
    expect(Object.keys(j.policies[0].reasons[0])).toEqual(expect.arrayContaining(['field', 'level', 'detail']));
    expect(Object.keys(j.policies[1].usedBy[0])).toEqual(expect.arrayContaining(['kind', 'namespace', 'name']));
    expect(Object.keys(j.namespaces[0])).toEqual(expect.arrayContaining(['name', 'suggested', 'current', 'command']));
    expect(parse(renderReport(r, 'yaml'))).toEqual(j);
    const t = renderReport(r, 'text');
    for (const n of r.namespaces) expect(t).toContain(n.command as string);
    expect(t).toContain('seLinux -> privileged (strict only)');
  });

  it('text output carries no terminal control characters from hostile names', () => {
    const r = auditManifests([{ release: 'r', namespace: 'n', manifest: PRIV('"evil\\e[2J\\u0007"') }], { reading: 'practical', rancher: false });
    expect(r.policies[0].name).toBe('evil\u001b[2J\u0007');
    const t = renderReport(r, 'text');
    expect(t).toContain('evil?[2J?');
    expect(t).not.toMatch(/[\u001b\u0007]/);
  });

  it('no PSP: empty report, says so', () => {
    const r = auditManifests([{ release: 'r', namespace: 'n', manifest: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' }], { reading: 'practical', rancher: false });
    expect(r.policies).toEqual([]);
    expect(r.namespaces).toEqual([]);
    expect(renderReport(r, 'text')).toContain('No PodSecurityPolicy found');
  });
});
