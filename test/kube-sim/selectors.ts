// Label and field selectors as kube-apiserver parses them. Label selectors support
// equality (=, ==, !=), set-based (in, notin), existence (key, !key) joined by commas (AND).
// Field selectors support =, ==, != on dotted paths (metadata.name, metadata.namespace, type...).
import { badRequest } from './status.js';
import type { KubeObject } from './types.js';

type Requirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

/** Splits on commas that are not inside parentheses (set values contain commas). */
function splitTop(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

export function parseLabelSelector(sel: string | undefined): Requirement[] {
  if (!sel) return [];
  return splitTop(sel).map((part) => {
    let m = /^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (m) return { op: m[2] as 'in' | 'notin', key: m[1], values: m[3].split(',').map((v) => v.trim()).filter(Boolean) };
    m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(part);
    if (m) return { op: m[2] === '!=' ? 'neq' : 'eq', key: m[1], value: m[3] };
    m = /^(!?)([^\s!=(),]+)$/.exec(part);
    if (m) return { op: m[1] ? 'notexists' : 'exists', key: m[2] };
    throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
  });
}

function test(req: Requirement, value: string | undefined): boolean {
  switch (req.op) {
    case 'eq': return value === req.value;
    case 'neq': return value !== req.value;
    case 'in': return value !== undefined && req.values.includes(value);
    case 'notin': return value === undefined || !req.values.includes(value);
    case 'exists': return value !== undefined;
    case 'notexists': return value === undefined;
  }
}

export function matchesLabels(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  return reqs.every((r) => test(r, labels?.[r.key]));
}

export function parseFieldSelector(sel: string | undefined): Requirement[] {
  if (!sel) return [];
  return splitTop(sel).map((part) => {
    const m = /^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${sel}'; can't understand '${part}'`);
    return { op: m[2] === '!=' ? 'neq' : 'eq', key: m[1], value: m[3] };
  });
}

function fieldValue(obj: KubeObject, path: string): string | undefined {
  let cur: any = obj;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[seg];
  }
  if (cur === undefined || cur === null) return path === 'metadata.namespace' ? '' : undefined;
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

export function matchesFields(reqs: Requirement[], obj: KubeObject): boolean {
  return reqs.every((r) => test(r, fieldValue(obj, r.key)));
}
