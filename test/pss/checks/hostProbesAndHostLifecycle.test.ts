import { describe, expect, it } from 'vitest';
import { CONTAINER_FIELDS, ctr, failing, podWith, upstreamTable } from '../helpers.js';

const ID = 'hostProbesAndHostLifecycle';
const REASON = 'probe or lifecycle host';
const http = (host?: string) => ({ httpGet: host === undefined ? { port: 80 } : { host, port: 80 } });
const tcp = (host?: string) => ({ tcpSocket: host === undefined ? { port: 80 } : { host, port: 80 } });

describe('hostProbesAndHostLifecycle: upstream cases (check_hostProbesAndhostLifecycle_test.go)', () => {
  upstreamTable(ID, 'v1.34', [
    { name: 'valid pod with unset hosts', pod: { spec: { containers: [ctr('a', undefined, { livenessProbe: http(), readinessProbe: tcp(), lifecycle: { postStart: http() } })] } } },
    {
      name: 'invalid pod with local host IP as probe host',
      pod: { spec: { containers: [ctr('a', undefined, { livenessProbe: http('127.0.0.1'), readinessProbe: tcp('::1'), startupProbe: http('localhost') })] } },
      reason: REASON,
      detail: 'container "a" uses probe or lifecycle hosts "127.0.0.1", "::1", "localhost"',
    },
    { name: 'invalid httpget host in liveness probe', pod: { spec: { containers: [ctr('a', undefined, { livenessProbe: http('invalid.host') })] } }, reason: REASON, detail: 'container "a" uses probe or lifecycle host "invalid.host"' },
    { name: 'invalid tcpsocket host in readiness probe', pod: { spec: { containers: [ctr('b', undefined, { readinessProbe: tcp('invalid.host') })] } }, reason: REASON, detail: 'container "b" uses probe or lifecycle host "invalid.host"' },
    { name: 'invalid httpget host in startup probe', pod: { spec: { containers: [ctr('c', undefined, { startupProbe: http('invalid.host') })] } }, reason: REASON, detail: 'container "c" uses probe or lifecycle host "invalid.host"' },
    { name: 'invalid poststart tcpsocket host', pod: { spec: { containers: [ctr('d', undefined, { lifecycle: { postStart: tcp('invalid.host') } })] } }, reason: REASON, detail: 'container "d" uses probe or lifecycle host "invalid.host"' },
    { name: 'invalid prestop httpget host', pod: { spec: { containers: [ctr('e', undefined, { lifecycle: { preStop: http('another.invalid.host') } })] } }, reason: REASON, detail: 'container "e" uses probe or lifecycle host "another.invalid.host"' },
    {
      name: 'multiple containers with multiple invalid hosts',
      pod: {
        spec: {
          containers: [
            ctr('valid'),
            ctr('invalid1', undefined, { livenessProbe: http('a.com') }),
            ctr('invalid2', undefined, { lifecycle: { preStop: tcp('b.com') }, startupProbe: http('a.com') }),
          ],
        },
      },
      reason: REASON,
      detail: 'containers "invalid1", "invalid2" use probe or lifecycle hosts "a.com", "b.com"',
    },
    { name: 'invalid ipv4 host in probe', pod: { spec: { containers: [ctr('a', undefined, { livenessProbe: http('8.8.8.8') })] } }, reason: REASON, detail: 'container "a" uses probe or lifecycle host "8.8.8.8"' },
    { name: 'invalid ipv6 host in probe', pod: { spec: { containers: [ctr('a', undefined, { livenessProbe: tcp('2001:4860:4860::8888') })] } }, reason: REASON, detail: 'container "a" uses probe or lifecycle host "2001:4860:4860::8888"' },
    { name: 'invalid host in initcontainer', pod: { spec: { initContainers: [ctr('init', undefined, { livenessProbe: http('invalid.init.host') })] } }, reason: REASON, detail: 'container "init" uses probe or lifecycle host "invalid.init.host"' },
  ]);
});

describe('hostProbesAndHostLifecycle: versions and fields', () => {
  // upstream's emulation test: a startup probe with host "localhost" is allowed at v1.33 and denied at v1.34 and latest
  for (const field of CONTAINER_FIELDS) {
    it(`${field}: a probe host fails from v1.34, not at v1.33`, () => {
      const pod = podWith(field, ctr('x', undefined, { startupProbe: http('localhost') }));
      expect(failing('baseline', 'v1.33', pod)).toEqual([]);
      expect(failing('baseline', 'v1.34', pod)).toEqual([ID]);
      expect(failing('baseline', 'latest', pod)).toEqual([ID]);
      expect(failing('baseline', 'v1.34', podWith(field, ctr('x', undefined, { startupProbe: http('') })))).toEqual([]);
    });
  }
});
