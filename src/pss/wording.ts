// The small wording helpers behind every forbidden reason and detail, so that the words match
// what the API server prints (upstream policy/helpers.go, and Go's fmt/sort/sets behaviour).

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** `"a", "b"`; '' for no items (upstream joinQuote: plain quotes, no escaping). */
export function joinQuote(items: readonly string[]): string {
  return items.length === 0 ? '' : `"${items.join('", "')}"`;
}

/**
 * Go sorts strings by UTF-8 bytes, which is code point order; JavaScript's default sort uses
 * UTF-16 units and differs above U+FFFF. Deduplicates too, as Go's sets.List() does.
 */
export function sortedSet(items: Iterable<string>): string[] {
  return [...new Set(items)].sort(compareCodePoints);
}

export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\',
};
// Go's strconv.IsPrint is false for Unicode categories C* and Z* except the ASCII space.
const NON_PRINTABLE = /^[\p{C}\p{Z}]$/u;

/** Go's %q of a string (strconv.Quote), used where upstream formats annotation values. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (SIMPLE_ESCAPES[ch]) out += SIMPLE_ESCAPES[ch];
    else if (ch === ' ' || !NON_PRINTABLE.test(ch)) out += ch;
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd'; // a lone surrogate reaches Go as U+FFFD, which prints as is
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out + '"';
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}
