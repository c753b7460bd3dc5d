import { describe, expect, it } from 'vitest';
import { CONTAINER_FIELDS, ctr, failing, podWith, ruleFinding, upstreamTable } from '../helpers.js';

const ports = (...hostPorts: number[]) => ({ ports: hostPorts.map((hostPort) => ({ containerPort: 8080, hostPort })) });

describe('hostPorts: upstream cases (check_hostPorts_test.go)', () => {
  upstreamTable('hostPorts', 'v1.0', [
    { name: 'one container, one host port', pod: { spec: { containers: [ctr('a', undefined, ports(0)), ctr('b', undefined, ports(0, 20))] } }, reason: 'hostPort', detail: 'container "b" uses hostPort 20' },
    {
      name: 'multiple containers, multiple host port',
      pod: { spec: { containers: [ctr('a', undefined, ports(0)), ctr('b', undefined, ports(0, 10, 20)), ctr('c', undefined, ports(0, 10, 30))] } },
      reason: 'hostPort',
      detail: 'containers "b", "c" use hostPorts 10, 20, 30',
    },
  ]);
});

describe('hostPorts: versions and fields', () => {
  for (const field of CONTAINER_FIELDS) {
    it(`${field}: a hostPort fails from v1.0 to latest; 0 or unset passes`, () => {
      for (const version of ['v1.0', 'latest']) {
        expect(failing('baseline', version, podWith(field, ctr('x', undefined, ports(80))))).toEqual(['hostPorts']);
        expect(failing('baseline', version, podWith(field, ctr('x', undefined, ports(0))))).toEqual([]);
        expect(failing('baseline', version, podWith(field, ctr('x', undefined, { ports: [{ containerPort: 80 }] })))).toEqual([]);
      }
    });
  }
  it('sorts port numbers as upstream does, as text', () => {
    expect(ruleFinding('hostPorts', 'v1.0', { spec: { containers: [ctr('a', undefined, ports(9, 10))] } })?.detail).toBe('container "a" uses hostPorts 10, 9');
  });
  it('a hostNetwork Pod gets each containerPort as hostPort (API server default), a template does not', () => {
    const spec = { hostNetwork: true, containers: [{ name: 'a', ports: [{ containerPort: 80 }] }] };
    expect(failing('baseline', 'latest', { spec })).toEqual(['hostNamespaces', 'hostPorts']);
    expect(failing('baseline', 'latest', { spec, templatePath: 'spec.template' })).toEqual(['hostNamespaces']);
  });
});
