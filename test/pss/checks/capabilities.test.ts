import { describe, expect, it } from 'vitest';
import { CONTAINER_FIELDS, ctr, failing, podWith, upstreamTable } from '../helpers.js';

const caps = (add?: string[], drop?: string[]) => ({ capabilities: { ...(add ? { add } : {}), ...(drop ? { drop } : {}) } });
const multiple = { spec: { containers: [ctr('a', caps(['FOO', 'BAR'])), ctr('b', caps(['BAR', 'BAZ'])), ctr('c', caps(['NET_BIND_SERVICE', 'CHOWN'], ['ALL', 'FOO']))] } };
const restrictedDetail =
  'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add';

describe('capabilities: upstream cases (check_capabilities_{baseline,restricted}_test.go)', () => {
  upstreamTable('capabilities_baseline', 'v1.0', [
    {
      name: 'multiple containers',
      pod: { spec: { containers: [ctr('a', caps(['FOO', 'BAR'])), ctr('b', caps(['BAR', 'BAZ']))] } },
      reason: 'non-default capabilities',
      detail: 'containers "a", "b" must not include "BAR", "BAZ", "FOO" in securityContext.capabilities.add',
    },
  ]);
  upstreamTable('capabilities_restricted', 'v1.25', [
    { name: 'multiple containers', pod: multiple, reason: 'unrestricted capabilities', detail: restrictedDetail },
    { name: 'windows pod, admit without checking capabilities', pod: { spec: { os: { name: 'windows' }, containers: [ctr('a')] } } },
    {
      name: 'linux pod, reject if security context is not set',
      pod: { spec: { os: { name: 'linux' }, containers: [ctr('a')] } },
      reason: 'unrestricted capabilities',
      detail: 'container "a" must set securityContext.capabilities.drop=["ALL"]',
    },
  ]);
  upstreamTable('capabilities_restricted', 'v1.22', [{ name: 'multiple containers', pod: multiple, reason: 'unrestricted capabilities', detail: restrictedDetail }]);
});

describe('capabilities: versions and fields', () => {
  for (const field of CONTAINER_FIELDS) {
    it(`${field}: baseline forbids adding beyond the default set from v1.0`, () => {
      expect(failing('baseline', 'v1.0', podWith(field, ctr('x', caps(['SYS_ADMIN']))))).toContain('capabilities_baseline');
      expect(failing('baseline', 'v1.0', podWith(field, ctr('x', caps(['CHOWN', 'NET_BIND_SERVICE']))))).not.toContain('capabilities_baseline');
    });
    it(`${field}: restricted requires drop ALL from v1.22, not at v1.21`, () => {
      const noDrop = podWith(field, ctr('x', caps(undefined, ['NET_RAW'])));
      expect(failing('restricted', 'v1.22', noDrop)).toContain('capabilities_restricted');
      expect(failing('restricted', 'v1.21', noDrop)).not.toContain('capabilities_restricted');
      expect(failing('restricted', 'v1.22', podWith(field, ctr('x', caps(['NET_BIND_SERVICE'], ['ALL']))))).not.toContain('capabilities_restricted');
    });
  }
  it('at the restricted level, capabilities_restricted replaces capabilities_baseline from v1.22', () => {
    const pod = podWith('containers', ctr('x', caps(['SYS_ADMIN'], ['ALL'])));
    expect(failing('restricted', 'v1.21', pod)).toContain('capabilities_baseline');
    expect(failing('restricted', 'v1.22', pod)).not.toContain('capabilities_baseline');
    expect(failing('restricted', 'v1.22', pod)).toContain('capabilities_restricted');
  });
  it('restricted exempts Windows pods from v1.25, not at v1.24', () => {
    const windows = podWith('containers', ctr('x'), { os: { name: 'windows' } });
    expect(failing('restricted', 'v1.24', windows)).toContain('capabilities_restricted');
    expect(failing('restricted', 'v1.25', windows)).not.toContain('capabilities_restricted');
  });
});
