// The workload side of the audit, pure parts: which documents are workloads, how a malformed
// one is reported, the namespace verdict (enforce/warn/audit), live pod grouping and the
// admission configuration. Expected values come from the rules in issue 14 and upstream's
// check IDs (policy/check_*.go), not from the output under test.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parsePolicyVersion } from '../../src/pss/index.js';
import { auditManifests, heldWorkloads, renderReport, ResultPool, WorkloadRefs, workloadsInManifest, type Workload } from '../../src/audit/index.js';
import { effectiveLevel, verdict } from '../../src/audit/namespaces.js';
import { attachLivePods, indexStored, LiveTally, storedOwner } from '../../src/audit/live.js';
import { admissionConfiguration, podSecurityConfigApiVersion } from '../../src/audit/admission-config.js';
import type { NamespaceSuggestion } from '../../src/audit/namespaces.js';

const V124 = parsePolicyVersion('v1.24');

/** Workloads kept as loose objects, as the verdict receives live pods. */
function looseRefs(ws: Workload[]): WorkloadRefs {
  const refs = new WorkloadRefs();
  for (const w of ws) refs.push(w, null, -1);
  return refs;
}
const ctx = (source = 'manifest') => ({ release: 'rel', namespace: 'ns', source, version: V124, pool: new ResultPool() });

/** A pod template that meets restricted (upstream's restricted checks, v1.24). */
const RESTRICTED_POD = `
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
      - name: app
        image: x
        securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}`;

const deployment = (name: string, podSpec: string) => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 0
  template:
    spec:${podSpec}
`;

function w(partial: Partial<Workload> & Pick<Workload, 'name' | 'strictest'>): Workload {
  return {
    release: 'rel', namespace: 'ns', source: 'manifest', document: 0, kind: 'Deployment', psp: null,
    violations: { baseline: [], restricted: [] }, ...partial,
  };
}
const fails = (check: string) => ({ check, reason: check, detail: '' });

describe('workloadsInManifest', () => {
  it('evaluates the pod-spec kinds, skips the others, and says where each came from', () => {
    const manifest = `${deployment('ok', RESTRICTED_POD)}---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
data: {k: "kind: Deployment"}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: other}
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: c, image: x}]
          volumes: [{name: h, hostPath: {path: /}}]
`;
    const got = workloadsInManifest(manifest, ctx());
    expect(got.map((x) => [x.kind, x.name, x.namespace, x.document, x.source, x.release])).toEqual([
      ['Deployment', 'ok', 'ns', 0, 'manifest', 'rel'],
      ['CronJob', 'nightly', 'other', 2, 'manifest', 'rel'],
    ]);
    expect(got[0].strictest).toBe('restricted');
    // hostPath is a baseline check (check_hostPathVolumes.go); at restricted, restrictedVolumes
    // overrides it (check_restrictedVolumes.go OverrideCheckIDs) and the other baseline checks still run.
    expect(got[1].strictest).toBe('privileged');
    expect(got[1].violations.baseline.map((v) => v.check)).toEqual(['hostPathVolumes']);
    expect(got[1].violations.restricted.map((v) => v.check)).toContain('restrictedVolumes');
    expect(got[1].violations.restricted.map((v) => v.check)).toContain('allowPrivilegeEscalation');
  });

  it('a malformed pod spec or unreadable YAML is not evaluable, with the reason; the rest of the stream goes on', () => {
    const manifest = `${deployment('list-not', `\n      containers: {name: app}`)}${deployment('sc-string', `\n      containers: [{name: app, image: x, securityContext: "privileged"}]`)}---
apiVersion: apps/v1
kind: Deployment
metadata: {name: broken}
spec: {template: [unclosed
${deployment('after', RESTRICTED_POD)}`;
    const got = workloadsInManifest(manifest, ctx());
    expect(got.map((x) => [x.name, x.strictest])).toEqual([
      ['list-not', null],
      ['sc-string', null],
      ['broken', null],
      ['after', 'restricted'],
    ]);
    expect(got[0].error).toMatch(/containers/);
    expect(got[1].error).toMatch(/securityContext: expected an object, got a string$/);
    expect(got[2].error).toMatch(/not readable as YAML/);
  });

  it('fields no check reads are cut before reading, yet an unknown one is still named and a YAML error keeps its own line', () => {
    // Block style, as Helm writes it: env, labels and resources are cut from the text first (src/audit/prune.ts).
    const unknownEnv = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: env-on-pod
  labels:
    app: x
spec:
  template:
    spec:
      env:
      - name: A
        value: "1"
      containers:
      - name: app
        image: x
`;
    const badLine = '       wrong: 1';
    const broken = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: bad-indent
spec:
  template:
    spec:
      containers:
      - name: app
        image: x
        env:
        - name: A
          value: "1"
        - name: B
          value: "2"
        resources:
          limits:
            cpu: 1
        securityContext:
          privileged: true
${badLine}
`;
    const got = workloadsInManifest(`---\n${unknownEnv}---\n${broken}`, ctx());
    expect(got.map((x) => [x.name, x.strictest])).toEqual([['env-on-pod', null], ['bad-indent', null]]);
    // A Deployment's pod spec has no env field (core/v1 PodSpec): reported by name, as before the cut.
    expect(got[0].error).toMatch(/unknown field "env"/);
    // The line is the one in the document as stored (from its `---` line), not in the cut text (6 lines shorter).
    const line = `---\n${broken}`.split('\n').indexOf(badLine) + 1;
    expect(got[1].error).toMatch(new RegExp(`^not readable as YAML: .* at line ${line} of the document$`));
  });

  it('an alias bomb inside a pod spec costs no more than its text (aliases are shared, not expanded)', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) levels.push(`${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(10).fill(`*${'abcdefghi'[i - 1]}`).join(', ')}]`);
    const bomb = `---
apiVersion: v1
kind: Pod
metadata: {name: bomb}
x-anchors:
${levels.map((l) => `  ${l}`).join('\n')}
spec:
  containers:
  - name: c
    image: x
    args: *i
    env: [{name: A, value: "1"}]
  volumes: *i
`;
    const got = workloadsInManifest(bomb, ctx());
    expect(got).toHaveLength(1);
    // 10^9 volumes if expanded; shared, the engine rejects the first list item that is not a volume.
    expect(got[0].strictest).toBeNull();
    expect(got[0].error).toMatch(/volumes/);
  });

  it('identical evaluations are one shared result', () => {
    const pool = new ResultPool();
    const a = workloadsInManifest(deployment('a', RESTRICTED_POD), { ...ctx(), pool });
    const b = workloadsInManifest(deployment('b', RESTRICTED_POD), { ...ctx(), pool });
    expect(a[0].violations).toBe(b[0].violations);
  });
});

describe('verdict', () => {
  it('no workloads: enforce, warn and audit are the PSP level', () => {
    expect(verdict('baseline', 'restricted', looseRefs([]), 'v1.24')).toEqual({ enforce: 'baseline', audit: 'baseline', warn: 'baseline', version: 'v1.24', limitedBy: [] });
  });

  it('a workload below the PSP level pulls enforce down to what admits it, is named with its checks, and warn/audit go one stricter', () => {
    const cron = w({ kind: 'CronJob', name: 'nightly', strictest: 'privileged', violations: { baseline: [fails('hostPathVolumes')], restricted: [fails('hostPathVolumes'), fails('runAsNonRoot')] } });
    const v = verdict('baseline', 'privileged', looseRefs([cron]), 'latest');
    expect(v.enforce).toBe('privileged');
    expect([v.warn, v.audit]).toEqual(['baseline', 'baseline']);
    expect(v.limitedBy).toEqual([{ level: 'privileged', checks: ['hostPathVolumes'], workloads: ['rel: CronJob nightly (manifest)'] }]);
  });

  it('workloads that pass the PSP level do not limit it; warn/audit go stricter only when something fails the stricter level', () => {
    const web = w({ name: 'web', strictest: 'baseline', violations: { baseline: [], restricted: [fails('seccompProfile_restricted')] } });
    // PSP baseline, workload baseline: enforce baseline; the workload fails restricted -> warn/audit restricted.
    expect(verdict('baseline', 'baseline', looseRefs([web]), 'v1.25')).toMatchObject({ enforce: 'baseline', warn: 'restricted', audit: 'restricted', limitedBy: [] });
    // PSP privileged, workload baseline: enforce privileged (what the PSP allowed); nothing fails baseline -> warn privileged.
    expect(verdict('privileged', 'baseline', looseRefs([web]), 'v1.25')).toMatchObject({ enforce: 'privileged', warn: 'privileged', limitedBy: [] });
  });

  it('a workload that could not be evaluated never counts as passing', () => {
    const bad = w({ name: 'bad', strictest: null, error: 'spec.containers: expected a list' });
    expect(effectiveLevel(bad)).toBeNull();
    const v = verdict('restricted', 'privileged', looseRefs([bad]), 'latest');
    expect(v.enforce).toBe('privileged');
    expect(v.limitedBy).toEqual([{ level: null, checks: ['not evaluable'], workloads: ['rel: Deployment bad (manifest)'] }]);
  });

  it('running pods worse than their template count for the namespace', () => {
    const web = w({ name: 'web', strictest: 'restricted', pods: { count: 2, psp: { p: 2 }, strictest: 'baseline' } });
    expect(effectiveLevel(web)).toBe('baseline');
  });
});

describe('auditManifests with workloads', () => {
  const psp = `---
apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata: {name: p}
spec: {privileged: false, allowPrivilegeEscalation: false, requiredDropCapabilities: [ALL], volumes: [secret], runAsUser: {rule: MustRunAsNonRoot}, seLinux: {rule: RunAsAny}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: team}
roleRef: {kind: ClusterRole, name: use-p, apiGroup: rbac.authorization.k8s.io}
subjects: [{kind: Group, name: "system:serviceaccounts:team", apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: use-p}
rules: [{apiGroups: [policy], resources: [podsecuritypolicies], verbs: [use], resourceNames: [p]}]
`;
  it('the namespace verdict combines the PSP level and the workloads, and the command pins the policy version', () => {
    // Seccomp annotation absent: the PSP rates baseline (psp-to-pss.md §3); the Deployment meets restricted.
    const r = auditManifests([{ namespace: 'team', manifest: psp + deployment('web', RESTRICTED_POD) }], { reading: 'practical', rancher: false, pssVersion: V124 });
    expect(r.pssVersion).toBe('v1.24');
    const [n] = r.namespaces;
    expect([n.name, n.pspLevel, n.workloadLevel, n.enforce, n.warn, n.audit, n.workloads]).toEqual(['team', 'baseline', 'restricted', 'baseline', 'baseline', 'baseline', 1]);
    const labels = ['enforce', 'audit', 'warn'].map((m) => `pod-security.kubernetes.io/${m}=baseline pod-security.kubernetes.io/${m}-version=v1.24`).join(' ');
    expect(n.command).toBe(`kubectl label --overwrite ns team ${labels}`);
  });

  it('up to date only when all six labels match', () => {
    const six = Object.fromEntries(['enforce', 'audit', 'warn'].flatMap((m) => [[`pod-security.kubernetes.io/${m}`, 'baseline'], [`pod-security.kubernetes.io/${m}-version`, 'v1.24']]));
    const run = (labels: Record<string, string>) =>
      auditManifests([{ namespace: 'team', manifest: psp }], { reading: 'practical', rancher: false, pssVersion: V124, namespaceLabels: { team: labels } }).namespaces[0].upToDate;
    expect(run(six)).toBe(true);
    expect(run({ ...six, 'pod-security.kubernetes.io/warn-version': 'latest' })).toBe(false);
  });

  it('Secret values never reach the report, in any format', () => {
    const secret = `---
apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {password: hunter2-kind-Deployment}
data: {token: c2VjcmV0LXRva2Vu}
`;
    const bad = `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x, env: [{name: PW, value: "hunter3"}], securityContext: "hunter4"}]}\n`;
    const r = auditManifests([{ namespace: 'team', manifest: secret + bad }], { reading: 'practical', rancher: false });
    for (const f of ['text', 'json', 'yaml'] as const) {
      const out = renderReport(r, f);
      for (const s of ['hunter2', 'c2VjcmV0LXRva2Vu', 'hunter3', 'hunter4']) expect(out, `${f}: ${s}`).not.toContain(s);
    }
  });
});

describe('live pods', () => {
  const stored = [
    w({ name: 'web', kind: 'Deployment', strictest: 'baseline' }),
    w({ name: 'nightly', kind: 'CronJob', strictest: 'baseline' }),
    w({ name: 'rel-migrate', kind: 'Pod', strictest: 'restricted', source: 'hook:Pod/rel-migrate' }),
    w({ name: 'db', kind: 'StatefulSet', strictest: 'restricted' }),
  ];
  const pod = (name: string, owner?: { kind: string; name: string }, labels: Record<string, string> = {}, psp?: string) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'ns', labels, ...(psp ? { annotations: { 'kubernetes.io/psp': psp } } : {}), ...(owner ? { ownerReferences: [{ ...owner, controller: true }] } : {}) },
    spec: { containers: [{ name: 'c', image: 'x' }] },
  });

  it('finds the stored owner by the names controllers give', () => {
    const idx = indexStored(heldWorkloads([], stored));
    const owner = (p: unknown) => storedOwner(p, idx)?.name;
    expect(owner(pod('web-6d4f9-x1', { kind: 'ReplicaSet', name: 'web-6d4f9' }, { 'pod-template-hash': '6d4f9' }))).toBe('web');
    // Without the hash label the ReplicaSet cannot be traced to its Deployment.
    expect(owner(pod('web-6d4f9-x1', { kind: 'ReplicaSet', name: 'web-6d4f9' }))).toBeUndefined();
    expect(owner(pod('nightly-28930000-abcde', { kind: 'Job', name: 'nightly-28930000' }))).toBe('nightly');
    expect(owner(pod('db-0', { kind: 'StatefulSet', name: 'db' }))).toBe('db');
    expect(owner(pod('rel-migrate'))).toBe('rel-migrate');
    expect(owner(pod('stray'))).toBeUndefined();
    expect(owner({ ...pod('db-0', { kind: 'StatefulSet', name: 'db' }), metadata: { ...pod('db-0', { kind: 'StatefulSet', name: 'db' }).metadata, namespace: 'elsewhere' } })).toBeUndefined();
  });

  it('groups owned pods under their workload, lists the others, and tallies the admitting PSPs', () => {
    const ws = stored.map((x) => ({ ...x }));
    const pods = [
      pod('web-6d4f9-a', { kind: 'ReplicaSet', name: 'web-6d4f9' }, { 'pod-template-hash': '6d4f9' }, 'psp-a'),
      pod('web-6d4f9-b', { kind: 'ReplicaSet', name: 'web-6d4f9' }, { 'pod-template-hash': '6d4f9' }, 'psp-a'),
      pod('debug', undefined, {}, 'psp-b'),
    ];
    const alone = attachLivePods(pods, indexStored(heldWorkloads([], ws)), V124, new ResultPool());
    // The pods' spec sets no securityContext: baseline (restricted checks fail, no baseline check does).
    expect(ws[0].pods).toEqual({ count: 2, psp: { 'psp-a': 2 }, strictest: 'baseline' });
    expect(alone.map((x) => [x.name, x.source, x.psp, x.strictest])).toEqual([['debug', 'live', 'psp-b', 'baseline']]);
    const t = new LiveTally();
    pods.forEach((p) => t.add(p));
    t.add(pod('plain'));
    expect(t.summary()).toEqual({ pods: 4, admittedBy: [{ psp: 'psp-a', pods: 2, namespaces: ['ns'] }, { psp: 'psp-b', pods: 1, namespaces: ['ns'] }, { psp: null, pods: 1, namespaces: ['ns'] }] });
  });
});

describe('admission configuration', () => {
  const ns = (name: string, enforce: NamespaceSuggestion['enforce'], warn = enforce) => ({ name, enforce, warn, audit: warn }) as NamespaceSuggestion;

  it('PodSecurityConfiguration apiVersion follows the Kubernetes version; below 1.22 there is no plugin', () => {
    expect(podSecurityConfigApiVersion(undefined)).toBe('pod-security.admission.config.k8s.io/v1');
    expect(podSecurityConfigApiVersion(25)).toBe('pod-security.admission.config.k8s.io/v1');
    expect(podSecurityConfigApiVersion(24)).toBe('pod-security.admission.config.k8s.io/v1beta1');
    expect(podSecurityConfigApiVersion(23)).toBe('pod-security.admission.config.k8s.io/v1beta1');
    expect(podSecurityConfigApiVersion(22)).toBe('pod-security.admission.config.k8s.io/v1alpha1');
    expect(() => podSecurityConfigApiVersion(21)).toThrow(/no PodSecurity admission plugin/);
  });

  it('exempts namespaces that need privileged (and the extra list), defaults to the most permissive of the rest', () => {
    const c = admissionConfiguration({ namespaces: [ns('a', 'restricted'), ns('b', 'baseline', 'restricted'), ns('c', 'privileged', 'baseline')], version: 'v1.24', kubeMinor: 24, exempt: ['kube-system'] });
    expect(c.apiVersion).toBe('apiserver.config.k8s.io/v1');
    expect(c.kind).toBe('AdmissionConfiguration');
    const [p] = c.plugins;
    expect(p.name).toBe('PodSecurity');
    expect(p.configuration.kind).toBe('PodSecurityConfiguration');
    expect(p.configuration.defaults).toEqual({ enforce: 'baseline', 'enforce-version': 'v1.24', audit: 'restricted', 'audit-version': 'v1.24', warn: 'restricted', 'warn-version': 'v1.24' });
    expect(p.configuration.exemptions).toEqual({ usernames: [], runtimeClasses: [], namespaces: ['c', 'kube-system'] });
  });
});

describe('text report on a large cluster', () => {
  it('per-namespace summary first; details name at most 10 limiting and 20 grouped workloads per entry, with the rest counted', () => {
    const many = Array.from({ length: 45 }, (_, i) => deployment(`web-${i}`, `\n      containers: [{name: app, image: x, securityContext: {privileged: true}}]`)).join('');
    const r = auditManifests([{ namespace: 'big', manifest: many }], { reading: 'practical', rancher: false });
    const text = renderReport(r, 'text');
    expect(text.indexOf('Namespaces (')).toBeLessThan(text.indexOf('Workloads below restricted'));
    expect(text).toContain('... and 35 more');
    expect(text).toContain('      ... and 25 more (-o json lists every workload)');
    expect(JSON.parse(renderReport(r, 'json')).workloads).toHaveLength(45);
  });

  it('lists the first 20 workloads of a shared evaluation in input order across releases, and counts the rest', () => {
    const privileged = `\n      containers: [{name: app, image: x, securityContext: {privileged: true}}]`;
    const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
    const inputs = ['one', 'two', 'three'].map((release) => ({
      release, namespace: 'big', manifest: names(release, 9).map((n) => deployment(n, privileged)).join(''),
    }));
    const text = renderReport(auditManifests(inputs, { reading: 'practical', rancher: false, pssVersion: V124 }), 'text');
    const listed = text.split('\n').filter((l) => /^ {6}\w+: Deployment /.test(l)).map((l) => l.trim());
    // 27 workloads share one evaluation: the first 20 in release order, then a count.
    const expected = [...names('one', 9).map((n) => `one: Deployment ${n} (manifest)`), ...names('two', 9).map((n) => `two: Deployment ${n} (manifest)`), 'three: Deployment three-0 (manifest)', 'three: Deployment three-1 (manifest)'];
    expect(listed).toEqual(expected);
    expect(text).toContain('      ... and 7 more (-o json lists every workload)');
  });
});

describe('json output', () => {
  it('is byte for byte JSON.stringify of the report, written in pieces', () => {
    const r = auditManifests([{ namespace: 'team', manifest: deployment('a', RESTRICTED_POD) + deployment('b', `\n      containers: [{name: c, image: x}]`) }], { reading: 'practical', rancher: false, pssVersion: V124 });
    // The key order of schemas/audit-output.schema.json's `required`.
    const ordered = (x: typeof r) => JSON.stringify({
      reading: x.reading, kubeVersion: x.kubeVersion, pssVersion: x.pssVersion, rancher: x.rancher, policies: x.policies, namespaces: x.namespaces,
      rancherPspValues: x.rancherPspValues, live: null, workloads: [...x.workloads], warnings: x.warnings,
    }, null, 2) + '\n';
    expect(renderReport(r, 'json')).toBe(ordered(r));
    const empty = auditManifests([{ namespace: 'team', manifest: '' }], { reading: 'practical', rancher: false });
    expect(renderReport(empty, 'json')).toBe(ordered(empty));
    // Shared evaluations (their text is written once), a workload that is not evaluable, a
    // hook, another namespace and a name with a line break, over two releases.
    const plain = `\n      containers: [{name: c, image: x}]`;
    const mixed = auditManifests(
      [
        { release: 'one', namespace: 'team', manifest: deployment('a', plain) + deployment('b', plain) + deployment('c', '\n      containers: oops'), hooks: [deployment('h', plain)], hookSources: ['hook:Deployment/h'] },
        { release: 'two', namespace: 'ops', manifest: deployment('"line\\nbreak"', plain) + deployment('d', RESTRICTED_POD) },
      ],
      { reading: 'practical', rancher: false, pssVersion: V124 },
    );
    expect([...mixed.workloads].map((w) => w.name)).toEqual(['a', 'b', 'c', 'h', 'line\nbreak', 'd']);
    expect([...mixed.workloads].filter((w) => w.error !== undefined)).toHaveLength(1);
    expect(renderReport(mixed, 'json')).toBe(ordered(mixed));
    // Policies and warnings are lists written entry by entry too.
    const psp = (name: string, privileged: boolean) => `---
apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata:
  name: ${name}
spec:
  privileged: ${privileged}
  seLinux: {rule: RunAsAny}
  runAsUser: {rule: RunAsAny}
  supplementalGroups: {rule: RunAsAny}
  fsGroup: {rule: RunAsAny}
  volumes: ['*']
`;
    const withPolicies = auditManifests(
      [{ release: 'p', namespace: 'team', manifest: psp('open', true) + psp('closed', false) + '---\nkind: [broken\n' }],
      { reading: 'practical', rancher: false, pssVersion: V124 },
    );
    expect(withPolicies.policies.map((p) => p.name)).toEqual(['open', 'closed']);
    expect(withPolicies.warnings.length).toBeGreaterThan(0);
    expect(renderReport(withPolicies, 'json')).toBe(ordered(withPolicies));
  });

  it('yaml is byte for byte stringify() of the whole report, written an entry at a time', () => {
    const plain = `\n      containers: [{name: c, image: x}]`;
    // A name long enough to be folded, one that needs quoting, a shared evaluation, a broken workload, a hook.
    const long = 'x'.repeat(70) + ' y'.repeat(20);
    const r = auditManifests(
      [
        { release: 'one', namespace: 'team', manifest: deployment(JSON.stringify(long), plain) + deployment('"yes"', plain) + deployment('c', '\n      containers: oops'), hooks: [deployment('h', plain)], hookSources: ['hook:Deployment/h'] },
        { release: 'two', namespace: 'ops', manifest: deployment('d', RESTRICTED_POD) + '---\nkind: [broken\n' },
        // A name that spells the writer's stand-in for the violations, on a line of its own too.
        { release: 'three', namespace: 'ops', manifest: deployment(JSON.stringify('psa-clean-violations-here\nviolations: psa-clean-violations-here\n'), plain) },
      ],
      { reading: 'practical', rancher: false, pssVersion: V124 },
    );
    expect(r.warnings.length).toBeGreaterThan(0);
    const whole = (x: typeof r) => stringify({ ...x, live: x.live ?? null, workloads: [...x.workloads], warnings: x.warnings }, { aliasDuplicateObjects: false });
    expect(whole(r)).toMatch(/\n {6}y y y/); // the long name is folded onto a continuation line
    expect(renderReport(r, 'yaml')).toBe(whole(r));
    const withLive = { ...r, live: { pods: 3, admittedBy: [{ psp: 'p', pods: 3, namespaces: ['team'] }] } };
    expect(renderReport(withLive, 'yaml')).toBe(whole(withLive));
    const empty = auditManifests([{ namespace: 'team', manifest: '' }], { reading: 'practical', rancher: false });
    expect(renderReport(empty, 'yaml')).toBe(whole(empty));
  });
});
