// Release bodies shaped like what Helm 3.17 and 4.1 write (field order as Go marshals it),
// for unit tests that need no Helm binary.
import type { ReleaseJson } from '../../src/helm/release.js';

export function helm3Release(name = 'demo', version = 1, status = 'deployed', namespace = 'default'): ReleaseJson {
  return {
    name,
    info: {
      first_deployed: '2024-05-01T10:00:00.123456789Z',
      last_deployed: '2024-05-01T10:00:00.123456789Z',
      deleted: '',
      description: version === 1 ? 'Install complete' : 'Upgrade complete',
      status,
      notes: 'Thank you for installing demo.',
    },
    chart: {
      metadata: { name: 'demo', version: '0.1.0', description: 'A demo chart', apiVersion: 'v2', appVersion: '1.0', type: 'application' },
      lock: null,
      templates: [{ name: 'templates/psp.yaml', data: 'YXBpVmVyc2lvbjogcG9saWN5L3YxYmV0YTEK' }],
      values: { replicas: 1, image: { tag: 'x' } },
      schema: null,
      files: [],
    },
    config: { password: 's3cr3t-value' },
    manifest: '---\n# Source: demo/templates/psp.yaml\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: demo\n',
    hooks: [
      {
        name: 'demo-hook', kind: 'Job', path: 'demo/templates/hook.yaml',
        manifest: 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: demo-hook\n',
        events: ['pre-upgrade'], last_run: { started_at: '', completed_at: '', phase: '' }, weight: 0, delete_policies: ['before-hook-creation'],
      },
    ],
    version,
    namespace,
  };
}

export function helm4Release(name = 'demo', version = 1, status = 'deployed', namespace = 'default'): ReleaseJson {
  return {
    name,
    info: {
      first_deployed: '2025-01-01T00:00:00Z',
      last_deployed: '2025-01-01T00:00:00Z',
      description: 'Install complete',
      status,
    },
    chart: {
      metadata: { name: 'demo', version: '0.1.0', apiVersion: 'v2' },
      lock: null,
      templates: [{ name: 'templates/psp.yaml', modtime: '2025-01-01T00:00:00Z', data: 'e30K' }],
      values: {},
      schema: null,
      schemamodtime: '0001-01-01T00:00:00Z',
      files: [],
      modtime: '2025-01-01T00:00:00Z',
    },
    manifest: '---\n# Source: demo/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n',
    hooks: [{ name: 'h', kind: 'Pod', path: 'demo/templates/h.yaml', manifest: 'kind: Pod\n', events: ['test'], last_run: { started_at: '', completed_at: '', phase: '' }, weight: 0, output_log_policies: ['on-failure'] }],
    version,
    namespace,
    apply_method: 'ssa',
  };
}
