// kubectl 1.33 (client-side apply, Table printing, protobuf-capable clients) against kube-sim.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from './index.js';
import { createHelmEnv, type HelmEnv } from '../helpers/helm-env.js';

let sim: KubeSim;
let env: HelmEnv;
beforeEach(async () => {
  sim = await startKubeSim();
  env = await createHelmEnv(4, { kubeconfig: sim.kubeconfigPath }); // kubectl 1.33 ships with Helm 4's package
});
afterEach(async () => {
  await sim.stop();
  env.cleanup();
});

const manifest = (value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: default
data:
  key: ${value}
---
apiVersion: v1
kind: Secret
metadata:
  name: app-secret
  namespace: default
stringData:
  password: ${value}
`;

describe('kubectl 1.33', () => {
  it('reports its version as 1.33', async () => {
    const r = await env.kubectl(['version', '--client', '-o', 'json']);
    expect(JSON.parse(r.stdout).clientVersion.minor).toBe('33');
  });

  it('applies, re-applies, gets and deletes a ConfigMap and a Secret', async () => {
    const created = await env.kubectl(['apply', '-f', '-'], { input: manifest('one') });
    expect(created.stderr).toBe('');
    expect(created.stdout).toBe('configmap/app-config created\nsecret/app-secret created\n');

    const changed = await env.kubectl(['apply', '-f', '-'], { input: manifest('two') });
    expect(changed.stdout).toBe('configmap/app-config configured\nsecret/app-secret configured\n');
    expect(sim.getObject('/api/v1/namespaces/default/configmaps/app-config')!.data).toEqual({ key: 'two' });
    expect(sim.getObject('/api/v1/namespaces/default/secrets/app-secret')!.data).toEqual({ password: Buffer.from('two').toString('base64') });

    const table = await env.kubectl(['get', 'configmaps,secrets', '-n', 'default']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/app-config/);
    expect(table.stdout).toMatch(/app-secret/);

    const json = await env.kubectl(['get', 'secret', 'app-secret', '-n', 'default', '-o', 'jsonpath={.data.password}']);
    expect(Buffer.from(json.stdout, 'base64').toString()).toBe('two');

    const del = await env.kubectl(['delete', 'configmap/app-config', 'secret/app-secret', '-n', 'default']);
    expect(del.stdout).toBe('configmap "app-config" deleted\nsecret "app-secret" deleted\n');
    const gone = await env.kubectl(['get', 'configmap', 'app-config', '-n', 'default']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('configmaps "app-config" not found');
  });

  it('lists with a label selector', async () => {
    await env.kubectl(['create', 'configmap', 'labelled', '-n', 'default', '--from-literal=a=b']);
    await env.kubectl(['label', 'configmap', 'labelled', '-n', 'default', 'owner=helm']);
    const r = await env.kubectl(['get', 'configmaps', '-A', '-l', 'owner=helm', '-o', 'name']);
    expect(r.stdout).toBe('configmap/labelled\n');
  });
});
