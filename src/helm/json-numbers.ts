// Numbers JavaScript cannot hold exactly. Helm writes int64 values from `--set` as exact
// decimals (e.g. 9007199254740993); JSON.parse would round them to the nearest double and
// a re-encode would silently change the user's values. Such literals are kept as their
// source text, wrapped in a marker string that survives cloning and is unwrapped back to
// the bare literal on encode. Everything Helm writes as float64 already round-trips and
// takes the fast path (plain JSON.parse).

/** Prefix of the marker string standing for a number literal kept as text. */
export const RAW_NUMBER_PREFIX = '\u0000psa-clean-number:';

// Strings first, so digits inside strings are never taken for numbers.
const TOKEN_RE = /"(?:[^"\\]+|\\.)*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

function losesPrecision(literal: string): boolean {
  return JSON.stringify(Number(literal)) !== literal;
}

/** JSON.parse that keeps number literals JavaScript would change as marker strings. */
export function parseJsonLossless(text: string): unknown {
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
