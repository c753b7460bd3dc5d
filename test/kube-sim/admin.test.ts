// The admin endpoint, for sims driven from another process (CLI, demo, benchmarks).
import { afterEach, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from './index.js';
import { call, cm } from './test-client.js';

let sim: KubeSim;
afterEach(async () => sim.stop());

describe('/__sim admin endpoint', () => {
  it('reports state, log and counters, clears them, and lists stored objects', async () => {
    sim = await startKubeSim({ kubeVersion: 'v1.26.3+k3s1' });
    await call(sim.url, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm('a', {}, { team: 'x' }) });
    await call(sim.url, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm('b') });
    const state = (await call(sim.url, 'GET', '/__sim/state')).json;
    expect(state).toMatchObject({ kubeVersion: 'v1.26.3+k3s1', counters: { requests: 2, writes: 2 } });
    expect(Number(state.resourceVersion)).toBeGreaterThan(0);
    expect((await call(sim.url, 'GET', '/__sim/requests')).json.map((e: any) => e.status)).toEqual([201, 201]);
    expect((await call(sim.url, 'GET', '/__sim/objects?resource=configmaps&labelSelector=team%3Dx')).json.map((o: any) => o.metadata.name)).toEqual(['a']);
    await call(sim.url, 'DELETE', '/__sim/requests');
    expect((await call(sim.url, 'GET', '/__sim/counters')).json).toEqual({ requests: 0, writes: 0, bytesIn: 0, bytesOut: 0, byMethod: {} });
  });

  it('sets a global latency and answers 404 for unknown actions, 400 for bad input', async () => {
    sim = await startKubeSim();
    await call(sim.url, 'PUT', '/__sim/latency', { body: { latencyMs: 250 } });
    const t0 = performance.now();
    await call(sim.url, 'GET', '/version');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(240); // lower bound only
    expect((await call(sim.url, 'GET', '/__sim/nope')).status).toBe(404);
    expect((await call(sim.url, 'PUT', '/__sim/kube-version', { body: { kubeVersion: 'x' } })).status).toBe(400);
    expect((await call(sim.url, 'PUT', '/__sim/forbid', { body: '{not json' })).status).toBe(400);
  });
});
