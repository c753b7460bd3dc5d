// Restricted: only volume types that give no access to the host or to storage outside the
// cluster's control. Replaces hostPathVolumes at the restricted level.
import type { Check, CheckFn } from '../check.js';
import { v } from '../version.js';
import { joinQuote, pluralize, sortedSet } from '../wording.js';
import { HOST_PATH_VOLUMES_ID } from './hostPathVolumes.js';

const ALLOWED = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];

// Upstream's order when naming the type of a forbidden volume: the first one set wins.
const RESTRICTED = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume',
  'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk',
  'portworxVolume', 'scaleIO', 'storageos',
];

const v1_0: CheckFn = ({ spec }) => {
  const bad: string[] = [];
  const types: string[] = [];
  for (const volume of spec.volumes) {
    if (ALLOWED.some((source) => volume.sources.has(source))) continue;
    bad.push(volume.name);
    // A volume with no source at all is "unknown", as upstream names it.
    types.push(RESTRICTED.find((source) => volume.sources.has(source)) ?? 'unknown');
  }
  if (bad.length === 0) return null;
  const distinct = sortedSet(types);
  return {
    reason: 'restricted volume types',
    detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', distinct.length)} ${joinQuote(distinct)}`,
  };
};

export const restrictedVolumes: Check = {
  id: 'restrictedVolumes',
  level: 'restricted',
  versions: [{ since: v(1, 0), check: v1_0, overrides: [HOST_PATH_VOLUMES_ID] }],
};
