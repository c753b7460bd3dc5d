import { describe, expect, it } from 'vitest';
import { failing, upstreamTable } from '../helpers.js';
import { restrictedVolumes } from '../../../src/pss/checks/restrictedVolumes.js';
import type { PodView } from '../../../src/pss/model.js';

const allowed = ['emptyDir', 'secret', 'persistentVolumeClaim', 'downwardAPI', 'configMap', 'projected', 'csi', 'ephemeral', 'image'];
const restricted = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs',
  'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
];
const volumes = [...allowed.map((type, i) => ({ name: `a${i + 1}`, [type]: {} })), ...restricted.map((type, i) => ({ name: `b${i + 1}`, [type]: {} }))];

describe('restrictedVolumes: upstream cases (check_restrictedVolumes_test.go)', () => {
  // Upstream's case also has c1, a volume with no source, named "unknown". In a manifest the API
  // server first defaults such a volume to emptyDir (see the test below), so it is checked
  // against the rule directly here, as upstream's unit test does.
  upstreamTable('restrictedVolumes', 'v1.0', [
    {
      name: 'host path volumes (without c1)',
      pod: { spec: { volumes } },
      reason: 'restricted volume types',
      detail:
        'volumes "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10", "b11", "b12", "b13", "b14", "b15", "b16", "b17", "b18", "b19", "b20", "b21" use restricted volume types ' +
        '"awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", ' +
        '"hostPath", "iscsi", "nfs", "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos", "vsphereVolume"',
    },
  ]);
  it('restrictedVolumes v1.0: host path volumes (with c1, straight to the rule)', () => {
    const view: PodView = {
      annotations: new Map(),
      spec: {
        hostNetwork: false, hostPID: false, hostIPC: false, initContainers: [], containers: [], ephemeralContainers: [],
        volumes: [...volumes.map((v) => ({ name: v.name as string, sources: new Set(Object.keys(v).filter((k) => k !== 'name')) })), { name: 'c1', sources: new Set<string>() }],
      },
    };
    expect(restrictedVolumes.versions[0].check(view)).toEqual({
      reason: 'restricted volume types',
      detail:
        'volumes "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10", "b11", "b12", "b13", "b14", "b15", "b16", "b17", "b18", "b19", "b20", "b21", "c1" use restricted volume types ' +
        '"awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", ' +
        '"hostPath", "iscsi", "nfs", "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos", "unknown", "vsphereVolume"',
    });
  });
});

describe('restrictedVolumes: versions and fields', () => {
  it('from v1.0 (the first version), each restricted type fails at restricted only; allowed types pass', () => {
    for (const type of restricted) {
      const pod = { spec: { volumes: [{ name: 'v', [type]: {} }] } };
      expect(failing('restricted', 'v1.0', pod)).toContain('restrictedVolumes');
      expect(failing('baseline', 'v1.0', pod)).not.toContain('restrictedVolumes');
    }
    for (const type of allowed) expect(failing('restricted', 'latest', { spec: { volumes: [{ name: 'v', [type]: {} }] } })).not.toContain('restrictedVolumes');
  });
  it('a volume with no source is an emptyDir (API server default) and passes', () => {
    expect(failing('restricted', 'latest', { spec: { volumes: [{ name: 'v' }] } })).toEqual([]);
  });
});
