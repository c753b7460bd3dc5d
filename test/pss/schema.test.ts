import { describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { POD_SPEC, VOLUME_SOURCES, type FieldShape, type ObjectShape } from '../../src/pss/schema.js';

// The field lists in schema.ts are written by hand from the Kubernetes API; the generated API
// models of @kubernetes/client-node are an independent source for the same lists. Every field
// the client knows must be known here too, or a valid pod would be reported as malformed.
type Model = { attributeTypeMap: { name: string; type: string }[] };
const models = k8s as unknown as Record<string, Model>;

function nested(shape: ObjectShape, path: string[]): ObjectShape {
  let current = shape;
  for (const key of path) {
    const field = current[key] as FieldShape;
    if (typeof field === 'object' && 'object' in field) current = field.object;
    else if (typeof field === 'object' && 'list' in field && typeof field.list === 'object') current = field.list;
    else throw new Error(`${path.join('.')} is not an object field`);
  }
  return current;
}

const pairs: [string, string[]][] = [
  ['V1PodSpec', []],
  ['V1PodSecurityContext', ['securityContext']],
  ['V1SELinuxOptions', ['securityContext', 'seLinuxOptions']],
  ['V1SeccompProfile', ['securityContext', 'seccompProfile']],
  ['V1AppArmorProfile', ['securityContext', 'appArmorProfile']],
  ['V1WindowsSecurityContextOptions', ['securityContext', 'windowsOptions']],
  ['V1Sysctl', ['securityContext', 'sysctls']],
  ['V1PodOS', ['os']],
  ['V1Volume', ['volumes']],
  ['V1Container', ['containers']],
  ['V1Container', ['initContainers']],
  ['V1EphemeralContainer', ['ephemeralContainers']],
  ['V1SecurityContext', ['containers', 'securityContext']],
  ['V1Capabilities', ['containers', 'securityContext', 'capabilities']],
  ['V1ContainerPort', ['containers', 'ports']],
  ['V1Probe', ['containers', 'livenessProbe']],
  ['V1HTTPGetAction', ['containers', 'livenessProbe', 'httpGet']],
  ['V1TCPSocketAction', ['containers', 'livenessProbe', 'tcpSocket']],
  ['V1Lifecycle', ['containers', 'lifecycle']],
  ['V1LifecycleHandler', ['containers', 'lifecycle', 'preStop']],
];

describe('schema.ts knows every field of the Kubernetes API objects the checks read', () => {
  for (const [model, path] of pairs) {
    it(`${model} at spec${path.map((p) => `.${p}`).join('')}`, () => {
      const known = Object.keys(nested(POD_SPEC, path)).sort();
      const client = models[model].attributeTypeMap.map((a) => a.name).sort();
      expect(known).toEqual(expect.arrayContaining(client));
      // and nothing invented: whatever is extra here must be a field the client does not know yet
      expect(known.filter((k) => !client.includes(k))).toEqual([]);
    });
  }
  it('volume sources are exactly the Volume fields other than name', () => {
    expect([...VOLUME_SOURCES].sort()).toEqual(models.V1Volume.attributeTypeMap.map((a) => a.name).filter((n) => n !== 'name').sort());
  });
});
