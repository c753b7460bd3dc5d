import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError, decodeRelease, encodeRelease, goJsonStringify } from '../../src/helm/codec.js';
import { isRawNumber } from '../../src/helm/json-numbers.js';
import { helm3Release, helm4Release } from './sample-releases.js';

const jsonText = (helmText: string) => gunzipSync(Buffer.from(helmText, 'base64')).toString('utf8');

describe('release codec', () => {
  it('round-trips a Helm 3 body byte-for-byte at the JSON level, "deleted": "" included', () => {
    const original = JSON.stringify(helm3Release());
    const stored = gzipSync(Buffer.from(original)).toString('base64');
    const decoded = decodeRelease(stored);
    expect((decoded.info as Record<string, unknown>).deleted).toBe('');
    expect(jsonText(encodeRelease(decoded))).toBe(original);
  });

  it('keeps Helm 4 fields (apply_method, modtime, schemamodtime, output_log_policies) and key order', () => {
    const original = JSON.stringify(helm4Release());
    const decoded = decodeRelease(gzipSync(Buffer.from(original)).toString('base64'));
    const again = jsonText(encodeRelease(decoded));
    expect(again).toBe(original);
    expect(again).toContain('"apply_method":"ssa"');
    expect(again).toContain('"schemamodtime":"0001-01-01T00:00:00Z"');
    expect(again.indexOf('"name"')).toBeLessThan(again.indexOf('"info"'));
  });

  it('keeps unknown fields a future Helm might add', () => {
    const body = { ...helm4Release(), future_field: { nested: [1, 'two', null] }, zzz: '' };
    const original = JSON.stringify(body);
    expect(jsonText(encodeRelease(decodeRelease(gzipSync(Buffer.from(original)).toString('base64'))))).toBe(original);
  });

  it('writes what Helm writes: gzip (magic 1f8b08) under standard padded base64, no line breaks', () => {
    const text = encodeRelease(helm3Release());
    expect(text).toMatch(/^H4sI[A-Za-z0-9+/]*={0,2}$/);
    const bytes = Buffer.from(text, 'base64');
    expect([...bytes.subarray(0, 3)]).toEqual([0x1f, 0x8b, 0x08]);
  });

  it('escapes <, >, & and U+2028/9 inside strings like Go, so Helm-written text re-encodes to the same bytes', () => {
    // What Go's json.Marshal writes for a manifest holding a template with HTML-ish characters.
    const goText = '{"name":"demo","manifest":"a \\u003c b \\u0026\\u0026 c \\u003e d \\u2028","version":1}';
    const decoded = decodeRelease(gzipSync(Buffer.from(goText)).toString('base64'));
    expect(decoded.manifest).toBe('a < b && c > d \u2028');
    expect(jsonText(encodeRelease(decoded))).toBe(goText);
  });

  it('keeps integers beyond 2^53 (Helm --set int64 values) and other literals JS would change, digit for digit', () => {
    const goText = '{"name":"demo","config":{"id":9007199254740993,"neg":-9223372036854775807,"z":-0,"safe":42,"f":1.5,"e":1e-7,"s":"9007199254740993"},"version":1}';
    const decoded = decodeRelease(gzipSync(Buffer.from(goText)).toString('base64'));
    const config = decoded.config as Record<string, unknown>;
    expect(isRawNumber(config.id)).toBe(true);
    expect(config.safe).toBe(42);
    expect(config.e).toBe(1e-7);
    expect(config.s).toBe('9007199254740993');
    expect(jsonText(encodeRelease(structuredClone(decoded)))).toBe(goText);
  });

  it('accepts plain (un-gzipped) base64 JSON, as Helm does for legacy records', () => {
    const body = helm3Release();
    const stored = Buffer.from(JSON.stringify(body)).toString('base64');
    expect(decodeRelease(stored)).toEqual(body);
  });

  it.each([
    ['bad base64', '%%%not-base64%%%', 'base64'],
    ['bad gzip', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), Buffer.from('garbage that is not deflate')]).toString('base64'), 'gzip'],
    ['bad JSON', gzipSync(Buffer.from('{"name": "demo", nope}')).toString('base64'), 'json'],
    ['JSON that is not an object', gzipSync(Buffer.from('[1,2]')).toString('base64'), 'shape'],
  ])('rejects %s with a typed CodecError', (_label, text, stage) => {
    let err: unknown;
    try {
      decodeRelease(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CodecError);
    expect((err as CodecError).stage).toBe(stage);
  });

  it('never quotes release data in error messages (V8 JSON errors quote the input)', () => {
    for (const bad of ['{"password": s3cr3t-value and more}', '{"password": "s3cr3t-value"', '{"a":1,"password":"s3cr3t-value"}}']) {
      let err: CodecError | undefined;
      try {
        decodeRelease(gzipSync(Buffer.from(bad)).toString('base64'));
      } catch (e) {
        err = e as CodecError;
      }
      expect(err?.stage).toBe('json');
      expect(err?.message).not.toContain('s3cr3t');
      expect(err?.message).not.toContain('password');
    }
  });

  it('accepts base64 broken over lines, as Go does', () => {
    const text = encodeRelease(helm3Release());
    expect(decodeRelease(text.replace(/(.{76})/g, '$1\n'))).toEqual(helm3Release());
  });

  it('property: decode(encode(x)) deep-equals x and re-encodes to the same JSON text', () => {
    const jsonValue = fc.jsonValue({ maxDepth: 4 });
    const release = fc.record(
      {
        name: fc.string({ minLength: 1, maxLength: 20 }),
        version: fc.integer({ min: 1, max: 10_000 }),
        namespace: fc.string({ maxLength: 10 }),
        info: fc.dictionary(fc.string({ maxLength: 8 }), jsonValue),
        manifest: fc.string({ unit: 'binary', maxLength: 200 }),
        extra: fc.dictionary(fc.string({ maxLength: 8 }), jsonValue),
      },
      { requiredKeys: ['name', 'version'] },
    );
    fc.assert(
      fc.property(release, (r) => {
        const x = JSON.parse(JSON.stringify(r)) as Record<string, unknown>; // normalise -0 etc. as JSON does
        const decoded = decodeRelease(encodeRelease(x));
        expect(decoded).toEqual(x);
        expect(jsonText(encodeRelease(decoded))).toBe(goJsonStringify(x));
      }),
      { seed: 20240501, numRuns: 300 },
    );
  });
});
