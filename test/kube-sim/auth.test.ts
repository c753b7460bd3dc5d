// TLS with a generated CA, client-certificate and bearer-token authentication (401), and
// the RBAC-like deny list (403 with the apiserver's wording).
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startKubeSim, type KubeSim } from './index.js';
import { call } from './test-client.js';
import { createHelmEnv } from '../helpers/helm-env.js';

let sim: KubeSim;
afterEach(async () => sim.stop());

/** Client material from the written kubeconfig, exactly what Helm/kubectl would use. */
function kubeconfigCreds(k: KubeSim) {
  const cfg = parse(k.kubeconfig);
  const user = cfg.users[0].user;
  const dec = (s?: string) => (s ? Buffer.from(s, 'base64').toString('utf8') : undefined);
  return { ca: dec(cfg.clusters[0].cluster['certificate-authority-data']), cert: dec(user['client-certificate-data']), key: dec(user['client-key-data']), token: user.token as string | undefined };
}

describe('TLS and client certificates', () => {
  it('serves HTTPS on 127.0.0.1 and accepts the kubeconfig client certificate', async () => {
    sim = await startKubeSim({ tls: true });
    expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const { ca, cert, key } = kubeconfigCreds(sim);
    expect(ca).toBe(sim.caPem);
    const res = await call(sim.url, 'GET', '/api/v1/namespaces', { ca, cert, key });
    expect(res.status).toBe(200);
  });

  it('answers 401 Unauthorized without a client certificate', async () => {
    sim = await startKubeSim({ tls: true });
    const res = await call(sim.url, 'GET', '/api/v1/namespaces', { ca: sim.caPem });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ kind: 'Status', reason: 'Unauthorized', message: 'Unauthorized', code: 401 });
  });

  it('is trusted by kubectl through the written kubeconfig', async () => {
    sim = await startKubeSim({ tls: true });
    const env = await createHelmEnv(4, { kubeconfig: sim.kubeconfigPath });
    try {
      const r = await env.kubectl(['get', 'namespaces', '-o', 'name']);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('namespace/default');
    } finally {
      env.cleanup();
    }
  });
});

describe('bearer tokens', () => {
  it('accepts the right token and answers 401 for a wrong or missing one', async () => {
    sim = await startKubeSim({ token: 's3cret' });
    expect(kubeconfigCreds(sim).token).toBe('s3cret');
    expect((await call(sim.url, 'GET', '/version', { headers: { Authorization: 'Bearer s3cret' } })).status).toBe(200);
    expect((await call(sim.url, 'GET', '/version', { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await call(sim.url, 'GET', '/version')).status).toBe(401);
  });

  it('works with Helm through the written kubeconfig (client-go sends tokens over HTTPS only)', async () => {
    sim = await startKubeSim({ token: 's3cret', tls: true });
    const creds = kubeconfigCreds(sim);
    expect(creds.cert).toBeUndefined(); // the token, not a certificate, authenticates Helm
    const env = await createHelmEnv(3, { kubeconfig: sim.kubeconfigPath });
    try {
      const r = await env.helm(['list', '-A']);
      expect(r.code).toBe(0);
      expect(sim.requests().every((e) => e.status !== 401)).toBe(true);
    } finally {
      env.cleanup();
    }
  });
});

describe('deny list', () => {
  it('answers 403 with the apiserver message for a namespaced list', async () => {
    sim = await startKubeSim({ forbid: ['list:secrets:ns=locked'] });
    const res = await call(sim.url, 'GET', '/api/v1/namespaces/locked/secrets');
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({
      kind: 'Status', reason: 'Forbidden', code: 403,
      message: 'secrets is forbidden: User "system:anonymous" cannot list resource "secrets" in API group "" in the namespace "locked"',
    });
    expect((await call(sim.url, 'GET', '/api/v1/namespaces/default/secrets')).status).toBe(200);
  });

  it('names the object, the token user and the cluster scope', async () => {
    sim = await startKubeSim({ token: 't', forbid: ['update:secrets', 'get:podsecuritypolicies.policy'] });
    const auth = { Authorization: 'Bearer t' };
    const put = await call(sim.url, 'PUT', '/api/v1/namespaces/default/secrets/x', { headers: auth, body: { kind: 'Secret', apiVersion: 'v1', metadata: { name: 'x' } } });
    expect(put.json.message).toBe('secrets "x" is forbidden: User "sim-token-user" cannot update resource "secrets" in API group "" in the namespace "default"');
    const psp = await call(sim.url, 'GET', '/apis/policy/v1beta1/podsecuritypolicies/p', { headers: auth });
    expect(psp.json.message).toBe('podsecuritypolicies.policy "p" is forbidden: User "sim-token-user" cannot get resource "podsecuritypolicies" in API group "policy" at the cluster scope');
  });

  it('is replaceable at runtime through the admin endpoint', async () => {
    sim = await startKubeSim();
    await call(sim.url, 'PUT', '/__sim/forbid', { body: ['get:configmaps:ns=x'] });
    expect((await call(sim.url, 'GET', '/api/v1/namespaces/x/configmaps/a')).status).toBe(403);
    expect((await call(sim.url, 'GET', '/api/v1/namespaces/y/configmaps/a')).status).toBe(404);
  });
});

describe('impersonation', () => {
  it('applies rules and messages to the impersonated user and logs who acted', async () => {
    sim = await startKubeSim({ forbid: ['list:secrets:user=alice'] });
    const res = await call(sim.url, 'GET', '/api/v1/namespaces/default/secrets', { headers: { 'Impersonate-User': 'alice' } });
    expect(res.status).toBe(403);
    expect(res.json.message).toBe('secrets is forbidden: User "alice" cannot list resource "secrets" in API group "" in the namespace "default"');
    expect((await call(sim.url, 'GET', '/api/v1/namespaces/default/secrets', { headers: { 'Impersonate-User': 'bob' } })).status).toBe(200);
    expect(sim.requests().map((e) => e.user)).toEqual(['alice', 'bob']);
  });

  it('answers 403 when impersonation itself is denied', async () => {
    sim = await startKubeSim({ forbid: ['impersonate:users'] });
    const res = await call(sim.url, 'GET', '/version', { headers: { 'Impersonate-User': 'alice' } });
    expect(res.status).toBe(403);
    expect(res.json.message).toBe('users "alice" is forbidden: User "system:anonymous" cannot impersonate resource "users" in API group "" at the cluster scope');
  });
});
