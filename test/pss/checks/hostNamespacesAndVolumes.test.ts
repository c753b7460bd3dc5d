import { describe, expect, it } from 'vitest';
import { failing, ruleFinding, upstreamTable } from '../helpers.js';

describe('hostNamespaces and hostPathVolumes: upstream cases', () => {
  upstreamTable('hostNamespaces', 'v1.0', [
    { name: 'multiple host namespaces', pod: { spec: { hostNetwork: true, hostIPC: true, hostPID: true } }, reason: 'host namespaces', detail: 'hostNetwork=true, hostPID=true, hostIPC=true' },
  ]);
  upstreamTable('hostPathVolumes', 'v1.0', [
    {
      name: 'host path volumes',
      pod: { spec: { volumes: [{ name: 'a', hostPath: {} }, { name: 'b', hostPath: {} }, { name: 'c', emptyDir: {} }] } },
      reason: 'hostPath volumes',
      detail: 'volumes "a", "b"',
    },
  ]);
});

describe('hostNamespaces: versions and fields (pod level only)', () => {
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    it(`${field}: true fails from v1.0 (the first version) to latest; false passes`, () => {
      for (const version of ['v1.0', 'latest']) {
        expect(failing('baseline', version, { spec: { [field]: true } })).toEqual(['hostNamespaces']);
        expect(failing('baseline', version, { spec: { [field]: false } })).toEqual([]);
      }
      expect(ruleFinding('hostNamespaces', 'v1.0', { spec: { [field]: true } })?.detail).toBe(`${field}=true`);
    });
  }
});

describe('hostPathVolumes: versions and fields', () => {
  it('fails at baseline from v1.0; restricted reports it as restrictedVolumes instead', () => {
    const pod = { spec: { volumes: [{ name: 'h', hostPath: { path: '/' } }] } };
    expect(failing('baseline', 'v1.0', pod)).toEqual(['hostPathVolumes']);
    expect(failing('restricted', 'v1.0', pod)).not.toContain('hostPathVolumes');
    expect(failing('restricted', 'v1.0', pod)).toContain('restrictedVolumes');
  });
  it('a null hostPath is no hostPath (Go: nil pointer)', () => {
    expect(failing('baseline', 'latest', { spec: { volumes: [{ name: 'h', hostPath: null, emptyDir: {} }] } })).toEqual([]);
  });
});
