import { describe, expect, it } from 'vitest';
import { CONTAINER_FIELDS, ctr, failing, podWith, upstreamTable } from '../helpers.js';

const ID = 'allowPrivilegeEscalation';
const multiple = {
  spec: {
    containers: [
      ctr('a'),
      ctr('b', { allowPrivilegeEscalation: null }),
      ctr('c', { allowPrivilegeEscalation: true }),
      ctr('d', { allowPrivilegeEscalation: false }),
    ],
  },
};

describe('allowPrivilegeEscalation: upstream cases (check_allowPrivilegeEscalation_test.go)', () => {
  upstreamTable(ID, 'v1.25', [
    { name: 'multiple containers', pod: multiple, reason: 'allowPrivilegeEscalation != false', detail: 'containers "a", "b", "c" must set securityContext.allowPrivilegeEscalation=false' },
    { name: 'windows pod, admit without checking privilegeEscalation', pod: { spec: { os: { name: 'windows' }, containers: [ctr('a')] } } },
    { name: 'linux pod, reject if security context is not set', pod: { spec: { os: { name: 'linux' }, containers: [ctr('a')] } }, reason: 'allowPrivilegeEscalation != false', detail: 'container "a" must set securityContext.allowPrivilegeEscalation=false' },
  ]);
  upstreamTable(ID, 'v1.8', [
    { name: 'multiple containers', pod: multiple, reason: 'allowPrivilegeEscalation != false', detail: 'containers "a", "b", "c" must set securityContext.allowPrivilegeEscalation=false' },
  ]);
});

describe('allowPrivilegeEscalation: versions and fields', () => {
  for (const field of CONTAINER_FIELDS) {
    it(`${field}: required from v1.8, not at v1.7; false passes, true and unset fail`, () => {
      expect(failing('restricted', 'v1.8', podWith(field, ctr('x', { allowPrivilegeEscalation: true })))).toContain(ID);
      expect(failing('restricted', 'v1.8', podWith(field, ctr('x')))).toContain(ID);
      expect(failing('restricted', 'v1.7', podWith(field, ctr('x', { allowPrivilegeEscalation: true })))).not.toContain(ID);
      expect(failing('restricted', 'v1.8', podWith(field, ctr('x', { allowPrivilegeEscalation: false })))).not.toContain(ID);
    });
  }
  it('is a restricted check only', () => {
    expect(failing('baseline', 'latest', podWith('containers', ctr('x', { allowPrivilegeEscalation: true })))).not.toContain(ID);
  });
  it('exempts Windows pods from v1.25, not at v1.24', () => {
    const windows = podWith('containers', ctr('x'), { os: { name: 'windows' } });
    expect(failing('restricted', 'v1.24', windows)).toContain(ID);
    expect(failing('restricted', 'v1.25', windows)).not.toContain(ID);
  });
});
