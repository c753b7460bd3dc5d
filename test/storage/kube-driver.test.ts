// The Secret/ConfigMap driver against kube-sim: listing (metadata only, paging, 410),
// decoding, writes with preconditions, retries, and the error messages users see.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRelease } from '../../src/helm/codec.js';
import { withChanges } from '../../src/helm/release.js';
import { openDriver, StorageError } from '../../src/storage/index.js';
import type { Driver, ReleaseHead } from '../../src/storage/index.js';
import { startKubeSim } from '../kube-sim/index.js';
import type { KubeSim } from '../kube-sim/index.js';
import { helm3Release, helm4Release } from '../helm/sample-releases.js';
import { helmObject, releaseObject } from './kube-fixtures.js';
import type { KubeKind } from './kube-fixtures.js';
import { collect, thrown } from './driver-helpers.js';

const key = (n: string, v: number) => `sh.helm.release.v1.${n}.v${v}`; // Helm's format, written out (not storageKey)
const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe.each<KubeKind>(['secret', 'configmap'])('Kubernetes driver (%s)', (kind) => {
  const resource = kind === 'secret' ? 'secrets' : 'configmaps';
  let sim: KubeSim;
  let driver: Driver;
  const logLines: string[] = [];

  beforeAll(async () => {
    sim = await startKubeSim({ kubeVersion: 'v1.25.16' });
    for (const n of ['apps', 'batch', 'corrupt']) sim.putObject(ns(n));
    sim.putObject(releaseObject(kind, helm3Release('web', 1, 'superseded', 'apps'), { team: 'payments' }));
    sim.putObject(releaseObject(kind, helm3Release('web', 2, 'deployed', 'apps'), { team: 'payments' }));
    sim.putObject(releaseObject(kind, helm4Release('api', 1, 'deployed', 'apps')));
    for (let i = 1; i <= 7; i++) sim.putObject(releaseObject(kind, helm3Release('many', i, i === 7 ? 'deployed' : 'superseded', 'batch')));
    // Not Helm's: no owner=helm label.
    sim.putObject(helmObject(kind, 'apps', 'unrelated', 'eA==', { app: 'x' }));
    driver = await openDriver({ driver: kind, kubeconfig: sim.kubeconfigPath, pageSize: 3, log: (l) => logLines.push(l) });
  });
  afterAll(async () => {
    await driver?.close();
    await sim?.stop();
  });

  it('lists heads with owner=helm, metadata only (PartialObjectMetadataList), never fetching bodies', async () => {
    sim.clearLog();
    const heads = (await collect(driver.listHeads({ namespace: 'apps' }))) as ReleaseHead[];
    expect(heads.map((h) => h.key).sort()).toEqual([key('api', 1), key('web', 1), key('web', 2)]);
    const web2 = heads.find((h) => h.key === key('web', 2))!;
    expect(web2).toMatchObject({ name: 'web', namespace: 'apps', revision: 2, status: 'deployed' });
    expect(web2.labels.team).toBe('payments');
    expect(web2.resourceVersion).toMatch(/^\d+$/);
    const reqs = sim.requests();
    expect(reqs.length).toBeGreaterThan(0);
    for (const r of reqs) {
      expect(r.method).toBe('GET');
      expect(r.path).toBe(`/api/v1/namespaces/apps/${resource}`);
      expect(r.query.labelSelector).toBe('owner=helm');
      expect(r.accept).toContain('as=PartialObjectMetadataList;g=meta.k8s.io;v=v1');
    }
    // metadata-only answers carry no data: the bytes sent back are far fewer than the stored bodies
    const stored = sim.listObjects({ resource, namespace: 'apps' }).reduce((n, o) => n + JSON.stringify(o.data ?? {}).length, 0);
    expect(reqs.reduce((n, r) => n + r.bytesOut, 0)).toBeLessThan(stored);
  });

  it('lists one release with name=R,owner=helm, and all namespaces at /api/v1/<res>', async () => {
    sim.clearLog();
    const web = (await collect(driver.listHeads({ namespace: 'apps', releaseName: 'web' }))) as ReleaseHead[];
    expect(web.map((h) => h.revision).sort()).toEqual([1, 2]);
    expect(sim.requests()[0].query.labelSelector).toBe('name=web,owner=helm');
    sim.clearLog();
    const all = await collect(driver.listHeads({}));
    expect(all.filter((h) => !(h instanceof StorageError) && h.namespace === 'batch')).toHaveLength(7);
    expect(sim.requests()[0].path).toBe(`/api/v1/${resource}`);
  });

  it('pages with limit/continue across several pages and restarts cleanly on 410 Gone', async () => {
    sim.clearLog();
    const seen: number[] = [];
    for await (const h of driver.listHeads({ namespace: 'batch' })) {
      if (h instanceof StorageError) throw h;
      seen.push(h.revision);
      if (seen.length === 4) sim.expireContinueTokens(); // in the middle of the second page
    }
    expect(seen.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const reqs = sim.requests();
    expect(reqs.every((r) => r.query.limit === '3')).toBe(true);
    expect(reqs.some((r) => r.status === 410)).toBe(true);
    const firstAfter410 = reqs[reqs.findIndex((r) => r.status === 410) + 1];
    expect(firstAfter410.query.continue).toBeUndefined();
    expect(reqs.filter((r) => r.query.continue).length).toBeGreaterThanOrEqual(2);
    expect(logLines.some((l) => l.includes('410'))).toBe(true);
  });

  it('gets and decodes one revision with a single GET; raw is the stored object', async () => {
    sim.clearLog();
    const r = await driver.get('apps', 'web', 2);
    expect(r.release).toEqual(helm3Release('web', 2, 'deployed', 'apps'));
    expect(r.head.labels.team).toBe('payments');
    expect(r.raw.object).toEqual(sim.getObject(`/api/v1/namespaces/apps/${resource}/${key('web', 2)}`));
    expect(sim.requests().map((q) => `${q.method} ${q.path}`)).toEqual([`GET /api/v1/namespaces/apps/${resource}/${key('web', 2)}`]);
    const h4 = await driver.get('apps', 'api', 1);
    expect(h4.release.apply_method).toBe('ssa');
    expect((await thrown(driver.get('apps', 'nope', 1))).code).toBe('not-found');
  });

  it('creates a revision with Helm\'s shape (and nothing of the old metadata but labels); a second create is already-exists', async () => {
    const base = await driver.get('apps', 'web', 2);
    const next = withChanges(base.release, { version: 3, description: 'psa-clean repair' });
    const head = await driver.create(next, { ...base.head.labels, createdAt: '1750000000' });
    expect(head).toMatchObject({ key: key('web', 3), revision: 3, status: 'deployed' });
    const obj = sim.getObject(`/api/v1/namespaces/apps/${resource}/${key('web', 3)}`)!;
    expect(obj.metadata.labels).toEqual({ name: 'web', owner: 'helm', status: 'deployed', version: '3', team: 'payments', modifiedAt: '1700000000', createdAt: '1750000000' });
    expect(Object.keys(obj.data)).toEqual(['release']);
    if (kind === 'secret') {
      expect(obj.type).toBe('helm.sh/release.v1');
      expect(obj.data.release).toMatch(/^SDRzSUFBQUFB/);
    } else {
      expect(obj.data.release).toMatch(/^H4sI/);
    }
    expect((await driver.get('apps', 'web', 3)).release).toEqual(next);
    const e = await thrown(driver.create(next, base.head.labels));
    expect(e.code).toBe('already-exists');
    expect(e.message).toContain(`apps/${key('web', 3)}`);
  });

  it('updates with resourceVersion as precondition; a stale resourceVersion is a conflict', async () => {
    const cur = await driver.get('apps', 'web', 1);
    const h = await driver.update(cur.head, withChanges(cur.release, { description: 'edited' }), cur.head.labels);
    expect(Number(h.resourceVersion)).toBeGreaterThan(Number(cur.head.resourceVersion));
    const e = await thrown(driver.update(cur.head, withChanges(cur.release, { description: 'again' }), cur.head.labels));
    expect(e.code).toBe('conflict');
    expect(e.message).toContain(`apps/${key('web', 1)}`);
    expect((await driver.get('apps', 'web', 1)).release.info).toMatchObject({ description: 'edited' });
  });

  it('delete carries the precondition; readRaw/writeRaw put an object back', async () => {
    const cur = await driver.get('apps', 'web', 3);
    const raw = await driver.readRaw('apps', key('web', 3));
    expect((await thrown(driver.delete({ ...cur.head, resourceVersion: '1' }))).code).toBe('conflict');
    await driver.delete(cur.head);
    expect(sim.getObject(`/api/v1/namespaces/apps/${resource}/${key('web', 3)}`)).toBeUndefined();
    await driver.writeRaw(raw);
    const back = await driver.get('apps', 'web', 3);
    expect(back.release).toEqual(cur.release);
    expect(back.head.labels).toEqual(cur.head.labels);
  });

  it('retries reads on 503/429 (honouring Retry-After) and writes safely after a dropped connection', async () => {
    sim.setFaults([{ method: 'GET', pathRegex: `/${resource}$`, status: 503, count: 2 }]);
    expect(await collect(driver.listHeads({ namespace: 'apps', releaseName: 'web' }))).toHaveLength(3);
    sim.setFaults([{ method: 'GET', pathRegex: key('web', 1), status: 429, retryAfterSeconds: 1, count: 1 }]);
    expect((await driver.get('apps', 'web', 1)).head.revision).toBe(1);
    // a create whose connection dies before an answer: checked by GET, then sent again
    const base = await driver.get('apps', 'web', 3);
    sim.setFaults([{ method: 'POST', pathRegex: `/${resource}$`, drop: true, count: 1 }]);
    sim.clearLog();
    const h = await driver.create(withChanges(base.release, { version: 4 }), base.head.labels);
    expect(h.revision).toBe(4);
    const reqs = sim.requests().map((r) => `${r.method} ${r.status}`);
    expect(reqs).toEqual(['POST -1', 'GET 404', 'POST 201']);
    // an update answered 500: checked by GET (unchanged), then sent again
    const cur = await driver.get('apps', 'web', 4);
    sim.setFaults([{ method: 'PUT', status: 500, count: 1 }]);
    sim.clearLog();
    await driver.update(cur.head, withChanges(cur.release, { status: 'superseded' }), cur.head.labels);
    expect(sim.requests().map((r) => `${r.method} ${r.status}`)).toEqual(['PUT 500', 'GET 200', 'PUT 200']);
    sim.setFaults([]);
  });

  it('a write that landed but whose answer was lost is recognised by GET, not repeated or misreported', async () => {
    const lossy = await startKubeSim({ kubeVersion: 'v1.25.16', onKill: () => undefined });
    const d = await openDriver({ driver: kind, kubeconfig: lossy.kubeconfigPath });
    try {
      lossy.putObject(ns('apps'));
      lossy.putObject(releaseObject(kind, helm3Release('web', 1, 'deployed', 'apps')));
      const base = await d.get('apps', 'web', 1);
      // the server commits the create, then the connection dies before the answer
      lossy.setFaults([{ method: 'POST', killAfterWrites: 1 }]);
      lossy.clearLog();
      const created = await d.create(withChanges(base.release, { version: 2 }), base.head.labels);
      expect(created.revision).toBe(2);
      expect(lossy.requests().map((r) => `${r.method} ${r.status}`)).toEqual(['POST -1', 'GET 200']);
      // same for an update with a precondition: no false "conflict"
      lossy.setFaults([{ method: 'PUT', killAfterWrites: 1 }]);
      lossy.clearLog();
      const updated = await d.update(base.head, withChanges(base.release, { status: 'superseded' }), base.head.labels);
      expect(updated.status).toBe('superseded');
      expect(lossy.requests().map((r) => `${r.method} ${r.status}`)).toEqual(['PUT -1', 'GET 200']);
    } finally {
      await d.close();
      await lossy.stop();
    }
  });

  it('gives up after bounded retries with a server error naming the object', async () => {
    const d = await openDriver({ driver: kind, kubeconfig: sim.kubeconfigPath, retries: 2 });
    sim.setFaults([{ method: 'GET', status: 502 }]);
    try {
      const e = await thrown(d.get('apps', 'web', 1));
      expect(e.code).toBe('server');
      expect(e.message).toContain(`get ${resource} "${key('web', 1)}" in namespace "apps"`);
      expect(e.message).toContain('3 attempts');
    } finally {
      sim.setFaults([]);
      await d.close();
    }
  });

  describe('bad records', () => {
    const good = (name: string) => helm3Release(name, 1, 'deployed', 'corrupt');
    const labels = (name: string, version = '1') => ({ name, owner: 'helm', status: 'deployed', version });
    const put = (name: string, helmText: string, l = labels(name)) => sim.putObject(helmObject(kind, 'corrupt', key(name, 1), helmText, l));
    beforeAll(() => {
      put('b64', '%%% not base64');
      put('gz', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0]), Buffer.from('xx')]).toString('base64'));
      put('json', gzipSync(Buffer.from('{"name": nope')).toString('base64'));
      const noVersion = { ...good('fields') } as Record<string, unknown>;
      delete noVersion.version;
      put('fields', encodeRelease(noVersion));
      put('name', encodeRelease({ ...good('other') }));
      put('ns', encodeRelease({ ...good('ns'), namespace: 'elsewhere' }));
      put('nolabel', encodeRelease(good('nolabel')), { owner: 'helm', name: 'nolabel', status: 'deployed' } as never);
      put('mismatch', encodeRelease(good('mismatch')), labels('mismatch', '5'));
      put('fine', encodeRelease(good('fine')));
      if (kind === 'secret') {
        sim.putObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: key('outer', 1), namespace: 'corrupt', labels: labels('outer') }, type: 'helm.sh/release.v1', data: { release: '!!!' } });
      }
      sim.putObject({ apiVersion: 'v1', kind: kind === 'secret' ? 'Secret' : 'ConfigMap', metadata: { name: key('nodata', 1), namespace: 'corrupt', labels: labels('nodata') }, data: {} });
    });

    it.each([
      ['b64', 'not valid base64'],
      ['gz', 'not valid gzip'],
      ['json', 'not valid JSON'],
      ['fields', 'no integer "version"'],
      ['name', 'name "other" disagrees'],
      ['ns', 'namespace "elsewhere" disagrees'],
      ['nodata', 'has no data.release'],
      ...(kind === 'secret' ? [['outer', 'not valid base64 (Secret layer)']] : []),
    ])('%s -> decode error naming the object', async (name, problem) => {
      const e = await thrown(driver.get('corrupt', name, 1));
      expect(e).toBeInstanceOf(StorageError);
      expect(e.code).toBe('decode');
      expect(e.message).toContain(`corrupt/${key(name, 1)}`);
      expect(e.message).toContain(problem);
      expect(e.message).not.toContain('s3cr3t');
    });

    it('label problems come out of listHeads as error items; the rest is listed', async () => {
      const items = await collect(driver.listHeads({ namespace: 'corrupt' }));
      const errors = items.filter((x): x is StorageError => x instanceof StorageError);
      expect(errors.map((e) => e.message).sort()).toEqual([
        expect.stringContaining(`corrupt/${key('mismatch', 1)}: labels name=mismatch,version=5 do not match`),
        expect.stringContaining(`corrupt/${key('nolabel', 1)}: has no usable "version" label`),
      ]);
      expect(items.length - errors.length).toBe(kind === 'secret' ? 9 : 8);
    });
  });

  it('never logs release data', () => {
    const text = logLines.join('\n');
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toMatch(/H4sI|SDRzSUFBQUFB/);
  });
});
