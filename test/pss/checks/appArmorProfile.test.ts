import { describe, expect, it } from 'vitest';
import { checkPod, parsePolicyVersion } from '../../../src/pss/index.js';
import { CONTAINER_FIELDS, ctr, failing, podWith, upstreamTable } from '../helpers.js';

const ID = 'appArmorProfile';
const P = 'container.apparmor.security.beta.kubernetes.io/';
const onPod = (type: string) => ({ appArmorProfile: { type } });

describe('appArmorProfile: upstream cases (check_appArmorProfile_test.go)', () => {
  upstreamTable(ID, 'v1.0', [
    { name: 'container with default AppArmor + extra annotations', pod: { metadata: { annotations: { [`${P}test`]: 'runtime/default' } }, spec: {} } },
    { name: 'container with local AppArmor + extra annotations', pod: { metadata: { annotations: { [`${P}test`]: 'localhost/sec-profile01' } }, spec: {} } },
    { name: 'container with no AppArmor annotations', pod: { metadata: { annotations: { env: 'dev' } }, spec: {} } },
    { name: 'container with no annotations', pod: { metadata: {}, spec: {} } },
    { name: 'pod with runtime default', pod: { spec: { securityContext: onPod('RuntimeDefault') } } },
    { name: 'container with localhost profile', pod: { spec: { containers: [ctr('foo', onPod('RuntimeDefault'))] } } },
    { name: 'unconfined pod', pod: { spec: { securityContext: onPod('Unconfined') } }, reason: 'forbidden AppArmor profile', detail: 'pod must not set AppArmor profile type to "Unconfined"' },
    {
      name: 'unconfined container',
      pod: { spec: { securityContext: onPod('RuntimeDefault'), containers: [ctr('foo', onPod('Unconfined'))] } },
      reason: 'forbidden AppArmor profile',
      detail: 'container "foo" must not set AppArmor profile type to "Unconfined"',
    },
    {
      name: 'unconfined init container',
      pod: { spec: { securityContext: onPod('RuntimeDefault'), containers: [ctr('foo')], initContainers: [ctr('bar', onPod('Unconfined'))] } },
      reason: 'forbidden AppArmor profile',
      detail: 'container "bar" must not set AppArmor profile type to "Unconfined"',
    },
    {
      name: 'multiple containers',
      pod: {
        metadata: {
          annotations: { [P]: 'bogus', [`${P}a`]: '', [`${P}b`]: 'runtime/default', [`${P}c`]: 'localhost/', [`${P}d`]: 'localhost/foo', [`${P}e`]: 'unconfined', [`${P}f`]: 'unknown' },
        },
        spec: {},
      },
      reason: 'forbidden AppArmor profiles',
      detail:
        'annotations must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/="bogus"", "container.apparmor.security.beta.kubernetes.io/e="unconfined"", "container.apparmor.security.beta.kubernetes.io/f="unknown""',
    },
  ]);
});

describe('appArmorProfile: versions and fields', () => {
  for (const field of CONTAINER_FIELDS) {
    it(`${field}: Unconfined fails from v1.0; RuntimeDefault and Localhost pass`, () => {
      expect(failing('baseline', 'v1.0', podWith(field, ctr('x', onPod('Unconfined'))))).toContain(ID);
      expect(failing('baseline', 'v1.0', podWith(field, ctr('x', onPod('RuntimeDefault'))))).not.toContain(ID);
      expect(failing('baseline', 'v1.0', podWith(field, ctr('x', onPod('Localhost'))))).not.toContain(ID);
    });
  }
  it('pod level and annotations, at v1.0 (the first policy version) and latest', () => {
    for (const version of ['v1.0', 'latest']) {
      expect(failing('baseline', version, { spec: { securityContext: onPod('Unconfined') } })).toContain(ID);
      expect(failing('baseline', version, { metadata: { annotations: { [`${P}x`]: 'unconfined' } }, spec: {} })).toContain(ID);
      expect(failing('baseline', version, { metadata: { annotations: { [`${P}x`]: 'localhost/p' } }, spec: {} })).not.toContain(ID);
    }
  });
  it('names pod, containers and annotations together, with distinct sorted types then annotations', () => {
    const pod = {
      metadata: { annotations: { [`${P}z`]: 'unconfined' } },
      spec: { securityContext: onPod('Unconfined'), containers: [ctr('a', onPod('Unconfined')), ctr('b', onPod('Bogus'))] },
    };
    expect(checkPod('baseline', pod, parsePolicyVersion('v1.30'))).toEqual([
      {
        check: ID,
        reason: 'forbidden AppArmor profiles',
        detail: `pod and containers "a", "b" and annotation must not set AppArmor profile type to "Bogus", "Unconfined", "${P}z="unconfined""`,
      },
    ]);
  });
});
