import { describe, expect, it } from 'vitest';
import { CONTAINER_FIELDS, ctr, failing, podWith, upstreamTable } from '../helpers.js';

const se = (opts: Record<string, string>) => ({ seLinuxOptions: opts });
const allowedContainers = [ctr('a', se({ type: 'container_t' })), ctr('b', se({ type: 'container_init_t' })), ctr('c', se({ type: 'container_kvm_t' })), ctr('d', se({ type: 'container_engine_t' }))];
const badContainers = [ctr('e', se({ type: 'bar' })), ctr('f', se({ user: 'bar' })), ctr('g', se({ role: 'baz' }))];
const badPod = se({ type: 'foo', user: 'bar', role: 'baz' });

describe('seLinuxOptions: upstream cases (check_seLinuxOptions_test.go)', () => {
  upstreamTable('seLinuxOptions', 'v1.31', [
    {
      name: 'invalid pod and containers',
      pod: { spec: { securityContext: badPod, containers: [...allowedContainers, ...badContainers] } },
      reason: 'seLinuxOptions',
      detail: 'pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set',
    },
    {
      name: 'invalid pod',
      pod: { spec: { securityContext: badPod, containers: allowedContainers } },
      reason: 'seLinuxOptions',
      detail: 'pod set forbidden securityContext.seLinuxOptions: type "foo"; user may not be set; role may not be set',
    },
    {
      name: 'invalid containers',
      pod: { spec: { securityContext: se({}), containers: [...allowedContainers, ...badContainers] } },
      reason: 'seLinuxOptions',
      detail: 'containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: type "bar"; user may not be set; role may not be set',
    },
    { name: 'bad type', pod: { spec: { securityContext: se({ type: 'bad' }) } }, reason: 'seLinuxOptions', detail: 'pod set forbidden securityContext.seLinuxOptions: type "bad"' },
    { name: 'bad user', pod: { spec: { securityContext: se({ user: 'bad' }) } }, reason: 'seLinuxOptions', detail: 'pod set forbidden securityContext.seLinuxOptions: user may not be set' },
    { name: 'bad role', pod: { spec: { securityContext: se({ role: 'bad' }) } }, reason: 'seLinuxOptions', detail: 'pod set forbidden securityContext.seLinuxOptions: role may not be set' },
  ]);
});

describe('seLinuxOptions: versions and fields', () => {
  for (const field of CONTAINER_FIELDS) {
    it(`${field}: a custom type or user fails from v1.0; container types pass`, () => {
      expect(failing('baseline', 'v1.0', podWith(field, ctr('x', se({ type: 'spc_t' }))))).toEqual(['seLinuxOptions']);
      expect(failing('baseline', 'v1.0', podWith(field, ctr('x', se({ user: 'root' }))))).toEqual(['seLinuxOptions']);
      expect(failing('baseline', 'v1.0', podWith(field, ctr('x', se({ type: 'container_t', level: 's0:c1' }))))).toEqual([]);
    });
    it(`${field}: container_engine_t is allowed from v1.31, not at v1.30`, () => {
      expect(failing('baseline', 'v1.30', podWith(field, ctr('x', se({ type: 'container_engine_t' }))))).toEqual(['seLinuxOptions']);
      expect(failing('baseline', 'v1.31', podWith(field, ctr('x', se({ type: 'container_engine_t' }))))).toEqual([]);
    });
  }
  it('pod level: a custom role fails', () => {
    expect(failing('baseline', 'v1.0', { spec: { securityContext: se({ role: 'sysadm_r' }) } })).toEqual(['seLinuxOptions']);
  });
});
