import { describe, expect, it } from 'vitest';
import { CONTAINER_FIELDS, ctr, failing, podWith, upstreamTable } from '../helpers.js';

describe('runAsNonRoot: upstream cases (check_runAsNonRoot_test.go)', () => {
  const R = 'runAsNonRoot != true';
  upstreamTable('runAsNonRoot', 'v1.35', [
    { name: 'no explicit runAsNonRoot', pod: { spec: { containers: [ctr('a')] } }, reason: R, detail: 'pod or container "a" must set securityContext.runAsNonRoot=true' },
    { name: 'pod runAsNonRoot=false', pod: { spec: { securityContext: { runAsNonRoot: false }, containers: [ctr('a')] } }, reason: R, detail: 'pod must not set securityContext.runAsNonRoot=false' },
    {
      name: 'containers runAsNonRoot=false',
      pod: {
        spec: {
          securityContext: { runAsNonRoot: true },
          containers: [ctr('a'), ctr('b', {}), ctr('c', { runAsNonRoot: false }), ctr('d', { runAsNonRoot: false }), ctr('e', { runAsNonRoot: true }), ctr('f', { runAsNonRoot: true })],
        },
      },
      reason: R,
      detail: 'containers "c", "d" must not set securityContext.runAsNonRoot=false',
    },
    {
      name: 'pod nil, container fallthrough',
      pod: { spec: { containers: [ctr('a'), ctr('b', {}), ctr('d', { runAsNonRoot: true }), ctr('e', { runAsNonRoot: true })] } },
      reason: R,
      detail: 'pod or containers "a", "b" must set securityContext.runAsNonRoot=true',
    },
    { name: 'host users false allowed', pod: { spec: { hostUsers: false } } },
  ]);
});

describe('runAsUser: upstream cases (check_runAsUser_test.go)', () => {
  upstreamTable('runAsUser', 'v1.35', [
    { name: 'pod runAsUser=0', pod: { spec: { securityContext: { runAsUser: 0 }, containers: [ctr('a')] } }, reason: 'runAsUser=0', detail: 'pod must not set runAsUser=0' },
    { name: 'pod runAsUser=non-zero', pod: { spec: { securityContext: { runAsUser: 1000 }, containers: [ctr('a')] } } },
    { name: 'pod runAsUser=nil', pod: { spec: { securityContext: { runAsUser: null }, containers: [ctr('a')] } } },
    {
      name: 'containers runAsUser=0',
      pod: {
        spec: {
          securityContext: { runAsUser: 1000 },
          containers: [ctr('a'), ctr('b', {}), ctr('c', { runAsUser: 0 }), ctr('d', { runAsUser: 0 }), ctr('e', { runAsUser: 1 }), ctr('f', { runAsUser: 1 })],
        },
      },
      reason: 'runAsUser=0',
      detail: 'containers "c", "d" must not set runAsUser=0',
    },
    { name: 'containers runAsUser=non-zero', pod: { spec: { containers: [1, 2, 3, 4].map((u, i) => ctr('cdef'[i], { runAsUser: u })) } } },
    { name: 'host users false allowed', pod: { spec: { hostUsers: false } } },
  ]);
});

describe('runAsNonRoot and runAsUser: versions and fields', () => {
  for (const field of CONTAINER_FIELDS) {
    it(`${field}: runAsNonRoot is required from v1.0 (the first version); set on the container or the pod`, () => {
      expect(failing('restricted', 'v1.0', podWith(field, ctr('x')))).toContain('runAsNonRoot');
      expect(failing('restricted', 'v1.0', podWith(field, ctr('x', { runAsNonRoot: false }), { securityContext: { runAsNonRoot: true } }))).toContain('runAsNonRoot');
      expect(failing('restricted', 'v1.0', podWith(field, ctr('x', { runAsNonRoot: true })))).not.toContain('runAsNonRoot');
      expect(failing('restricted', 'v1.0', podWith(field, ctr('x'), { securityContext: { runAsNonRoot: true } }))).not.toContain('runAsNonRoot');
      expect(failing('baseline', 'latest', podWith(field, ctr('x')))).toEqual([]);
    });
    it(`${field}: runAsUser=0 fails from v1.23, not at v1.22`, () => {
      const pod = podWith(field, ctr('x', { runAsUser: 0, runAsNonRoot: true }));
      expect(failing('restricted', 'v1.22', pod)).not.toContain('runAsUser');
      expect(failing('restricted', 'v1.23', pod)).toContain('runAsUser');
      expect(failing('restricted', 'v1.23', podWith(field, ctr('x', { runAsUser: 1000 })))).not.toContain('runAsUser');
    });
  }
  it('pod-level runAsUser=0 fails from v1.23', () => {
    const pod = { spec: { securityContext: { runAsUser: 0 }, containers: [ctr('x')] } };
    expect(failing('restricted', 'v1.22', pod)).not.toContain('runAsUser');
    expect(failing('restricted', 'v1.23', pod)).toContain('runAsUser');
  });
  it('pods with their own user namespace are exempt from both from v1.35, not at v1.34', () => {
    const pod = { spec: { hostUsers: false, securityContext: { runAsUser: 0, runAsNonRoot: false }, containers: [ctr('x')] } };
    expect(failing('restricted', 'v1.34', pod)).toEqual(expect.arrayContaining(['runAsNonRoot', 'runAsUser']));
    expect(failing('restricted', 'v1.35', pod)).not.toContain('runAsNonRoot');
    expect(failing('restricted', 'v1.35', pod)).not.toContain('runAsUser');
  });
});
