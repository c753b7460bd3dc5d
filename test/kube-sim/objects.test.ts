// Object semantics a real API server guarantees and psa-clean relies on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from './index.js';
import { call, cm } from './test-client.js';

let sim: KubeSim;
beforeEach(async () => {
  sim = await startKubeSim();
});
afterEach(async () => sim.stop());

const CMS = '/api/v1/namespaces/default/configmaps';

describe('create', () => {
  it('fills uid, creationTimestamp and a resourceVersion, answering 201', async () => {
    const res = await call(sim.url, 'POST', CMS, { body: cm('a') });
    expect(res.status).toBe(201);
    expect(res.json.metadata).toMatchObject({ name: 'a', namespace: 'default' });
    expect(res.json.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Number(res.json.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it('answers 409 AlreadyExists for a duplicate name', async () => {
    await call(sim.url, 'POST', CMS, { body: cm('a') });
    const res = await call(sim.url, 'POST', CMS, { body: cm('a') });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({
      kind: 'Status', status: 'Failure', reason: 'AlreadyExists', code: 409,
      message: 'configmaps "a" already exists', details: { name: 'a', kind: 'configmaps', group: '' },
    });
  });

  it('answers 404 when the namespace does not exist', async () => {
    const res = await call(sim.url, 'POST', '/api/v1/namespaces/nope/configmaps', { body: cm('a') });
    expect(res.status).toBe(404);
    expect(res.json.message).toBe('namespaces "nope" not found');
  });

  it('names group resources "<plural>.<group>" in NotFound messages', async () => {
    const res = await call(sim.url, 'GET', '/apis/policy/v1beta1/podsecuritypolicies/x');
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ reason: 'NotFound', message: 'podsecuritypolicies.policy "x" not found', details: { group: 'policy', kind: 'podsecuritypolicies' } });
  });

  it('folds Secret stringData into base64 data', async () => {
    const res = await call(sim.url, 'POST', '/api/v1/namespaces/default/secrets', {
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { k: 'v' } },
    });
    expect(res.json.data).toEqual({ k: 'dg==' });
    expect(res.json.stringData).toBeUndefined();
    expect(res.json.type).toBe('Opaque');
  });
});

describe('update', () => {
  it('accepts an unconditional PUT (no resourceVersion) and bumps the resourceVersion', async () => {
    const created = await call(sim.url, 'POST', CMS, { body: cm('a', { v: '1' }) });
    const res = await call(sim.url, 'PUT', `${CMS}/a`, { body: cm('a', { v: '2' }) });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({ v: '2' });
    expect(Number(res.json.metadata.resourceVersion)).toBeGreaterThan(Number(created.json.metadata.resourceVersion));
    expect(res.json.metadata.uid).toBe(created.json.metadata.uid);
  });

  it('answers 409 Conflict for a PUT with a stale resourceVersion', async () => {
    const created = await call(sim.url, 'POST', CMS, { body: cm('a') });
    const staleRv = created.json.metadata.resourceVersion;
    await call(sim.url, 'PUT', `${CMS}/a`, { body: cm('a', { v: '2' }) });
    const res = await call(sim.url, 'PUT', `${CMS}/a`, { body: { ...cm('a', { v: '3' }), metadata: { name: 'a', resourceVersion: staleRv } } });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
    });
    expect((await call(sim.url, 'GET', `${CMS}/a`)).json.data).toEqual({ v: '2' });
  });

  it('accepts a PUT carrying the current resourceVersion', async () => {
    const created = await call(sim.url, 'POST', CMS, { body: cm('a') });
    const res = await call(sim.url, 'PUT', `${CMS}/a`, { body: { ...cm('a', { v: '2' }), metadata: { name: 'a', resourceVersion: created.json.metadata.resourceVersion } } });
    expect(res.status).toBe(200);
  });

  it('answers 404 for a PUT of a missing object', async () => {
    const res = await call(sim.url, 'PUT', `${CMS}/missing`, { body: cm('missing') });
    expect(res.status).toBe(404);
    expect(res.json.message).toBe('configmaps "missing" not found');
  });
});

describe('delete', () => {
  it('answers a Success Status and removes the object', async () => {
    await call(sim.url, 'POST', CMS, { body: cm('a') });
    const res = await call(sim.url, 'DELETE', `${CMS}/a`, { body: { propagationPolicy: 'Background' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'a', kind: 'configmaps' } });
    expect((await call(sim.url, 'GET', `${CMS}/a`)).status).toBe(404);
  });

  it('answers 409 when a resourceVersion precondition is stale, and keeps the object', async () => {
    const created = await call(sim.url, 'POST', CMS, { body: cm('a') });
    await call(sim.url, 'PUT', `${CMS}/a`, { body: cm('a', { v: '2' }) });
    const res = await call(sim.url, 'DELETE', `${CMS}/a`, { body: { preconditions: { resourceVersion: created.json.metadata.resourceVersion } } });
    expect(res.status).toBe(409);
    expect(res.json.message).toMatch(/^Operation cannot be fulfilled on configmaps "a": Precondition failed: ResourceVersion in precondition: \d+, ResourceVersion in object meta: \d+$/);
    expect((await call(sim.url, 'GET', `${CMS}/a`)).status).toBe(200);
  });

  it('deletes when the resourceVersion precondition matches', async () => {
    const created = await call(sim.url, 'POST', CMS, { body: cm('a') });
    const res = await call(sim.url, 'DELETE', `${CMS}/a`, { body: { preconditions: { resourceVersion: created.json.metadata.resourceVersion } } });
    expect(res.status).toBe(200);
  });

  it('deleting a namespace deletes what it contains', async () => {
    await call(sim.url, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone' } } });
    await call(sim.url, 'POST', '/api/v1/namespaces/gone/configmaps', { body: cm('a') });
    await call(sim.url, 'DELETE', '/api/v1/namespaces/gone');
    expect(sim.getObject('/api/v1/namespaces/gone/configmaps/a')).toBeUndefined();
  });
});

describe('patch', () => {
  it('applies a strategic-merge patch, keeping other keys', async () => {
    await call(sim.url, 'POST', CMS, { body: cm('a', { x: '1', y: '2' }) });
    const res = await call(sim.url, 'PATCH', `${CMS}/a`, { body: { data: { y: null, z: '3' } }, contentType: 'application/strategic-merge-patch+json' });
    expect(res.json.data).toEqual({ x: '1', z: '3' });
  });

  it('server-side apply creates a missing object with 201, then updates with 200', async () => {
    const apply = (data: Record<string, string>) =>
      call(sim.url, 'PATCH', `${CMS}/a?fieldManager=helm&force=false`, { body: cm('a', data), contentType: 'application/apply-patch+yaml' });
    expect((await apply({ x: '1' })).status).toBe(201);
    const res = await apply({ y: '2' });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({ y: '2' }); // x was applied by helm before and is dropped now
  });

  it('marks Jobs complete on write so hook waits end', async () => {
    const res = await call(sim.url, 'POST', '/apis/batch/v1/namespaces/default/jobs', {
      body: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { containers: [] } } } },
    });
    expect(res.json.status.conditions).toEqual([expect.objectContaining({ type: 'Complete', status: 'True' })]);
  });
});

describe('resourceVersion', () => {
  it('is monotonic across kinds and reported on lists', async () => {
    const a = await call(sim.url, 'POST', CMS, { body: cm('a') });
    const s = await call(sim.url, 'POST', '/api/v1/namespaces/default/secrets', { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } } });
    expect(Number(s.json.metadata.resourceVersion)).toBeGreaterThan(Number(a.json.metadata.resourceVersion));
    const list = await call(sim.url, 'GET', CMS);
    expect(list.json).toMatchObject({ kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: s.json.metadata.resourceVersion } });
  });
});

describe('Deployment controller stand-in', () => {
  const dep = (image: string, replicas = 2) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } } },
  });
  const DEPS = '/apis/apps/v1/namespaces/default/deployments';
  const rsets = () => sim.listObjects({ group: 'apps', resource: 'replicasets', namespace: 'default' });

  it('creates a ReplicaSet owned by the Deployment, ready, with the pod-template-hash label', async () => {
    const d = (await call(sim.url, 'POST', DEPS, { body: dep('a:1') })).json;
    expect(d.status).toMatchObject({ observedGeneration: 1, readyReplicas: 2 });
    const [rs] = rsets();
    expect(rs.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Deployment', uid: d.metadata.uid, controller: true })]);
    expect(rs.metadata.labels['pod-template-hash']).toMatch(/^[0-9a-f]{10}$/);
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': rs.metadata.labels['pod-template-hash'] });
    expect(rs.status).toMatchObject({ observedGeneration: rs.metadata.generation, readyReplicas: 2 });
  });

  it('rolls a new ReplicaSet on a template change and scales the old one to 0', async () => {
    await call(sim.url, 'POST', DEPS, { body: dep('a:1') });
    await call(sim.url, 'PUT', `${DEPS}/web`, { body: dep('a:2') });
    expect(rsets().map((r) => r.spec.replicas).sort()).toEqual([0, 2]);
  });

  it('garbage-collects its ReplicaSets when the Deployment is deleted', async () => {
    await call(sim.url, 'POST', DEPS, { body: dep('a:1') });
    await call(sim.url, 'DELETE', `${DEPS}/web`);
    expect(rsets()).toEqual([]);
  });
});

describe('validation', () => {
  it('rejects a name that is not a DNS subdomain with 422 Invalid', async () => {
    const res = await call(sim.url, 'POST', CMS, { body: cm('Bad_Name') });
    expect(res.status).toBe(422);
    expect(res.json.message).toMatch(/^ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  });

  it('rejects label values longer than 63 characters', async () => {
    const res = await call(sim.url, 'POST', CMS, { body: cm('a', {}, { name: 'x'.repeat(64) }) });
    expect(res.status).toBe(422);
    expect(res.json.message).toBe(`ConfigMap "a" is invalid: metadata.labels: Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`);
  });

  it('rejects Secret data over 1 MiB, as a growing release record would be', async () => {
    const body = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'big' }, data: { release: Buffer.alloc(1024 * 1024).toString('base64') } };
    const res = await call(sim.url, 'POST', '/api/v1/namespaces/default/secrets', { body });
    expect(res.status).toBe(422);
    expect(res.json.message).toBe('Secret "big" is invalid: data: Too long: must have at most 1048576 bytes');
  });

  it('validates updates and patches too', async () => {
    await call(sim.url, 'POST', CMS, { body: cm('a') });
    const big = 'x'.repeat(1024 * 1024);
    expect((await call(sim.url, 'PUT', `${CMS}/a`, { body: cm('a', { big }) })).json.message).toBe('ConfigMap "a" is invalid: []: Too long: must have at most 1048576 bytes');
    const patched = await call(sim.url, 'PATCH', `${CMS}/a`, { body: { metadata: { labels: { 'bad key!': 'v' } } }, contentType: 'application/merge-patch+json' });
    expect(patched.status).toBe(422);
  });
});
