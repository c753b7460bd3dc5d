// Fault injection: status answers, Retry-After, latency, dropped connections, kill after N writes.
import { afterEach, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from './index.js';
import { call, cm } from './test-client.js';
import { parseFaultRule } from './faults.js';

let sim: KubeSim;
afterEach(async () => sim.stop());
const CMS = '/api/v1/namespaces/default/configmaps';

describe('fault rules', () => {
  it('answers the injected status `count` times, then serves normally', async () => {
    sim = await startKubeSim({ faults: [{ method: 'GET', pathRegex: '/configmaps$', status: 503, count: 2 }] });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await call(sim.url, 'GET', CMS)).status);
    expect(codes).toEqual([503, 503, 200]);
    expect((await call(sim.url, 'GET', '/api/v1/namespaces/default/secrets')).status).toBe(200); // path does not match
  });

  it('sends 429 with Retry-After and a TooManyRequests Status', async () => {
    sim = await startKubeSim({ faults: [{ status: 429, retryAfterSeconds: 3 }] });
    const res = await call(sim.url, 'GET', CMS);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('3');
    expect(res.json).toMatchObject({ kind: 'Status', reason: 'TooManyRequests', code: 429, details: { retryAfterSeconds: 3 } });
  });

  it('skips the first `after` matches', async () => {
    sim = await startKubeSim({ faults: [{ method: 'POST', status: 500, after: 1, count: 1 }] });
    expect((await call(sim.url, 'POST', CMS, { body: cm('a') })).status).toBe(201);
    expect((await call(sim.url, 'POST', CMS, { body: cm('b') })).status).toBe(500);
    expect((await call(sim.url, 'POST', CMS, { body: cm('c') })).status).toBe(201);
    expect(sim.getObject(`${CMS}/b`)).toBeUndefined(); // a faulted write is not applied
  });

  it('delays matching requests by latencyMs before answering', async () => {
    sim = await startKubeSim({ faults: [{ pathRegex: '^/version$', latencyMs: 300 }] });
    const t0 = performance.now();
    expect((await call(sim.url, 'GET', '/version')).status).toBe(200);
    // Lower bound only: the server cannot answer before its delay elapsed.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('drops the connection without an answer and logs status -1', async () => {
    sim = await startKubeSim({ faults: [{ method: 'PUT', drop: true, count: 1 }] });
    await call(sim.url, 'POST', CMS, { body: cm('a') });
    await expect(call(sim.url, 'PUT', `${CMS}/a`, { body: cm('a', { v: '2' }) })).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(sim.requests().at(-1)).toMatchObject({ method: 'PUT', status: -1 });
    expect(sim.getObject(`${CMS}/a`)!.data).toEqual({});
  });

  it('kills the server right after the Nth matching write was committed', async () => {
    let killed = 0;
    sim = await startKubeSim({ faults: [{ method: 'POST', killAfterWrites: 2 }], onKill: () => void (killed++, sim.stop()) });
    expect((await call(sim.url, 'POST', CMS, { body: cm('a') })).status).toBe(201);
    await expect(call(sim.url, 'POST', CMS, { body: cm('b') })).rejects.toThrow();
    expect(killed).toBe(1);
    expect(sim.getObject(`${CMS}/b`)).toBeDefined(); // committed before the connection died
    await expect(call(sim.url, 'GET', '/version')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('without onKill, a kill rule stops the server', async () => {
    sim = await startKubeSim({ faults: [{ killAfterWrites: 1 }] });
    await expect(call(sim.url, 'POST', CMS, { body: cm('a') })).rejects.toThrow();
    await expect(call(sim.url, 'GET', '/version')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('is programmable through the admin endpoint, which reports match counts', async () => {
    sim = await startKubeSim();
    const set = await call(sim.url, 'PUT', '/__sim/faults', { body: [{ method: 'GET', pathRegex: '^/version$', status: 500 }] });
    expect(set.status).toBe(200);
    expect((await call(sim.url, 'GET', '/version')).status).toBe(500);
    const state = await call(sim.url, 'GET', '/__sim/faults');
    expect(state.json).toEqual([expect.objectContaining({ status: 500, matched: 1, fired: 1 })]);
    expect((await call(sim.url, 'PUT', '/__sim/faults', { body: [{ pathRegex: '(' }] })).status).toBe(400);
  });

  it('applies a global latency and rejects invalid rules', async () => {
    sim = await startKubeSim({ latencyMs: 200 });
    const t0 = performance.now();
    await call(sim.url, 'GET', '/version');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
    expect(() => sim.setFaults([{ status: 99 }])).toThrow(/status/);
  });
});

describe('CLI fault syntax', () => {
  it('parses key=value lists and JSON', () => {
    expect(parseFaultRule('method=PUT,path=/secrets/,status=503,count=2,retryAfter=1')).toEqual({
      method: 'PUT', pathRegex: '/secrets/', status: 503, count: 2, retryAfterSeconds: 1,
    });
    expect(parseFaultRule('drop,after=3')).toEqual({ drop: true, after: 3 });
    expect(parseFaultRule('{"killAfterWrites":4}')).toEqual({ killAfterWrites: 4 });
    expect(() => parseFaultRule('colour=red')).toThrow(/unknown key/);
  });
});

describe('observability', () => {
  it('logs method, path, query, status and bytes; counts writes; the admin endpoint is not logged', async () => {
    sim = await startKubeSim();
    await call(sim.url, 'POST', CMS, { body: cm('a') });
    await call(sim.url, 'GET', `${CMS}?labelSelector=x%3Dy`);
    await call(sim.url, 'GET', '/__sim/counters');
    const log = sim.requests();
    expect(log.map((e) => [e.method, e.path, e.status])).toEqual([['POST', CMS, 201], ['GET', CMS, 200]]);
    expect(log[1].query).toEqual({ labelSelector: 'x=y' });
    expect(log[0].bytesIn).toBeGreaterThan(0);
    expect(log[1].bytesOut).toBeGreaterThan(0);
    const c = sim.counters();
    expect(c).toMatchObject({ requests: 2, writes: 1, byMethod: { POST: 1, GET: 1 } });
    expect(c.bytesOut).toBe(log[0].bytesOut + log[1].bytesOut);
    sim.clearLog();
    expect(sim.requests()).toEqual([]);
    expect(sim.counters().requests).toBe(0);
  });
});
