// Label selectors on release labels (-l/--selector), equality- and set-based as kubectl
// reads them: `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x,y)`, comma-joined.
export type Requirement =
  | { key: string; op: 'eq' | 'ne'; value: string }
  | { key: string; op: 'exists' | 'not-exists' }
  | { key: string; op: 'in' | 'notin'; values: string[] };

export class SelectorError extends Error {}

/** Splits on commas that are not inside parentheses. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const KEY = '[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?';

export function parseSelector(text: string): Requirement[] {
  return splitTop(text).map((part) => {
    let m: RegExpMatchArray | null;
    if ((m = part.match(new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*([-A-Za-z0-9_.]*)$`)))) {
      return { key: m[1], op: m[3] === '!=' ? 'ne' : 'eq', value: m[4] };
    }
    if ((m = part.match(new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^)]*)\\)$`)))) {
      const values = m[4].split(',').map((v) => v.trim()).filter((v) => v !== '');
      return { key: m[1], op: m[3] as 'in' | 'notin', values };
    }
    if ((m = part.match(new RegExp(`^!\\s*(${KEY})$`)))) return { key: m[1], op: 'not-exists' };
    if ((m = part.match(new RegExp(`^(${KEY})$`)))) return { key: m[1], op: 'exists' };
    throw new SelectorError(`invalid label selector requirement "${part}"`);
  });
}

export function matchesSelector(reqs: Requirement[], labels: Record<string, string>): boolean {
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = labels[r.key];
    switch (r.op) {
      case 'eq': return has && v === r.value;
      case 'ne': return !has || v !== r.value;
      case 'exists': return has;
      case 'not-exists': return !has;
      case 'in': return has && r.values.includes(v);
      case 'notin': return !has || !r.values.includes(v);
    }
  });
}
