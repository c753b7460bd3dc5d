// Version profiles: /version strings and which group-versions are served.
import { afterEach, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from './index.js';
import { call } from './test-client.js';

let sim: KubeSim;
afterEach(async () => sim.stop());

const PSP = { apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy', metadata: { name: 'p' }, spec: { privileged: false } };

describe('/version', () => {
  it.each([
    ['1.24.17', 'v1.24.17', '24'],
    ['v1.25.16-eks-3af4770', 'v1.25.16-eks-3af4770', '25+'],
    ['v1.26.3+k3s1', 'v1.26.3+k3s1', '26+'],
  ])('reports %s as gitVersion %s, minor %s', async (given, gitVersion, minor) => {
    sim = await startKubeSim({ kubeVersion: given });
    const res = await call(sim.url, 'GET', '/version');
    expect(res.json).toMatchObject({ major: '1', minor, gitVersion, platform: 'linux/amd64' });
  });

  it('rejects a version it cannot parse', async () => {
    sim = await startKubeSim();
    expect(() => sim.setKubeVersion('latest')).toThrow(/invalid Kubernetes version/);
  });
});

describe('policy/v1beta1 across 1.24 -> 1.25', () => {
  it('is served at 1.24: discovery, OpenAPI index and object paths', async () => {
    sim = await startKubeSim({ kubeVersion: 'v1.24.17' });
    const apis = await call(sim.url, 'GET', '/apis');
    expect(apis.json.groups.find((g: any) => g.name === 'policy').versions.map((v: any) => v.version)).toEqual(['v1', 'v1beta1']);
    const rl = await call(sim.url, 'GET', '/apis/policy/v1beta1');
    expect(rl.json.resources.map((r: any) => r.kind)).toContain('PodSecurityPolicy');
    expect((await call(sim.url, 'GET', '/openapi/v3')).json.paths['apis/policy/v1beta1']).toBeDefined();
    expect((await call(sim.url, 'POST', '/apis/policy/v1beta1/podsecuritypolicies', { body: PSP })).status).toBe(201);
  });

  it('is not served at 1.25: 404 Status, gone from /apis and the OpenAPI index, the stored object kept', async () => {
    sim = await startKubeSim({ kubeVersion: 'v1.24.17' });
    await call(sim.url, 'POST', '/apis/policy/v1beta1/podsecuritypolicies', { body: PSP });
    sim.setKubeVersion('v1.25.16');
    for (const path of ['/apis/policy/v1beta1', '/apis/policy/v1beta1/podsecuritypolicies', '/apis/policy/v1beta1/podsecuritypolicies/p', '/openapi/v3/apis/policy/v1beta1']) {
      const res = await call(sim.url, 'GET', path);
      expect(res.status, path).toBe(404);
      expect(res.json).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'the server could not find the requested resource' });
    }
    const policy = (await call(sim.url, 'GET', '/apis')).json.groups.find((g: any) => g.name === 'policy');
    expect(policy).toEqual({ name: 'policy', versions: [{ groupVersion: 'policy/v1', version: 'v1' }], preferredVersion: { groupVersion: 'policy/v1', version: 'v1' } });
    expect((await call(sim.url, 'GET', '/openapi/v3')).json.paths['apis/policy/v1beta1']).toBeUndefined();
    expect(sim.getObject('/apis/policy/v1beta1/podsecuritypolicies/p')).toMatchObject({ kind: 'PodSecurityPolicy' });
  });

  it('switches through the admin endpoint', async () => {
    sim = await startKubeSim({ kubeVersion: '1.24.17' });
    expect((await call(sim.url, 'PUT', '/__sim/kube-version', { body: { kubeVersion: '1.25.0' } })).json).toEqual({ kubeVersion: 'v1.25.0' });
    expect((await call(sim.url, 'GET', '/version')).json.gitVersion).toBe('v1.25.0');
    expect((await call(sim.url, 'GET', '/apis/policy/v1beta1')).status).toBe(404);
  });
});

describe('storage per group and resource', () => {
  it('shows one PodDisruptionBudget through policy/v1beta1 and policy/v1', async () => {
    sim = await startKubeSim({ kubeVersion: '1.24.17' });
    await call(sim.url, 'POST', '/apis/policy/v1beta1/namespaces/default/poddisruptionbudgets', {
      body: { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb' }, spec: { minAvailable: 1 } },
    });
    const v1 = await call(sim.url, 'GET', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/pdb');
    expect(v1.json).toMatchObject({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', spec: { minAvailable: 1 } });
  });
});

describe('OpenAPI v3', () => {
  it('declares fieldValidation on every PATCH operation with its GVK', async () => {
    sim = await startKubeSim();
    const idx = (await call(sim.url, 'GET', '/openapi/v3')).json;
    const doc = (await call(sim.url, 'GET', idx.paths['api/v1'].serverRelativeURL)).json;
    const item = doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'];
    expect(item.patch['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'ConfigMap' });
    expect(item.patch.parameters.map((p: any) => p.name)).toContain('fieldValidation');
  });
});

describe('aggregated discovery', () => {
  const ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

  it('is not served before 1.27: the legacy APIGroupList answers', async () => {
    sim = await startKubeSim({ kubeVersion: '1.26.5' });
    const res = await call(sim.url, 'GET', '/apis', { accept: ACCEPT });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json.kind).toBe('APIGroupList');
  });

  it.each([
    ['1.28.4', 'v2beta1'],
    ['1.30.2', 'v2'],
  ])('at %s answers apidiscovery.k8s.io/%s with every served resource', async (version, v) => {
    sim = await startKubeSim({ kubeVersion: version });
    const res = await call(sim.url, 'GET', '/apis', { accept: ACCEPT });
    expect(res.headers['content-type']).toBe(`application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`);
    expect(res.json).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${v}` });
    const policy = res.json.items.find((i: any) => i.metadata.name === 'policy');
    expect(policy.versions.map((x: any) => x.version)).toEqual(['v1']);
    expect(policy.versions[0].resources).toEqual([expect.objectContaining({ resource: 'poddisruptionbudgets', scope: 'Namespaced', responseKind: { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' } })]);
    const core = (await call(sim.url, 'GET', '/api', { accept: ACCEPT })).json;
    expect(core.items[0].versions[0].resources.map((r: any) => r.resource)).toContain('secrets');
  });

  it('serves only v2 from 1.33: a v2beta1-only client gets legacy discovery', async () => {
    sim = await startKubeSim({ kubeVersion: '1.33.1' });
    const beta = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    expect((await call(sim.url, 'GET', '/apis', { accept: beta })).json.kind).toBe('APIGroupList');
    expect((await call(sim.url, 'GET', '/apis', { accept: ACCEPT })).json.apiVersion).toBe('apidiscovery.k8s.io/v2');
  });

  it('answers legacy documents to clients that do not ask for it', async () => {
    sim = await startKubeSim({ kubeVersion: '1.30.2' });
    expect((await call(sim.url, 'GET', '/apis')).json.kind).toBe('APIGroupList');
  });
});
