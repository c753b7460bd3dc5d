import { describe, expect, it } from 'vitest';
import { CONTAINER_FIELDS, ctr, failing, podWith, upstreamTable } from '../helpers.js';

const sc = (type: string) => ({ seccompProfile: { type } });
const POD_ANN = 'seccomp.security.alpha.kubernetes.io/pod';
const C_ANN = 'container.seccomp.security.alpha.kubernetes.io/';
const mixed = [ctr('a'), ctr('b', {}), ctr('c', sc('Unconfined')), ctr('d', sc('Unconfined')), ctr('e', sc('RuntimeDefault')), ctr('f', sc('RuntimeDefault'))];
const fallthrough = [ctr('a'), ctr('b', {}), ctr('d', sc('RuntimeDefault')), ctr('e', sc('RuntimeDefault'))];
const MUST_SET = 'must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"';

describe('seccompProfile_baseline: upstream cases (check_seccompProfile_baseline_test.go)', () => {
  upstreamTable('seccompProfile_baseline', 'v1.0', [
    { name: 'pod seccomp invalid', pod: { metadata: { annotations: { [POD_ANN]: 'unconfined' } }, spec: {} }, reason: 'seccompProfile', detail: `forbidden annotation ${POD_ANN}="unconfined"` },
    {
      name: 'containers seccomp invalid',
      pod: { metadata: { annotations: { [`${C_ANN}a`]: 'unconfined', [`${C_ANN}b`]: 'unknown' } }, spec: { containers: [ctr('a'), ctr('b'), ctr('c')] } },
      reason: 'seccompProfile',
      detail: `forbidden annotations ${C_ANN}a="unconfined", ${C_ANN}b="unknown"`,
    },
    {
      name: 'pod and containers seccomp invalid',
      pod: { metadata: { annotations: { [POD_ANN]: 'unconfined', [`${C_ANN}a`]: 'unconfined', [`${C_ANN}b`]: 'unknown' } }, spec: { containers: [ctr('a'), ctr('b'), ctr('c')] } },
      reason: 'seccompProfile',
      detail: `forbidden annotations ${C_ANN}a="unconfined", ${C_ANN}b="unknown", ${POD_ANN}="unconfined"`,
    },
  ]);
  upstreamTable('seccompProfile_baseline', 'v1.19', [
    { name: 'pod seccomp invalid', pod: { spec: { securityContext: sc('Unconfined'), containers: [ctr('a')] } }, reason: 'seccompProfile', detail: 'pod must not set securityContext.seccompProfile.type to "Unconfined"' },
    { name: 'containers seccomp invalid', pod: { spec: { securityContext: sc('RuntimeDefault'), containers: mixed } }, reason: 'seccompProfile', detail: 'containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"' },
    { name: 'pod and containers seccomp invalid', pod: { spec: { securityContext: sc('Unconfined'), containers: mixed } }, reason: 'seccompProfile', detail: 'pod and containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"' },
  ]);
});

describe('seccompProfile_restricted: upstream cases (check_seccompProfile_restricted_test.go)', () => {
  const common = [
    { name: 'no explicit seccomp', pod: { spec: { containers: [ctr('a')] } }, reason: 'seccompProfile', detail: `pod or container "a" ${MUST_SET}` },
    { name: 'pod seccomp invalid', pod: { spec: { securityContext: sc('Unconfined'), containers: [ctr('a')] } }, reason: 'seccompProfile', detail: 'pod must not set securityContext.seccompProfile.type to "Unconfined"' },
    { name: 'containers seccomp invalid', pod: { spec: { securityContext: sc('RuntimeDefault'), containers: mixed } }, reason: 'seccompProfile', detail: 'containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"' },
    { name: 'pod nil, container fallthrough', pod: { spec: { containers: fallthrough } }, reason: 'seccompProfile', detail: `pod or containers "a", "b" ${MUST_SET}` },
  ];
  upstreamTable('seccompProfile_restricted', 'v1.19', common);
  upstreamTable('seccompProfile_restricted', 'v1.25', [
    ...common,
    { name: 'no explicit seccomp, windows Pod', pod: { spec: { os: { name: 'windows' }, containers: [ctr('a')] } } },
    { name: 'no explicit seccomp, linux pod', pod: { spec: { os: { name: 'linux' }, containers: [ctr('a')] } }, reason: 'seccompProfile', detail: `pod or container "a" ${MUST_SET}` },
  ]);
});

describe('seccompProfile: versions and fields', () => {
  for (const field of CONTAINER_FIELDS) {
    it(`${field}: baseline reads the annotations before v1.19 and the fields from v1.19`, () => {
      const byAnnotation = { metadata: { annotations: { [`${C_ANN}x`]: 'unconfined' } }, spec: { [field]: [ctr('x')] } };
      const byField = podWith(field, ctr('x', sc('Unconfined')));
      expect(failing('baseline', 'v1.18', byAnnotation)).toEqual(['seccompProfile_baseline']);
      expect(failing('baseline', 'v1.19', byAnnotation)).toEqual([]);
      expect(failing('baseline', 'v1.18', byField)).toEqual([]);
      expect(failing('baseline', 'v1.19', byField)).toEqual(['seccompProfile_baseline']);
      expect(failing('baseline', 'v1.19', podWith(field, ctr('x', sc('Localhost'))))).toEqual([]);
    });
    it(`${field}: restricted requires a profile from v1.19 (replacing the baseline rule), not at v1.18`, () => {
      expect(failing('restricted', 'v1.18', podWith(field, ctr('x')))).not.toContain('seccompProfile_restricted');
      expect(failing('restricted', 'v1.19', podWith(field, ctr('x')))).toContain('seccompProfile_restricted');
      expect(failing('restricted', 'v1.19', podWith(field, ctr('x', sc('Unconfined'))))).not.toContain('seccompProfile_baseline');
      expect(failing('restricted', 'v1.19', podWith(field, ctr('x', sc('RuntimeDefault'))))).not.toContain('seccompProfile_restricted');
    });
  }
  it('pod level: the annotation before v1.19, the field from v1.19; a pod profile covers all containers', () => {
    expect(failing('baseline', 'v1.0', { metadata: { annotations: { [POD_ANN]: 'unconfined' } }, spec: {} })).toEqual(['seccompProfile_baseline']);
    expect(failing('baseline', 'v1.0', { metadata: { annotations: { [POD_ANN]: 'docker/default' } }, spec: {} })).toEqual([]);
    expect(failing('baseline', 'v1.19', { spec: { securityContext: sc('Unconfined') } })).toEqual(['seccompProfile_baseline']);
    expect(failing('restricted', 'v1.19', { spec: { securityContext: sc('RuntimeDefault'), containers: [ctr('x')] } })).not.toContain('seccompProfile_restricted');
  });
  it('restricted exempts Windows pods from v1.25, not at v1.24', () => {
    const windows = podWith('containers', ctr('x'), { os: { name: 'windows' } });
    expect(failing('restricted', 'v1.24', windows)).toContain('seccompProfile_restricted');
    expect(failing('restricted', 'v1.25', windows)).not.toContain('seccompProfile_restricted');
  });
});
