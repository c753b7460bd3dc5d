import { describe, expect, it, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeProtobufBody, ProtobufError } from './protobuf.js';
import { decodeRelease } from '../../src/helm/codec.js';
import { startKubeSim, type KubeSim } from './index.js';
import { call } from './test-client.js';

// Bodies recorded from real Helm 3.17.2 (see the fixture's _comment).
const captured = JSON.parse(readFileSync(new URL('./fixtures/helm3-protobuf-bodies.json', import.meta.url), 'utf8'));
const body = (k: string) => Buffer.from(captured[k].body, 'base64');

// A minimal protobuf writer for fields Helm never sends (annotations, preconditions, ...).
const varint = (n: number | bigint): Buffer => {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Buffer.from(out);
};
const ld = (no: number, payload: Buffer | string) => {
  const p = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  return Buffer.concat([varint((no << 3) | 2), varint(p.length), p]);
};
const vi = (no: number, n: number) => Buffer.concat([varint(no << 3), varint(n)]);
const entry = (no: number, k: string, v: string | Buffer) => ld(no, Buffer.concat([ld(1, k), ld(2, v)]));
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([Buffer.from('k8s\0', 'latin1'), ld(1, Buffer.concat([ld(1, apiVersion), ld(2, kind)])), ld(2, raw), ld(3, ''), ld(4, '')]);

describe('protobuf request bodies', () => {
  it('decodes a real Helm Secret create: name, labels, type, and data.release as base64 of the Helm text', () => {
    const s: any = decodeProtobufBody(body('secretCreate'));
    expect(s.kind).toBe('Secret');
    expect(s.metadata.name).toBe('sh.helm.release.v1.cap.v1');
    expect(s.metadata.namespace).toBeUndefined(); // Helm sends "" and the URL carries it
    expect(s.metadata.labels).toMatchObject({ name: 'cap', owner: 'helm', status: 'pending-install', version: '1' });
    expect(s.type).toBe('helm.sh/release.v1');
    const helmText = Buffer.from(s.data.release, 'base64').toString('utf8');
    expect(helmText.startsWith('H4sI')).toBe(true);
    expect(decodeRelease(helmText)).toMatchObject({ name: 'cap', version: 1, namespace: 'default' });
  });

  it('decodes a real Helm ConfigMap create with data.release as the Helm text itself', () => {
    const c: any = decodeProtobufBody(body('configMapCreate'));
    expect(c.kind).toBe('ConfigMap');
    expect(c.metadata.labels.owner).toBe('helm');
    expect(decodeRelease(c.data.release)).toMatchObject({ name: 'cap', version: 1 });
  });

  it("decodes Helm's empty DeleteOptions", () => {
    expect(body('deleteOptions').length).toBeGreaterThan(4);
    expect(decodeProtobufBody(body('deleteOptions'))).toEqual({ apiVersion: 'v1', kind: 'DeleteOptions' });
  });

  it('decodes DeleteOptions preconditions, propagationPolicy and gracePeriodSeconds', () => {
    const raw = Buffer.concat([vi(1, 30), ld(2, Buffer.concat([ld(1, 'uid-1'), ld(2, '42')])), ld(4, 'Background')]);
    expect(decodeProtobufBody(envelope('v1', 'DeleteOptions', raw))).toEqual({
      apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 30, preconditions: { uid: 'uid-1', resourceVersion: '42' }, propagationPolicy: 'Background',
    });
  });

  it('decodes ObjectMeta annotations, resourceVersion, finalizers and binary ConfigMap data', () => {
    const meta = Buffer.concat([ld(1, 'x'), ld(3, 'ns'), ld(6, '7'), entry(12, 'a/b', 'c'), ld(14, 'f1')]);
    const raw = Buffer.concat([ld(1, meta), entry(2, 'k', 'v'), entry(3, 'bin', Buffer.from([0, 255]))]);
    expect(decodeProtobufBody(envelope('v1', 'ConfigMap', raw))).toEqual({
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'ns', resourceVersion: '7', annotations: { 'a/b': 'c' }, finalizers: ['f1'] },
      data: { k: 'v' }, binaryData: { bin: 'AP8=' },
    });
  });

  it('rejects bodies without the k8s magic and kinds it cannot decode', () => {
    expect(() => decodeProtobufBody(Buffer.from('{"kind":"Secret"}'))).toThrow(ProtobufError);
    expect(() => decodeProtobufBody(envelope('apps/v1', 'Deployment', Buffer.alloc(0)))).toThrow(/Deployment/);
  });
});

describe('protobuf over HTTP', () => {
  let sim: KubeSim | undefined;
  afterEach(async () => sim?.stop());

  it('creates the Secret from a real Helm POST and serves it back as JSON', async () => {
    sim = await startKubeSim();
    const c = captured.secretCreate;
    const res = await call(sim.url, c.method, c.path, { body: body('secretCreate'), contentType: c.contentType });
    expect(res.status).toBe(201);
    const got = await call(sim.url, 'GET', '/api/v1/namespaces/default/secrets/sh.helm.release.v1.cap.v1');
    expect(got.json.metadata.namespace).toBe('default');
    const sent: any = decodeProtobufBody(body('secretCreate'));
    expect(got.json.data.release).toBe(sent.data.release);
  });

  it('enforces a resourceVersion precondition sent as protobuf DeleteOptions', async () => {
    sim = await startKubeSim();
    const path = '/api/v1/namespaces/default/configmaps';
    const created = await call(sim.url, 'POST', path, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p' } } });
    const del = (rv: string) =>
      call(sim!.url, 'DELETE', `${path}/p`, { body: envelope('v1', 'DeleteOptions', ld(2, ld(2, rv))), contentType: 'application/vnd.kubernetes.protobuf' });
    expect((await del('999')).status).toBe(409);
    expect((await del(created.json.metadata.resourceVersion)).status).toBe(200);
  });

  it('answers 415 for a protobuf body it cannot decode', async () => {
    sim = await startKubeSim();
    const res = await call(sim.url, 'POST', '/apis/apps/v1/namespaces/default/deployments', {
      body: envelope('apps/v1', 'Deployment', Buffer.alloc(0)), contentType: 'application/vnd.kubernetes.protobuf',
    });
    expect(res.status).toBe(415);
    expect(res.json).toMatchObject({ kind: 'Status', reason: 'UnsupportedMediaType' });
  });
});
