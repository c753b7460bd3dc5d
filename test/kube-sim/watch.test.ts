// Watches: idle streams send headers at once, watch-list bookmarks (>= 1.27) or 422 (older),
// resuming from a resourceVersion.
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { startKubeSim, type KubeSim } from './index.js';
import { call, cm } from './test-client.js';

let sim: KubeSim;
afterEach(async () => sim.stop());
const CMS = '/api/v1/namespaces/default/configmaps';

/** Opens a watch and collects events until `until` says stop; resolves with status and events. */
function watch(url: string, until: (events: any[]) => boolean): Promise<{ status: number; events: any[]; headersAt: number }> {
  return new Promise((resolve, reject) => {
    const events: any[] = [];
    let buf = '';
    const req = request(url, (res) => {
      const headersAt = events.length;
      if (res.statusCode !== 200) {
        let t = '';
        res.on('data', (c) => (t += c));
        res.on('end', () => resolve({ status: res.statusCode!, events: [JSON.parse(t)], headersAt }));
        return;
      }
      const done = () => {
        req.destroy();
        resolve({ status: 200, events, headersAt });
      };
      if (until(events)) return done();
      res.on('data', (c) => {
        buf += c;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buf.slice(0, nl)));
          buf = buf.slice(nl + 1);
        }
        if (until(events)) done();
      });
      res.on('end', () => resolve({ status: 200, events, headersAt }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('watch', () => {
  it('sends the response headers of an idle watch immediately', async () => {
    sim = await startKubeSim();
    // Resolves only once headers arrived; no event is ever sent on this resource.
    const r = await watch(`${sim.url}/apis/batch/v1/namespaces/default/jobs?watch=true&resourceVersion=${1e9}`, () => true);
    expect(r).toMatchObject({ status: 200, headersAt: 0 });
  });

  it('streams ADDED for existing objects, then live changes', async () => {
    sim = await startKubeSim();
    await call(sim.url, 'POST', CMS, { body: cm('a') });
    let writes: Promise<unknown> | undefined;
    const r = await watch(`${sim.url}${CMS}?watch=true`, (ev) => {
      // Write only once the watch is live (its initial ADDED arrived), so nothing races.
      if (ev.length === 1 && !writes) {
        writes = call(sim.url, 'PUT', `${CMS}/a`, { body: cm('a', { v: '1' }) }).then(() => call(sim.url, 'DELETE', `${CMS}/a`));
      }
      return ev.length >= 3;
    });
    await writes;
    expect(r.events.map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'a'], ['MODIFIED', 'a'], ['DELETED', 'a']]);
  });

  const WATCH_LIST = `${CMS}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`;

  it('rejects watch-list before 1.27 with the pre-watch-list 422 (resourceVersionMatch forbidden)', async () => {
    sim = await startKubeSim({ kubeVersion: '1.24.17' });
    const r = await watch(`${sim.url}${WATCH_LIST}`, () => true);
    expect(r.status).toBe(422);
    expect(r.events[0]).toMatchObject({
      kind: 'Status', reason: 'Invalid', details: { kind: 'ListOptions', group: 'meta.k8s.io' },
      message: 'ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch, resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided]',
    });
  });

  it.each(['1.28.4', '1.33.1'])('rejects watch-list at %s, where the WatchList gate is off by default', async (v) => {
    sim = await startKubeSim({ kubeVersion: v });
    const r = await watch(`${sim.url}${WATCH_LIST}`, () => true);
    expect(r.status).toBe(422);
    expect(r.events[0].message).toBe('ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled');
    expect(r.events[0].details.causes).toEqual([{ reason: 'FieldValueForbidden', field: 'sendInitialEvents', message: 'Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled' }]);
  });

  it.each(['1.32.3', '1.34.0'])('ends watch-list initial events with the initial-events-end BOOKMARK at %s', async (v) => {
    sim = await startKubeSim({ kubeVersion: v });
    await call(sim.url, 'POST', CMS, { body: cm('a') });
    await call(sim.url, 'POST', CMS, { body: cm('b') });
    const r = await watch(`${sim.url}${WATCH_LIST}`, (ev) => ev.some((e) => e.type === 'BOOKMARK'));
    expect(r.events.map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'BOOKMARK']);
    expect(r.events[2].object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } });
  });

  it('lets a test force the gate on at an older version', async () => {
    sim = await startKubeSim({ kubeVersion: '1.24.17', watchList: true });
    const r = await watch(`${sim.url}${WATCH_LIST}`, (ev) => ev.some((e) => e.type === 'BOOKMARK'));
    expect(r.status).toBe(200);
  });

  it('replays changes after a resourceVersion and filters by field selector', async () => {
    sim = await startKubeSim();
    const a = await call(sim.url, 'POST', CMS, { body: cm('a') });
    await call(sim.url, 'POST', CMS, { body: cm('b') });
    await call(sim.url, 'PUT', `${CMS}/a`, { body: cm('a', { v: '2' }) });
    const rv = a.json.metadata.resourceVersion;
    const r = await watch(`${sim.url}${CMS}?watch=true&resourceVersion=${rv}&fieldSelector=metadata.name%3Da`, (ev) => ev.length >= 1);
    expect(r.events.map((e) => [e.type, e.object.data])).toEqual([['MODIFIED', { v: '2' }]]);
  });

  it('ends the stream after timeoutSeconds', async () => {
    sim = await startKubeSim();
    const r = await watch(`${sim.url}${CMS}?watch=true&timeoutSeconds=1&resourceVersion=${1e9}`, () => false);
    expect(r).toMatchObject({ status: 200, events: [] });
  });
});
