import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { admissionMessage, evaluatePod, extractPod, parsePolicyVersion, type Evaluation } from '../../src/pss/index.js';

// Hand-written pods of the kinds charts ship, with the strictest level each meets at given
// policy versions, worked out from upstream's rules (comments say which rule decides).
const HARDENED = `
apiVersion: v1
kind: Pod
metadata: {name: hardened}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: app
    image: app
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;
const PLAIN_DEPLOYMENT = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 0
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        ports: [{containerPort: 80}]
`;
const NODE_AGENT = `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  template:
    spec:
      hostNetwork: true
      volumes: [{name: root, hostPath: {path: /}}]
      containers:
      - name: agent
        image: agent
        securityContext: {privileged: true}
`;
const WINDOWS_JOB = `
apiVersion: batch/v1
kind: CronJob
metadata: {name: win}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          os: {name: windows}
          securityContext: {runAsNonRoot: true}
          containers: [{name: task, image: task}]
`;
const USERNS_ROOT = `
apiVersion: v1
kind: Pod
metadata: {name: userns}
spec:
  hostUsers: false
  securityContext: {runAsUser: 0, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: app
    image: app
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, procMount: Unmasked}
`;

function evaluate(manifest: string, version: string): Evaluation {
  return evaluatePod(extractPod(parse(manifest))!, parsePolicyVersion(version));
}
const strictest = (manifest: string, version: string) => {
  const result = evaluate(manifest, version);
  return result.ok ? result.strictest : result.error;
};

describe('evaluatePod: strictest level of hand-written pods', () => {
  it('a hardened pod is restricted at every version', () => {
    for (const version of ['v1.0', 'v1.19', 'v1.25', 'latest']) expect(strictest(HARDENED, version)).toBe('restricted');
  });
  it('a plain Deployment is baseline, with restricted violations in upstream order', () => {
    const result = evaluate(PLAIN_DEPLOYMENT, 'v1.24');
    expect(result.ok && result.strictest).toBe('baseline');
    expect(result.ok && result.restricted.map((v) => v.check)).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted']);
    // before 1.8/1.19/1.22 those checks did not exist: only runAsNonRoot applies at v1.7
    expect(evaluate(PLAIN_DEPLOYMENT, 'v1.7')).toMatchObject({ ok: true, restricted: [{ check: 'runAsNonRoot' }] });
  });
  it('a node agent is privileged; restricted lists the baseline failures too (restrictedVolumes instead of hostPathVolumes)', () => {
    const result = evaluate(NODE_AGENT, 'v1.25');
    expect(result.ok && result.strictest).toBe('privileged');
    expect(result.ok && result.baseline.map((v) => v.check)).toEqual(['hostNamespaces', 'hostPathVolumes', 'privileged']);
    expect(result.ok && result.restricted.map((v) => v.check)).toEqual([
      'hostNamespaces', 'privileged', 'allowPrivilegeEscalation', 'capabilities_restricted', 'restrictedVolumes', 'runAsNonRoot', 'seccompProfile_restricted',
    ]);
  });
  it('a Windows CronJob is restricted from v1.25 (spec.os exemptions), baseline at v1.24', () => {
    expect(strictest(WINDOWS_JOB, 'v1.24')).toBe('baseline');
    expect(strictest(WINDOWS_JOB, 'v1.25')).toBe('restricted');
  });
  it('a root pod in its own user namespace: relaxed from v1.35, except procMount at restricted', () => {
    expect(strictest(USERNS_ROOT, 'v1.34')).toBe('privileged'); // procMount Unmasked fails baseline before 1.35
    // from 1.35 baseline allows it in a user namespace, and runAsUser/runAsNonRoot relax, but
    // procMount_restricted keeps the unconditional rule
    expect(evaluate(USERNS_ROOT, 'v1.35')).toMatchObject({ ok: true, strictest: 'baseline', baseline: [], restricted: [{ check: 'procMount_restricted' }] });
    const withoutProcMount = USERNS_ROOT.replace(', procMount: Unmasked', '');
    expect(strictest(withoutProcMount, 'v1.34')).toBe('baseline'); // runAsUser=0, runAsNonRoot unset
    expect(strictest(withoutProcMount, 'v1.35')).toBe('restricted');
  });
  it('a version newer than known evaluates as latest', () => {
    for (const manifest of [HARDENED, PLAIN_DEPLOYMENT, NODE_AGENT, WINDOWS_JOB, USERNS_ROOT]) {
      expect(evaluate(manifest, 'v1.99')).toEqual(evaluate(manifest, 'latest'));
    }
  });
  it('the issue\'s example message, word for word', () => {
    const result = evaluate(PLAIN_DEPLOYMENT.replaceAll('web', 'app'), 'v1.25');
    if (!result.ok) throw new Error(result.error);
    expect(admissionMessage('warn', 'restricted', parsePolicyVersion('v1.25'), result.restricted)).toBe(
      'would violate PodSecurity "restricted:v1.25": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), ' +
        'runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), ' +
        'seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
  });
});
