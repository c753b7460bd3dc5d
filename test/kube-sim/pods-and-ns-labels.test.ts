// What `audit --live` and the printed label commands need from kube-sim: pods listed
// cluster-wide and per namespace in pages, with label and field selectors, and namespace labels
// set by real kubectl's `kubectl label --overwrite ns ...` (a merge PATCH).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from './index.js';
import { call } from './test-client.js';
import { createHelmEnv, type HelmEnv } from '../helpers/helm-env.js';

let sim: KubeSim;
let env: HelmEnv;
const NS = ['red', 'blue'];

beforeAll(async () => {
  sim = await startKubeSim({ kubeVersion: 'v1.24.17' });
  env = await createHelmEnv(4, { kubeconfig: sim.kubeconfigPath });
  for (const ns of NS) sim.putObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (let i = 0; i < 7; i++) {
    sim.putObject({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: `p${i}`, namespace: NS[i % 2], labels: { app: i < 3 ? 'web' : 'db' }, annotations: { 'kubernetes.io/psp': `psp-${i % 3}` } },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
  }
});
afterAll(async () => {
  await sim?.stop();
  env?.cleanup();
});

async function pages(path: string, query = ''): Promise<string[]> {
  const names: string[] = [];
  let cont = '';
  for (let n = 0; n < 20; n++) {
    const r = await call(sim.url, 'GET', `${path}?limit=2${query}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
    expect(r.status).toBe(200);
    expect(r.json.kind).toBe('PodList');
    expect(r.json.items.length).toBeLessThanOrEqual(2);
    names.push(...r.json.items.map((p: { metadata: { namespace: string; name: string } }) => `${p.metadata.namespace}/${p.metadata.name}`));
    cont = r.json.metadata.continue ?? '';
    if (!cont) return names;
  }
  throw new Error('paging did not end');
}

describe('pods', () => {
  it('lists every pod exactly once across pages, cluster-wide and per namespace, annotations intact', async () => {
    const all = await pages('/api/v1/pods');
    expect(all.sort()).toEqual(['blue/p1', 'blue/p3', 'blue/p5', 'red/p0', 'red/p2', 'red/p4', 'red/p6']);
    expect((await pages('/api/v1/namespaces/blue/pods')).sort()).toEqual(['blue/p1', 'blue/p3', 'blue/p5']);
    const one = await call(sim.url, 'GET', '/api/v1/namespaces/red/pods/p2');
    expect(one.json.metadata.annotations).toEqual({ 'kubernetes.io/psp': 'psp-2' });
  });

  it('filters by label and field selectors', async () => {
    expect((await pages('/api/v1/pods', '&labelSelector=app%3Dweb')).sort()).toEqual(['blue/p1', 'red/p0', 'red/p2']);
    expect((await pages('/api/v1/pods', '&fieldSelector=metadata.namespace%3Dblue')).sort()).toEqual(['blue/p1', 'blue/p3', 'blue/p5']);
  });
});

describe('namespace labels from real kubectl', () => {
  it('`kubectl label --overwrite ns` sets and replaces the pod-security labels, keeping the others', async () => {
    sim.putObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'green', labels: { team: 'g', 'pod-security.kubernetes.io/enforce': 'privileged' } } });
    const labels = ['enforce=baseline', 'enforce-version=v1.24', 'audit=restricted', 'audit-version=v1.24', 'warn=restricted', 'warn-version=v1.24'].map((l) => `pod-security.kubernetes.io/${l}`);
    const r = await env.kubectl(['label', '--overwrite', 'ns', 'green', ...labels]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('namespace/green labeled\n');
    expect(sim.getObject('/api/v1/namespaces/green')!.metadata.labels).toEqual({
      team: 'g',
      ...Object.fromEntries(labels.map((l) => l.split('='))),
    });
    // Without --overwrite kubectl refuses to change a label that has a value.
    const again = await env.kubectl(['label', 'ns', 'green', 'pod-security.kubernetes.io/enforce=restricted']);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("'pod-security.kubernetes.io/enforce' already has a value (baseline)");
  });
});
