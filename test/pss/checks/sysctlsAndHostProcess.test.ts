import { describe, expect, it } from 'vitest';
import { CONTAINER_FIELDS, ctr, failing, podWith, upstreamTable } from '../helpers.js';

const sysctlPod = (...names: string[]) => ({ spec: { securityContext: { sysctls: names.map((name) => ({ name, value: '1' })) } } });
const ab = { name: 'forbidden sysctls', pod: sysctlPod('a', 'b'), reason: 'forbidden sysctls', detail: 'a, b' };
const denied = (name: string) => ({ name: `new supported sysctls not supported: ${name}`, pod: sysctlPod(name), reason: 'forbidden sysctls', detail: name });
const allowed = (name: string) => ({ name: `new supported sysctls: ${name}`, pod: sysctlPod(name) });

const ADDED: Record<string, string[]> = {
  'v1.27': ['net.ipv4.ip_local_reserved_ports'],
  'v1.29': ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'],
  'v1.32': ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'],
  'v1.37': ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'],
};

describe('sysctls: upstream cases (check_sysctls_test.go)', () => {
  upstreamTable('sysctls', 'v1.0', [ab, ...[...ADDED['v1.27'], ...ADDED['v1.29'], ...ADDED['v1.32']].map(denied)]);
  for (const [version, names] of Object.entries(ADDED)) upstreamTable('sysctls', version, [ab, ...names.map(allowed)]);
});

describe('sysctls: versions (pod level only)', () => {
  it('the safe set of v1.0 passes from v1.0 (the first version)', () => {
    for (const name of ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start']) {
      expect(failing('baseline', 'v1.0', sysctlPod(name))).toEqual([]);
    }
    expect(failing('baseline', 'v1.0', sysctlPod('kernel.msgmax'))).toEqual(['sysctls']);
  });
  for (const [version, names] of Object.entries(ADDED)) {
    const minor = Number(version.split('.')[1]);
    it(`${names.join(', ')}: allowed from ${version}, not at v1.${minor - 1}`, () => {
      for (const name of names) {
        expect(failing('baseline', `v1.${minor - 1}`, sysctlPod(name))).toEqual(['sysctls']);
        expect(failing('baseline', version, sysctlPod(name))).toEqual([]);
      }
    });
  }
});

describe('windowsHostProcess: upstream cases (check_windowsHostProcess_test.go)', () => {
  const hp = (hostProcess?: boolean) => ({ windowsOptions: hostProcess === undefined ? {} : { hostProcess } });
  upstreamTable('windowsHostProcess', 'v1.0', [
    {
      name: 'host process',
      pod: { spec: { securityContext: hp(true), containers: [ctr('a'), ctr('b', {}), ctr('c', hp()), ctr('d', hp(false)), ctr('e', hp(true)), ctr('f', hp(true))] } },
      reason: 'hostProcess',
      detail: 'pod and containers "e", "f" must not set securityContext.windowsOptions.hostProcess=true',
    },
  ]);
  for (const field of CONTAINER_FIELDS) {
    it(`windowsHostProcess ${field}: hostProcess=true fails from v1.0 (the first version) to latest`, () => {
      for (const version of ['v1.0', 'latest']) {
        expect(failing('baseline', version, podWith(field, ctr('x', hp(true))))).toEqual(['windowsHostProcess']);
        expect(failing('baseline', version, podWith(field, ctr('x', hp(false))))).toEqual([]);
      }
    });
  }
  it('windowsHostProcess pod level', () => {
    expect(failing('baseline', 'v1.0', { spec: { securityContext: hp(true) } })).toEqual(['windowsHostProcess']);
  });
});
