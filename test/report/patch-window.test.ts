// twoFilesPatch must give exactly what jsdiff's createTwoFilesPatch gives over the whole two
// texts: the expected value of every case here is jsdiff's own output.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTwoFilesPatch } from 'diff';
import { twoFilesPatch } from '../../src/report/patch-window.js';

const whole = (a: string, b: string, context: number) => createTwoFilesPatch('a/x', 'b/x', a, b, undefined, undefined, { context });
const windowed = (a: string, b: string, context: number) => twoFilesPatch({ oldLabel: 'a/x', newLabel: 'b/x', oldText: a, newText: b, context });

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('');

describe('twoFilesPatch', () => {
  it('equals jsdiff for a document dropped near the top of a long stream, with its line numbers', () => {
    const head = '---\n# Source: c/sa.yaml\nkind: ServiceAccount\n';
    const psp = '---\n# Source: c/psp.yaml\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nspec:\n  privileged: false\n';
    const tail = lines(2000, (i) => (i % 7 === 0 ? '---\n' : `  key${i % 13}: value\n`));
    for (const context of [0, 1, 3, 5]) {
      const out = windowed(head + psp + tail, head + tail, context);
      expect(out).toBe(whole(head + psp + tail, head + tail, context));
    }
    // The dropped block slides one line down (it starts and the tail starts with "---"):
    // lines 5-10 go, with lines 2-4 and 11-13 around them.
    expect(windowed(head + psp + tail, head + tail, 3)).toContain('\n@@ -2,12 +2,6 @@\n');
  });

  it('equals jsdiff for a change near the end of a long stream (line numbers added back)', () => {
    const body = lines(3000, (i) => `line ${i}\n`);
    const a = body + 'kind: Ingress\napiVersion: extensions/v1beta1\nend\n';
    const b = body + 'kind: Ingress\napiVersion: networking.k8s.io/v1\nend\n';
    for (const context of [0, 3]) expect(windowed(a, b, context)).toBe(whole(a, b, context));
    // Line 3002 changes: lines 2999-3003 are shown, numbered as in the whole texts.
    expect(windowed(a, b, 3)).toContain('\n@@ -2999,5 +2999,5 @@\n');
  });

  it('equals jsdiff when the texts end without a line break and the change is at the end', () => {
    const body = lines(500, (i) => `l${i}\n`);
    for (const [a, b] of [[body + 'x', body + 'y'], [body + 'x', body], [body + 'x\n', body + 'x'], [body, body + 'x']]) {
      for (const context of [0, 2, 3]) expect(windowed(a, b, context)).toBe(whole(a, b, context));
    }
  });

  it('equals jsdiff when deleted lines repeat in the common tail (where cutting the tail would change the result)', () => {
    // jsdiff pairs the deleted "b" with a "b" of the tail here: "-a, b, -b, c".
    const tail = lines(400, (i) => (i % 2 ? 'c\n' : 'b\n'));
    const a = 'x\na\nb\n' + tail;
    const b = 'x\n' + tail;
    for (const context of [0, 1, 3]) expect(windowed(a, b, context)).toBe(whole(a, b, context));
  });

  it('equals jsdiff on CRLF text, lone carriage returns and empty texts', () => {
    const a = lines(300, (i) => `k${i}: v\r\n`) + 'kind: A\r\nz\r\n';
    const b = lines(300, (i) => `k${i}: v\r\n`) + 'kind: B\r\nz\r\n';
    expect(windowed(a, b, 3)).toBe(whole(a, b, 3));
    expect(windowed('a\rb\nc\n', 'a\rB\nc\n', 3)).toBe(whole('a\rb\nc\n', 'a\rB\nc\n', 3));
    expect(windowed('', 'a\n', 3)).toBe(whole('', 'a\n', 3));
    expect(windowed('a\n', '', 3)).toBe(whole('a\n', '', 3));
  });

  it('equals jsdiff on random edits of repetitive texts', () => {
    // Few distinct lines, so equal lines abound and the search has many ties and long
    // runs on wrong diagonals: the cases where a shortened tail could change its steps.
    const line = fc.constantFrom('---\n', 'a\n', 'b\n', '  c: 1\n', 'd\r\n', 'e', '\n');
    const text = fc.array(line, { maxLength: 120 }).map((l) => l.join(''));
    const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 40 }), ins: fc.array(line, { maxLength: 40 }) });
    fc.assert(
      // The common tail is a short pattern repeated: a search path on a wrong diagonal can
      // then run along it for as long as it lasts, which is what the window check must catch.
      fc.property(text, fc.array(edit, { maxLength: 3 }), fc.nat({ max: 5 }), fc.array(line, { minLength: 1, maxLength: 4 }), fc.nat({ max: 150 }), (a, edits, context, pattern, repeat) => {
        const tail = pattern.join('').repeat(repeat);
        let b = a;
        for (const e of edits) {
          const at = b.length ? e.at % (b.length + 1) : 0;
          b = b.slice(0, at) + e.ins.join('') + b.slice(at + e.del);
        }
        const full = [a + tail, b + tail];
        expect(windowed(full[0], full[1], context)).toBe(whole(full[0], full[1], context));
      }),
      { numRuns: 3000 },
    );
  });
});
