// The decoder's fast paths (json-numbers.ts: quote-to-quote scan; codec.ts: base64 checked
// by re-encoding) must decide exactly as the rules they stand for:
//   - a number literal outside strings is kept as text iff JSON.stringify(Number(lit)) !== lit
//     (RFC 8259 number grammar; strings end at a quote not escaped by a backslash);
//   - release data is standard padded base64 (RFC 4648 §4 alphabet, length a multiple of 4,
//     at most two '=' at the end), non-zero trailing bits accepted as Go's decoder does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Strict } from '../../src/helm/codec.js';
import { isRawNumber, parseJsonLossless, RAW_NUMBER_PREFIX } from '../../src/helm/json-numbers.js';

/** The rule, spelled out over a JSON value tree built with known literals. */
type Lit = { lit: string };
type Tree = Lit | string | Tree[] | { [k: string]: Tree };
const isLit = (t: Tree): t is Lit => typeof t === 'object' && t !== null && !Array.isArray(t) && 'lit' in t && Object.keys(t).length === 1;
function textOf(t: Tree): string {
  if (isLit(t)) return t.lit;
  if (typeof t === 'string') return JSON.stringify(t);
  if (Array.isArray(t)) return `[${t.map(textOf).join(',')}]`;
  return `{${Object.entries(t).map(([k, v]) => `${JSON.stringify(k)}:${textOf(v)}`).join(', ')}}`;
}
function expected(t: Tree): unknown {
  if (isLit(t)) return JSON.stringify(Number(t.lit)) !== t.lit ? RAW_NUMBER_PREFIX + t.lit : Number(t.lit);
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.map(expected);
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, expected(v)]));
}

const literal = fc.oneof(
  fc.integer().map(String),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc.constantFrom('1.0', '1e3', '1E+3', '-0', '0.10', '12345678901234567890', '1.5', '2e-7', '9007199254740993'),
).map((lit) => ({ lit }));
// Strings full of what looks like numbers, quotes and backslashes (escaped by JSON.stringify).
const tricky = fc.string({ unit: fc.constantFrom('"', '\\', '1', '9', '-', '.', 'e', '0', ' ', 'a', '\n', '{', ':'), maxLength: 30 });
const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
  t: fc.oneof({ depthSize: 'small' }, literal, tricky, fc.array(tie('t'), { maxLength: 4 }), fc.dictionary(tricky, tie('t'), { maxKeys: 4 })),
})).t;

describe('parseJsonLossless', () => {
  it('property: keeps exactly the literals JSON.parse would change, never digits inside strings', () => {
    fc.assert(fc.property(fc.dictionary(tricky, tree, { maxKeys: 5 }), (t) => {
      expect(parseJsonLossless(textOf(t))).toEqual(expected(t));
    }), { numRuns: 2000 });
  });

  it('finds a big integer after a string that ends in escaped backslashes', () => {
    const v = parseJsonLossless('{"a":"x\\\\","b":"\\"9007199254740993\\\\\\"","c":9007199254740993}') as Record<string, unknown>;
    expect(v.a).toBe('x\\');
    expect(v.b).toBe('"9007199254740993\\"');
    expect(isRawNumber(v.c)).toBe(true);
  });

  it('fails on invalid JSON as JSON.parse does (unterminated string, stray number text)', () => {
    expect(() => parseJsonLossless('{"a":"unterminated 9007199254740993}')).toThrow(SyntaxError);
    expect(() => parseJsonLossless('{"a":01}')).toThrow(SyntaxError);
    expect(() => parseJsonLossless('{"a":9007199254740993')).toThrow(SyntaxError);
  });
});

describe('decodeBase64Strict', () => {
  it('property: decodes what Node and Go write', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const b = Buffer.from(bytes);
      expect(decodeBase64Strict(b.toString('base64'))?.equals(b)).toBe(true);
    }));
  });

  it.each([
    ['non-zero trailing bits (Go accepts them)', 'QR==', Buffer.from('A')],
    ['no padding needed', 'QUJD', Buffer.from('ABC')],
    ['empty', '', Buffer.alloc(0)],
  ])('accepts %s', (_l, text, bytes) => {
    expect(decodeBase64Strict(text)?.equals(bytes)).toBe(true);
  });

  it.each([
    ['URL-safe alphabet', 'ab-_'],
    ['padding in the middle', 'QQ==QUJD'],
    ['three padding characters', 'Q==='],
    ['missing padding', 'QQ'],
    ['white space inside', 'QU JD'],
    ['a stray character', 'QUJ*'],
  ])('refuses %s', (_l, text) => {
    expect(decodeBase64Strict(text)).toBeUndefined();
  });
});
