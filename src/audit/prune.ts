// Less YAML to read for the workload checks. Reading the workload documents with js-yaml was the
// largest cost the checks added to `audit -A` (~80 MB of Deployment YAML at 2000 releases), and
// most of a Deployment is fields no check reads: env, resources, command, args, volume mounts,
// labels. Those keys keep their line with an empty (null) value and lose the lines below them,
// so the checks see every key they saw before (an unknown field is still reported by name)
// and the value of none they read (src/pss/schema.ts: all of these are 'any' or unread).
//
// Only plain block-style text is touched, which is how Helm writes manifests. The cut is made
// on lines, so the document is left whole (null) whenever a line could be part of a multi-line
// scalar that this scan cannot follow: a quote that does not close on its line, or a flow
// collection, or a block scalar (`|`, `>`: its lines could look like keys). A caller
// that fails to read the cut text must read the whole document (an anchor may have been cut).

/** Keys whose values no check reads, wherever they appear in a workload. */
const UNREAD = 'selector|env|envFrom|resources|command|args|volumeMounts|labels|affinity|tolerations|nodeSelector|topologySpreadConstraints';
/** A block scalar header (`key: |`, `- >-`, `key: |2`) when after a space, colon, dash or at a line start. */
const BLOCK_SCALAR = /[|>][-+0-9]*(?: +#.*)? *\r?$/gm;
/**
 * A line with a quote or flow bracket must be whole on its own: a plain or quoted key, then one
 * quoted scalar, an empty `{}`/`[]`, or a plain value without quotes; a comment may follow.
 */
const NEEDS_CARE = /["'[{]/g;
const DQ = String.raw`"(?:[^"\\]|\\.)*"`;
const SQ = String.raw`'(?:[^']|'')*'`;
const SAFE_QUOTED = new RegExp(String.raw`^ *(?:- +)*(?:(?:[^"'#:[{\s][^"'#:[{]*|${DQ}|${SQ}): *)?(?:${DQ}|${SQ}|\{\}|\[\]|[^"'#[{]*)?(?: +#.*)? *\r?$`);
/** Any unread key at the start of a line, after its indentation and sequence dashes. */
// Not a multi-line (`m`) regex: starting from a newline lets V8 skip ahead to the next one (~3x faster).
const UNREAD_KEY = new RegExp(String.raw`(?:^|\n)( *)((?:- +)*)(?:${UNREAD}):(?= |\r?\n|\r?$)`, 'g');

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const CR = 13;
const COLON = 58;

/** Whether the line starting at `at` (up to `end`) belongs to the value of a key at `column`. */
function inValue(text: string, at: number, end: number, column: number): boolean {
  let i = at;
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  const indent = i - at;
  if (i === end || text.charCodeAt(i) === HASH || (text.charCodeAt(i) === CR && i + 1 === end)) return true; // blank or comment
  if (indent > column) return true;
  // A block sequence may sit at the key's own column: `env:` then `- name: X`.
  return indent === column && text.charCodeAt(i) === DASH && (i + 1 === end || text.charCodeAt(i + 1) === SPACE);
}

/** Whether a line of the text ends in a block scalar header: its content lines could look like keys. */
function hasBlockScalar(text: string): boolean {
  BLOCK_SCALAR.lastIndex = 0;
  for (let m = BLOCK_SCALAR.exec(text); m; m = BLOCK_SCALAR.exec(text)) {
    const before = m.index === 0 ? 10 : text.charCodeAt(m.index - 1);
    if (before === SPACE || before === COLON || before === DASH || before === 10) return true;
    BLOCK_SCALAR.lastIndex = m.index + 1;
  }
  return false;
}

/** The document with the values of unread keys cut away; null when nothing was cut or it is not safe to. */
export function withoutUnreadFields(text: string): string | null {
  UNREAD_KEY.lastIndex = 0;
  if (!UNREAD_KEY.test(text) || hasBlockScalar(text)) return null;
  NEEDS_CARE.lastIndex = 0;
  while (NEEDS_CARE.test(text)) {
    const start = text.lastIndexOf('\n', NEEDS_CARE.lastIndex - 1) + 1;
    let end = text.indexOf('\n', NEEDS_CARE.lastIndex);
    if (end < 0) end = text.length;
    if (!SAFE_QUOTED.test(text.slice(start, end))) return null;
    NEEDS_CARE.lastIndex = end;
  }
  let out = '';
  let from = 0;
  UNREAD_KEY.lastIndex = 0;
  for (let m = UNREAD_KEY.exec(text); m; m = UNREAD_KEY.exec(text)) {
    if (m.index < from) continue; // inside a value already cut
    const column = m[1].length + m[2].length;
    const keyEnd = m.index + m[0].length;
    out += text.slice(from, keyEnd);
    // Skip the rest of the key's line, then every line of its value.
    let at = text.indexOf('\n', keyEnd);
    while (at >= 0) {
      const next = at + 1;
      let end = text.indexOf('\n', next);
      if (end < 0) end = text.length;
      if (next >= text.length || !inValue(text, next, end, column)) break;
      at = end < text.length ? end : -1;
    }
    from = at < 0 ? text.length : at;
    UNREAD_KEY.lastIndex = from;
  }
  return out + text.slice(from);
}
