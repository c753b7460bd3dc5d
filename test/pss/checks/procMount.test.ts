import { describe, expect, it } from 'vitest';
import { CONTAINER_FIELDS, ctr, failing, podWith, upstreamTable } from '../helpers.js';

const containers = [ctr('a'), ctr('b', {}), ctr('c', { procMount: 'Default' }), ctr('d', { procMount: 'Unmasked' }), ctr('e', { procMount: 'other' })];
const DETAIL = 'containers "d", "e" must not set securityContext.procMount to "Unmasked", "other"';

describe('procMount: upstream cases (check_procMount_{baseline,restricted}_test.go)', () => {
  upstreamTable('procMount', 'v1.35', [
    { name: 'procMount', pod: { spec: { containers, hostUsers: true } }, reason: 'procMount', detail: DETAIL },
    { name: 'procMount with userns', pod: { spec: { containers, hostUsers: false } } },
  ]);
  for (const hostUsers of [true, false]) {
    upstreamTable('procMount_restricted', 'v1.35', [{ name: `procMount, hostUsers=${hostUsers}`, pod: { spec: { containers, hostUsers } }, reason: 'procMount', detail: DETAIL }]);
  }
});

describe('procMount: versions and fields', () => {
  for (const field of CONTAINER_FIELDS) {
    it(`${field}: Unmasked fails at baseline from v1.0; Default passes`, () => {
      expect(failing('baseline', 'v1.0', podWith(field, ctr('x', { procMount: 'Unmasked' })))).toEqual(['procMount']);
      expect(failing('baseline', 'v1.0', podWith(field, ctr('x', { procMount: 'Default' })))).toEqual([]);
    });
  }
  it('baseline allows any procMount in a user namespace from v1.35, not at v1.34', () => {
    const pod = podWith('containers', ctr('x', { procMount: 'Unmasked' }), { hostUsers: false });
    expect(failing('baseline', 'v1.34', pod)).toEqual(['procMount']);
    expect(failing('baseline', 'v1.35', pod)).toEqual([]);
  });
  it('restricted keeps the unconditional rule as procMount_restricted from v1.35', () => {
    const pod = podWith('containers', ctr('x', { procMount: 'Unmasked' }), { hostUsers: false });
    expect(failing('restricted', 'v1.34', pod)).toContain('procMount');
    expect(failing('restricted', 'v1.34', pod)).not.toContain('procMount_restricted');
    expect(failing('restricted', 'v1.35', pod)).toContain('procMount_restricted');
    expect(failing('restricted', 'v1.35', pod)).not.toContain('procMount');
  });
});
