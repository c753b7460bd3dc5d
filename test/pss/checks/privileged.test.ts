import { describe, expect, it } from 'vitest';
import { CONTAINER_FIELDS, ctr, failing, podWith, upstreamTable } from '../helpers.js';

describe('privileged: upstream cases (check_privileged_test.go)', () => {
  upstreamTable('privileged', 'v1.0', [
    {
      name: 'privileged',
      pod: { spec: { containers: [ctr('a'), ctr('b', {}), ctr('c', { privileged: false }), ctr('d', { privileged: true }), ctr('e', { privileged: true })] } },
      reason: 'privileged',
      detail: 'containers "d", "e" must not set securityContext.privileged=true',
    },
  ]);
});

describe('privileged: versions and fields', () => {
  for (const field of CONTAINER_FIELDS) {
    it(`${field}: privileged=true fails from v1.0 (the first version) to latest`, () => {
      for (const version of ['v1.0', 'v1.24', 'latest']) {
        expect(failing('baseline', version, podWith(field, ctr('x', { privileged: true })))).toEqual(['privileged']);
        expect(failing('baseline', version, podWith(field, ctr('x', { privileged: false })))).toEqual([]);
      }
    });
  }
});
