// Decoder for the protobuf request bodies client-go's typed clientset sends (Helm's storage
// writes Secrets and ConfigMaps, and DeleteOptions, this way; there is no JSON fallback).
// Only wire types 0 (varint) and 2 (length-delimited) occur in these messages; other wire
// types are skipped correctly so unknown fields never derail the decoder. Field numbers
// are those of k8s.io/api generated.proto (table in shared/docs/helm-api-traffic.md §4).

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

export class ProtobufError extends Error {}

interface Field {
  no: number;
  wire: number;
  varint?: bigint;
  bytes?: Buffer;
}

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new ProtobufError('truncated varint');
    const b = buf[pos++];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7n;
    if (shift > 63n) throw new ProtobufError('varint too long');
  }
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p1] = readVarint(buf, pos);
    pos = p1;
    const no = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 0) {
      const [v, p2] = readVarint(buf, pos);
      out.push({ no, wire, varint: v });
      pos = p2;
    } else if (wire === 2) {
      const [len, p2] = readVarint(buf, pos);
      const end = p2 + Number(len);
      if (end > buf.length) throw new ProtobufError('truncated length-delimited field');
      out.push({ no, wire, bytes: buf.subarray(p2, end) });
      pos = end;
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else {
      throw new ProtobufError(`unsupported wire type ${wire}`);
    }
  }
  return out;
}

const str = (f: Field) => (f.bytes ?? Buffer.alloc(0)).toString('utf8');
const int = (f: Field) => Number(BigInt.asIntN(64, f.varint ?? 0n));

/** Map entries are messages {1 key, 2 value}. */
function mapEntry(f: Field): [string, Buffer] {
  let key = '';
  let value: Buffer = Buffer.alloc(0);
  for (const e of fields(f.bytes!)) {
    if (e.no === 1) key = str(e);
    if (e.no === 2) value = e.bytes ?? Buffer.alloc(0);
  }
  return [key, value];
}

function decodeTime(buf: Buffer): string {
  let seconds = 0;
  for (const f of fields(buf)) if (f.no === 1) seconds = int(f);
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function decodeOwnerReference(buf: Buffer): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const f of fields(buf)) {
    if (f.no === 1) o.kind = str(f);
    else if (f.no === 3) o.name = str(f);
    else if (f.no === 4) o.uid = str(f);
    else if (f.no === 5) o.apiVersion = str(f);
    else if (f.no === 6) o.controller = f.varint !== 0n;
    else if (f.no === 7) o.blockOwnerDeletion = f.varint !== 0n;
  }
  return o;
}

export function decodeObjectMeta(buf: Buffer): Record<string, unknown> {
  const m: Record<string, any> = {};
  for (const f of fields(buf)) {
    switch (f.no) {
      case 1: if (str(f)) m.name = str(f); break;
      case 2: if (str(f)) m.generateName = str(f); break;
      case 3: if (str(f)) m.namespace = str(f); break;
      case 5: if (str(f)) m.uid = str(f); break;
      case 6: if (str(f)) m.resourceVersion = str(f); break;
      case 7: if (int(f)) m.generation = int(f); break;
      case 8: if (f.bytes?.length) m.creationTimestamp = decodeTime(f.bytes); break;
      case 11: { const [k, v] = mapEntry(f); (m.labels ??= {})[k] = v.toString('utf8'); break; }
      case 12: { const [k, v] = mapEntry(f); (m.annotations ??= {})[k] = v.toString('utf8'); break; }
      case 13: (m.ownerReferences ??= []).push(decodeOwnerReference(f.bytes!)); break;
      case 14: (m.finalizers ??= []).push(str(f)); break;
      default: break; // deletionTimestamp, managedFields, ... are server-owned; ignore
    }
  }
  return m;
}

function decodeSecret(buf: Buffer): Record<string, unknown> {
  const o: Record<string, any> = { apiVersion: 'v1', kind: 'Secret', metadata: {} };
  for (const f of fields(buf)) {
    if (f.no === 1) o.metadata = decodeObjectMeta(f.bytes!);
    else if (f.no === 2) { const [k, v] = mapEntry(f); (o.data ??= {})[k] = v.toString('base64'); }
    else if (f.no === 3) { if (str(f)) o.type = str(f); }
    else if (f.no === 4) { const [k, v] = mapEntry(f); (o.stringData ??= {})[k] = v.toString('utf8'); }
    else if (f.no === 5) o.immutable = f.varint !== 0n;
  }
  return o;
}

function decodeConfigMap(buf: Buffer): Record<string, unknown> {
  const o: Record<string, any> = { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} };
  for (const f of fields(buf)) {
    if (f.no === 1) o.metadata = decodeObjectMeta(f.bytes!);
    else if (f.no === 2) { const [k, v] = mapEntry(f); (o.data ??= {})[k] = v.toString('utf8'); }
    else if (f.no === 3) { const [k, v] = mapEntry(f); (o.binaryData ??= {})[k] = v.toString('base64'); }
    else if (f.no === 4) o.immutable = f.varint !== 0n;
  }
  return o;
}

function decodeDeleteOptions(buf: Buffer, apiVersion: string): Record<string, unknown> {
  const o: Record<string, any> = { apiVersion, kind: 'DeleteOptions' };
  for (const f of fields(buf)) {
    if (f.no === 1) o.gracePeriodSeconds = int(f);
    else if (f.no === 2) {
      const pre: Record<string, string> = {};
      for (const p of fields(f.bytes!)) {
        if (p.no === 1) pre.uid = str(p);
        if (p.no === 2) pre.resourceVersion = str(p);
      }
      o.preconditions = pre;
    } else if (f.no === 3) o.orphanDependents = f.varint !== 0n;
    else if (f.no === 4) { if (str(f)) o.propagationPolicy = str(f); }
    else if (f.no === 5) (o.dryRun ??= []).push(str(f));
  }
  return o;
}

/**
 * Decodes a "k8s\0"-framed runtime.Unknown into the JSON form of its object. Supports the
 * kinds client-go sends as protobuf to kube-sim: Secret, ConfigMap, DeleteOptions.
 */
export function decodeProtobufBody(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw new ProtobufError('missing k8s protobuf magic');
  let apiVersion = '';
  let kind = '';
  let raw: Buffer = Buffer.alloc(0);
  for (const f of fields(body.subarray(4))) {
    if (f.no === 1) {
      for (const t of fields(f.bytes!)) {
        if (t.no === 1) apiVersion = str(t);
        if (t.no === 2) kind = str(t);
      }
    } else if (f.no === 2) raw = f.bytes ?? Buffer.alloc(0);
    else if (f.no === 3 && str(f)) throw new ProtobufError(`unsupported contentEncoding "${str(f)}"`);
  }
  switch (kind) {
    case 'Secret': return { ...decodeSecret(raw), apiVersion: apiVersion || 'v1' };
    case 'ConfigMap': return { ...decodeConfigMap(raw), apiVersion: apiVersion || 'v1' };
    case 'DeleteOptions': return decodeDeleteOptions(raw, apiVersion || 'v1');
    default: throw new ProtobufError(`kube-sim cannot decode protobuf kind "${kind}"`);
  }
}
