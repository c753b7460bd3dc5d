// Numbers JavaScript cannot hold exactly. Helm writes int64 values from `--set` as exact
// decimals (e.g. 9007199254740993); JSON.parse would round them to the nearest double and
// a re-encode would silently change the user's values. Such literals are kept as their
// source text, wrapped in a marker string that survives cloning and is unwrapped back to
// the bare literal on encode. Everything Helm writes as float64 already round-trips and
// takes the fast path (plain JSON.parse).

/** Prefix of the marker string standing for a number literal kept as text. */
export const RAW_NUMBER_PREFIX = '\u0000psa-clean-number:';

// Strings first, so digits inside strings are never taken for numbers. The string part is
// written unrolled ("[^"\\]*(?:\\.[^"\\]*)*"): the same strings as "(?:[^"\\]+|\\.)*", without
// the nested quantifier that backtracked exponentially on an unterminated string (a corrupt
// record of 40 bytes took 25 s).
const TOKEN_RE = /"[^"\\]*(?:\\.[^"\\]*)*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

function losesPrecision(literal: string): boolean {
  return JSON.stringify(Number(literal)) !== literal;
}

const NUMBER_AT = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * True when a number literal outside the strings of `text` would change in JSON.parse, or
 * when the text is not plain enough to tell (an unterminated string): the caller then takes
 * the exact path. Release JSON is mostly one long string (the manifest): it is skipped with
 * indexOf from quote to quote, and only the few bytes between strings are looked at. The
 * regex scan below matched (and allocated) every string token of every body (profile of a
 * dry run of 2000 releases: 1.5 s of 13.7 s CPU).
 */
function mayLosePrecision(text: string): boolean {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const q = text.indexOf('"', i);
    const stop = q < 0 ? n : q;
    for (let j = i; j < stop; j++) {
      const c = text.charCodeAt(j);
      if (c !== 45 && (c < 48 || c > 57)) continue; // not '-' or a digit
      NUMBER_AT.lastIndex = j;
      const m = NUMBER_AT.exec(text);
      if (m === null) continue;
      if (losesPrecision(m[0])) return true;
      j = NUMBER_AT.lastIndex - 1;
    }
    if (q < 0) return false;
    let k = q + 1;
    for (;;) {
      k = text.indexOf('"', k);
      if (k < 0) return true;
      let b = k - 1;
      while (text.charCodeAt(b) === 92) b--; // a quote after an odd run of backslashes is escaped
      if ((k - 1 - b) % 2 === 0) break;
      k++;
    }
    i = k + 1;
  }
  return false;
}

/** JSON.parse that keeps number literals JavaScript would change as marker strings. */
export function parseJsonLossless(text: string): unknown {
  if (!mayLosePrecision(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // Not valid JSON: the exact path below fails the same way the scan-first code did.
    }
  }
  return parseJsonLosslessExact(text);
}

/** The token scan over the whole text: every number literal outside strings, exactly. */
function parseJsonLosslessExact(text: string): unknown {
  let unsafe = false;
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(text); m !== null; m = TOKEN_RE.exec(text)) {
    if (m[0][0] !== '"' && losesPrecision(m[0])) {
      unsafe = true;
      break;
    }
  }
  if (!unsafe) return JSON.parse(text);
  const rewritten = text.replace(TOKEN_RE, (tok) =>
    tok[0] === '"' || !losesPrecision(tok) ? tok : JSON.stringify(RAW_NUMBER_PREFIX + tok),
  );
  return JSON.parse(rewritten);
}

const MARKER_IN_JSON = JSON.stringify(RAW_NUMBER_PREFIX).slice(1, -1); // escaped form inside JSON text
const MARKER_RE = new RegExp(`"${MARKER_IN_JSON.replace(/\\/g, '\\\\')}(-?[0-9][0-9.eE+-]*)"`, 'g');

/** Turns marker strings in JSON text back into the bare number literals they stand for. */
export function restoreRawNumbers(json: string): string {
  return json.includes(MARKER_IN_JSON) ? json.replace(MARKER_RE, '$1') : json;
}

/** True when a decoded value is a number kept as text (for readers of the typed view). */
export function isRawNumber(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith(RAW_NUMBER_PREFIX);
}
