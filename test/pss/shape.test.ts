import { describe, expect, it } from 'vitest';
import { PodShapeError, checkPod, evaluatePod, parsePolicyVersion } from '../../src/pss/index.js';

const latest = parsePolicyVersion('latest');
const c = (extra: Record<string, unknown>) => ({ name: 'a', ...extra });

describe('malformed pods: not evaluable, with the field path and the problem; never passing, never a crash', () => {
  const cases: [string, unknown, unknown, string][] = [
    ['spec missing', undefined, undefined, 'spec: missing: there is no pod spec to evaluate'],
    ['spec a string', undefined, 'x', 'spec: expected an object, got a string ("x")'],
    ['containers not a list', undefined, { containers: { name: 'a' } }, 'spec.containers: expected a list, got an object'],
    ['a container is null', undefined, { containers: [null] }, 'spec.containers[0]: expected an object, got null'],
    ['securityContext a string', undefined, { containers: [c({ securityContext: 'privileged' })] }, 'spec.containers[0].securityContext: expected an object, got a string ("privileged")'],
    ['privileged a string', undefined, { initContainers: [c({ securityContext: { privileged: 'true' } })] }, 'spec.initContainers[0].securityContext.privileged: expected a boolean, got a string ("true")'],
    ['unknown field in a securityContext (a typo)', undefined, { ephemeralContainers: [c({ securityContext: { privilegd: true } })] }, 'spec.ephemeralContainers[0].securityContext: unknown field "privilegd"'],
    ['unknown field in the pod spec', undefined, { containers: [], hostNetwrk: true }, 'spec: unknown field "hostNetwrk"'],
    ['unknown field in a container', undefined, { containers: [c({ securityContxt: {} })] }, 'spec.containers[0]: unknown field "securityContxt"'],
    ['unknown volume type', undefined, { volumes: [{ name: 'v', hostpath: {} }] }, 'spec.volumes[0]: unknown field "hostpath"'],
    ['volume source a string', undefined, { volumes: [{ name: 'v', hostPath: '/etc' }] }, 'spec.volumes[0].hostPath: expected an object, got a string ("/etc")'],
    ['hostPort not an integer', undefined, { containers: [c({ ports: [{ containerPort: 80, hostPort: '80' }] })] }, 'spec.containers[0].ports[0].hostPort: expected a 32-bit integer, got a string ("80")'],
    ['hostPort out of range', undefined, { containers: [c({ ports: [{ hostPort: 2 ** 31 }] })] }, 'spec.containers[0].ports[0].hostPort: expected a 32-bit integer, got a number (2147483648)'],
    ['runAsUser fractional', undefined, { securityContext: { runAsUser: 0.5 } }, 'spec.securityContext.runAsUser: expected an integer, got a number (0.5)'],
    ['capabilities.add not a list', undefined, { containers: [c({ securityContext: { capabilities: { add: 'NET_ADMIN' } } })] }, 'spec.containers[0].securityContext.capabilities.add: expected a list, got a string ("NET_ADMIN")'],
    ['a capability not a string', undefined, { containers: [c({ securityContext: { capabilities: { add: [1] } } })] }, 'spec.containers[0].securityContext.capabilities.add[0]: expected a string, got a number (1)'],
    ['sysctls not a list', undefined, { securityContext: { sysctls: { name: 'x' } } }, 'spec.securityContext.sysctls: expected a list, got an object'],
    ['probe host a number', undefined, { containers: [c({ livenessProbe: { httpGet: { host: 1, port: 80 } } })] }, 'spec.containers[0].livenessProbe.httpGet.host: expected a string, got a number (1)'],
    ['metadata a list', [], { containers: [] }, 'metadata: expected an object, got a list'],
    ['annotations a list', { annotations: ['a'] }, { containers: [] }, 'metadata.annotations: expected a map of strings, got a list'],
    ['an annotation value a number', { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 1 } }, { containers: [] }, 'metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]: expected a string, got a number (1)'],
  ];
  for (const [name, metadata, spec, error] of cases) {
    it(name, () => {
      expect(evaluatePod({ metadata, spec }, latest)).toEqual({ ok: false, error });
      expect(() => checkPod('baseline', { metadata, spec }, latest)).toThrow(PodShapeError);
      expect(() => checkPod('restricted', { metadata, spec }, latest)).toThrow(error);
    });
  }
});

describe('what is not malformed', () => {
  it('null means unset everywhere, as in Go (nil pointer, empty list, zero value)', () => {
    const spec = { hostNetwork: null, securityContext: null, volumes: null, initContainers: null, containers: [{ name: 'a', securityContext: { privileged: null, capabilities: null }, ports: null }] };
    const result = evaluatePod({ metadata: { annotations: null }, spec }, latest);
    expect(result).toMatchObject({ ok: true, strictest: 'baseline', baseline: [] });
  });
  it('fields the checks do not read are not examined (resources, env, affinity ...)', () => {
    const spec = { affinity: 'anything', containers: [{ name: 'a', env: 42, resources: [], image: { odd: true } }] };
    expect(evaluatePod({ spec }, latest)).toMatchObject({ ok: true });
  });
  it('a secret-looking value in a field no check reads never appears in an error', () => {
    const result = evaluatePod({ spec: { containers: [{ name: 'a', env: [{ name: 'PASSWORD', value: 's3cr3t' }], securityContext: 'x' }] } }, latest);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('s3cr3t');
  });
  it('an annotation key like "__proto__" is plain data', () => {
    const metadata = JSON.parse('{"annotations":{"__proto__":"x","container.apparmor.security.beta.kubernetes.io/a":"unconfined"}}');
    const result = evaluatePod({ metadata, spec: { containers: [{ name: 'a' }] } }, latest);
    expect(result.ok && result.baseline.map((v) => v.check)).toEqual(['appArmorProfile']);
  });
});
