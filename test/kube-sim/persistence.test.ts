// State on disk: a new sim on the same directory sees the same objects, resourceVersions
// keep growing, and a kill never leaves half-written files behind.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeSim, type KubeSim } from './index.js';
import { call, cm } from './test-client.js';

let dir: string;
const sims: KubeSim[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kube-sim-state-'));
});
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});
const start = async (o: Parameters<typeof startKubeSim>[0] = {}) => {
  const s = await startKubeSim({ stateDir: dir, ...o });
  sims.push(s);
  return s;
};
const CMS = '/api/v1/namespaces/default/configmaps';

function files(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('state directory', () => {
  it('a new sim on the same directory serves the same objects with the same metadata', async () => {
    const a = await start({ kubeVersion: '1.24.17' });
    const created = await call(a.url, 'POST', CMS, { body: cm('kept', { k: 'v' }) });
    await call(a.url, 'POST', '/apis/policy/v1beta1/podsecuritypolicies', { body: { apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy', metadata: { name: 'p' }, spec: {} } });
    await call(a.url, 'POST', CMS, { body: cm('deleted') });
    await call(a.url, 'DELETE', `${CMS}/deleted`);
    await a.stop();

    const b = await start({ kubeVersion: '1.25.16' });
    const got = await call(b.url, 'GET', `${CMS}/kept`);
    expect(got.json).toEqual(created.json);
    expect((await call(b.url, 'GET', `${CMS}/deleted`)).status).toBe(404);
    expect(b.getObject('/apis/policy/v1beta1/podsecuritypolicies/p')).toBeDefined(); // stored, just not served at 1.25
  });

  it('keeps resourceVersions increasing across restarts', async () => {
    const a = await start();
    await call(a.url, 'POST', CMS, { body: cm('x') });
    await call(a.url, 'DELETE', `${CMS}/x`); // the highest version handed out belongs to a deleted object
    const before = Number((await call(a.url, 'GET', CMS)).json.metadata.resourceVersion);
    await a.stop();
    const b = await start();
    const next = await call(b.url, 'POST', CMS, { body: cm('y') });
    expect(Number(next.json.metadata.resourceVersion)).toBeGreaterThan(before);
  });

  it('writes one JSON file per object and leaves no temp files', async () => {
    const a = await start();
    await call(a.url, 'POST', CMS, { body: cm('c') });
    for (let i = 0; i < 5; i++) await call(a.url, 'PUT', `${CMS}/c`, { body: cm('c', { i: String(i) }) });
    const all = files(dir);
    expect(all.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(all.filter((f) => f.includes(join('core', 'configmaps', 'default')))).toEqual([join(dir, 'objects', 'core', 'configmaps', 'default', 'c.json')]);
  });

  it('remembers the last kube version when none is given', async () => {
    const a = await start({ kubeVersion: '1.24.17' });
    a.setKubeVersion('v1.25.16');
    await a.stop();
    const b = await start();
    expect(b.kubeVersion()).toBe('v1.25.16');
  });

  it('keeps server-side-apply state so a restart does not change apply pruning', async () => {
    const a = await start();
    const apply = (s: KubeSim, data: Record<string, string>) =>
      call(s.url, 'PATCH', `${CMS}/ap?fieldManager=helm`, { body: cm('ap', data), contentType: 'application/apply-patch+yaml' });
    await apply(a, { old: '1' });
    await a.stop();
    const b = await start();
    expect((await apply(b, { new: '2' })).json.data).toEqual({ new: '2' });
  });
});
