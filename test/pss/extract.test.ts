import { describe, expect, it } from 'vitest';
import { PodShapeError, evaluatePod, extractPod, parsePolicyVersion } from '../../src/pss/index.js';

const meta = { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } };
const spec = { containers: [{ name: 'app', image: 'nginx' }] };
const template = { metadata: meta, spec };
const workloadMeta = { name: 'w', annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' } };

const cases: [string, string, unknown, string][] = [
  ['v1', 'PodTemplate', { template }, 'template'],
  ['v1', 'ReplicationController', { spec: { template } }, 'spec.template'],
  ['apps/v1', 'ReplicaSet', { spec: { template } }, 'spec.template'],
  ['apps/v1', 'Deployment', { spec: { replicas: 0, template } }, 'spec.template'],
  ['apps/v1', 'StatefulSet', { spec: { template } }, 'spec.template'],
  ['apps/v1', 'DaemonSet', { spec: { template } }, 'spec.template'],
  ['batch/v1', 'Job', { spec: { template } }, 'spec.template'],
  ['batch/v1', 'CronJob', { spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } }, 'spec.jobTemplate.spec.template'],
  ['extensions/v1beta1', 'Deployment', { spec: { template } }, 'spec.template'],
  ['batch/v1beta1', 'CronJob', { spec: { jobTemplate: { spec: { template } } } }, 'spec.jobTemplate.spec.template'],
];

describe('extractPod: PSA default extractor', () => {
  it('Pod: its own metadata and spec', () => {
    expect(extractPod({ apiVersion: 'v1', kind: 'Pod', metadata: meta, spec })).toEqual({ kind: 'Pod', metadata: meta, spec, templatePath: '' });
  });
  for (const [apiVersion, kind, body, path] of cases) {
    it(`${apiVersion} ${kind}: the template's metadata (not the workload's) and spec`, () => {
      const pod = extractPod({ apiVersion, kind, metadata: workloadMeta, ...(body as object) });
      expect(pod).toEqual({ kind, metadata: meta, spec, templatePath: path });
      // the template's AppArmor annotation is what is judged
      const result = evaluatePod(pod!, parsePolicyVersion('latest'));
      expect(result.ok && result.baseline.map((v) => v.check)).toEqual(['appArmorProfile']);
    });
  }
  it.each([
    [{ apiVersion: 'v1', kind: 'Service', spec: { template } }],
    [{ apiVersion: 'v1', kind: 'ConfigMap', data: {} }],
    [{ apiVersion: 'example.com/v1', kind: 'Deployment', spec: { template } }],
    [{ apiVersion: 'apps/v1', kind: 'Job', spec: { template } }],
    [{ kind: 'toString' }],
    [{ kind: '__proto__' }],
    [null],
    ['Pod'],
    [[{ kind: 'Pod' }]],
  ])('other kinds and non-objects: null (%j)', (obj) => {
    expect(extractPod(obj)).toBeNull();
  });
  it('a ReplicationController without a template is skipped, as upstream does (its template is optional)', () => {
    expect(extractPod({ apiVersion: 'v1', kind: 'ReplicationController', spec: { replicas: 1 } })).toBeNull();
  });
  it('a workload without a template is extracted with no spec and is not evaluable', () => {
    const pod = extractPod({ apiVersion: 'apps/v1', kind: 'Deployment', spec: {} });
    expect(pod).toEqual({ kind: 'Deployment', metadata: undefined, spec: undefined, templatePath: 'spec.template' });
    expect(evaluatePod(pod!, parsePolicyVersion('latest'))).toEqual({ ok: false, error: 'spec.template.spec: missing: there is no pod spec to evaluate' });
  });
  it('a template path that is not an object throws PodShapeError naming the path', () => {
    expect(() => extractPod({ apiVersion: 'batch/v1', kind: 'CronJob', spec: { jobTemplate: 'x' } })).toThrow(PodShapeError);
    expect(() => extractPod({ apiVersion: 'batch/v1', kind: 'CronJob', spec: { jobTemplate: 'x' } })).toThrow('spec.jobTemplate: expected an object, got string');
    expect(() => extractPod({ apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: [] } })).toThrow('spec.template: expected an object, got a list');
  });
  it('errors inside an extracted template name the path in the workload', () => {
    const pod = extractPod({ apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { spec: { containers: [{ name: 'a', securityContext: 'privileged' }] } } } });
    expect(evaluatePod(pod!, parsePolicyVersion('latest'))).toEqual({
      ok: false,
      error: 'spec.template.spec.containers[0].securityContext: expected an object, got a string ("privileged")',
    });
  });
});
