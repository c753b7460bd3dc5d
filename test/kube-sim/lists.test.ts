// Lists: selectors, paging with expiring continue tokens, metadata-only lists.
import { afterEach, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from './index.js';
import { call, cm } from './test-client.js';
import { matchesLabels, parseLabelSelector } from './selectors.js';

let sim: KubeSim;
afterEach(async () => sim.stop());

const CMS = '/api/v1/namespaces/default/configmaps';
async function seed(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await call(sim.url, 'POST', CMS, { body: cm(`cm-${i}`, {}, { idx: String(i), parity: i % 2 ? 'odd' : 'even' }) });
  }
}
const names = (r: any) => r.json.items.map((i: any) => i.metadata.name);

describe('label selectors', () => {
  it.each([
    ['parity=odd', ['cm-1', 'cm-3']],
    ['parity==even,idx!=0', ['cm-2']],
    ['idx in (1, 2)', ['cm-1', 'cm-2']],
    ['idx notin (1,2),parity', ['cm-0', 'cm-3']],
    ['!parity', []],
  ])('%s', async (sel, want) => {
    sim = await startKubeSim();
    await seed(4);
    const res = await call(sim.url, 'GET', `${CMS}?labelSelector=${encodeURIComponent(sel)}`);
    expect(names(res)).toEqual(want);
  });

  it('rejects an unparsable selector with 400', async () => {
    sim = await startKubeSim();
    const res = await call(sim.url, 'GET', `${CMS}?labelSelector=${encodeURIComponent('a in b')}`);
    expect(res.status).toBe(400);
  });

  it('treats a missing label as not matching "=" but matching "!="', () => {
    expect(matchesLabels(parseLabelSelector('a=b'), {})).toBe(false);
    expect(matchesLabels(parseLabelSelector('a!=b'), {})).toBe(true);
  });
});

describe('field selectors and scope', () => {
  it('filters on metadata.name and lists cluster-wide at /api/v1/<resource>', async () => {
    sim = await startKubeSim();
    await seed(3);
    expect(names(await call(sim.url, 'GET', `${CMS}?fieldSelector=metadata.name%3Dcm-1`))).toEqual(['cm-1']);
    await call(sim.url, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } } });
    await call(sim.url, 'POST', '/api/v1/namespaces/other/configmaps', { body: cm('cm-1') });
    const all = await call(sim.url, 'GET', '/api/v1/configmaps?fieldSelector=metadata.name%3Dcm-1');
    expect(all.json.items.map((i: any) => i.metadata.namespace)).toEqual(['default', 'other']);
  });
});

describe('paging', () => {
  it('returns every item exactly once across limit/continue pages', async () => {
    sim = await startKubeSim();
    await seed(7);
    const seen: string[] = [];
    let cont = '';
    let pages = 0;
    do {
      const res = await call(sim.url, 'GET', `${CMS}?limit=3${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...names(res));
      cont = res.json.metadata.continue ?? '';
      if (cont) expect(res.json.metadata.remainingItemCount).toBe(7 - seen.length);
      pages++;
    } while (cont);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `cm-${i}`).sort());
  });

  it('answers 410 Expired for a continue token after the tokens were expired', async () => {
    sim = await startKubeSim();
    await seed(3);
    const first = await call(sim.url, 'GET', `${CMS}?limit=1`);
    sim.expireContinueTokens();
    const res = await call(sim.url, 'GET', `${CMS}?limit=1&continue=${encodeURIComponent(first.json.metadata.continue)}`);
    expect(res.status).toBe(410);
    expect(res.json).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
    expect(res.json.metadata.continue).toEqual(expect.any(String)); // inconsistent-continue token, as real servers send
  });

  it('expires tokens after continueTtlWrites writes', async () => {
    sim = await startKubeSim({ continueTtlWrites: 1 });
    await seed(3);
    const first = await call(sim.url, 'GET', `${CMS}?limit=1`);
    const next = `${CMS}?limit=1&continue=${encodeURIComponent(first.json.metadata.continue)}`;
    await call(sim.url, 'POST', CMS, { body: cm('w1') });
    expect((await call(sim.url, 'GET', next)).status).toBe(200); // 1 write: still valid
    await call(sim.url, 'POST', CMS, { body: cm('w2') });
    expect((await call(sim.url, 'GET', next)).status).toBe(410);
  });

  it('expires tokens through the admin endpoint', async () => {
    sim = await startKubeSim();
    await seed(2);
    const first = await call(sim.url, 'GET', `${CMS}?limit=1`);
    expect((await call(sim.url, 'POST', '/__sim/expire-continue')).status).toBe(200);
    expect((await call(sim.url, 'GET', `${CMS}?limit=1&continue=${encodeURIComponent(first.json.metadata.continue)}`)).status).toBe(410);
  });

  it('answers 400 for a continue token it never issued', async () => {
    sim = await startKubeSim();
    expect((await call(sim.url, 'GET', `${CMS}?limit=1&continue=garbage!`)).status).toBe(400);
  });
});

describe('metadata-only lists', () => {
  it('answers PartialObjectMetadataList with metadata-only items', async () => {
    sim = await startKubeSim();
    await call(sim.url, 'POST', '/api/v1/namespaces/default/secrets', {
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', labels: { owner: 'helm' } }, data: { release: 'c2VjcmV0' } },
    });
    const res = await call(sim.url, 'GET', '/api/v1/namespaces/default/secrets', {
      accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
    });
    expect(res.json.kind).toBe('PartialObjectMetadataList');
    expect(res.json.apiVersion).toBe('meta.k8s.io/v1');
    expect(res.json.metadata.resourceVersion).toEqual(expect.any(String));
    expect(res.json.items).toHaveLength(1);
    expect(Object.keys(res.json.items[0]).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
    expect(res.json.items[0]).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 's', labels: { owner: 'helm' } } });
    expect(res.text).not.toContain('c2VjcmV0');
  });
});

describe('paging snapshots', () => {
  it('keeps later pages consistent with the first one despite writes in between', async () => {
    sim = await startKubeSim();
    await seed(4);
    const first = await call(sim.url, 'GET', `${CMS}?limit=2`);
    expect(names(first)).toEqual(['cm-0', 'cm-1']);
    await call(sim.url, 'DELETE', `${CMS}/cm-2`);
    await call(sim.url, 'POST', CMS, { body: cm('cm-11') }); // sorts between cm-1 and cm-2
    const second = await call(sim.url, 'GET', `${CMS}?limit=2&continue=${encodeURIComponent(first.json.metadata.continue)}`);
    expect(names(second)).toEqual(['cm-2', 'cm-3']);
    expect(second.json.metadata.resourceVersion).toBe(first.json.metadata.resourceVersion);
    expect(second.json.metadata.continue).toBeUndefined();
  });

  it('continues on live data with the inconsistent token a 410 carries', async () => {
    sim = await startKubeSim();
    await seed(4);
    const first = await call(sim.url, 'GET', `${CMS}?limit=2`);
    sim.expireContinueTokens();
    await call(sim.url, 'DELETE', `${CMS}/cm-2`);
    const gone = await call(sim.url, 'GET', `${CMS}?limit=2&continue=${encodeURIComponent(first.json.metadata.continue)}`);
    expect(gone.status).toBe(410);
    const rest = await call(sim.url, 'GET', `${CMS}?limit=2&continue=${encodeURIComponent(gone.json.metadata.continue)}`);
    expect(names(rest)).toEqual(['cm-3']);
  });
});
