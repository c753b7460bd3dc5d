// Programmable faults. Each rule counts the requests it matches; `after` skips the first N,
// `count` limits how often it fires. A firing rule may delay, answer a status, or drop the
// connection; `killAfterWrites` rules fire after the Nth matching write was committed.
import type { FaultRule } from './types.js';

interface LiveRule {
  rule: FaultRule;
  re?: RegExp;
  matched: number;
  fired: number;
  writes: number;
}

export interface FaultDecision {
  latencyMs: number;
  status?: number;
  retryAfterSeconds?: number;
  drop: boolean;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const isWrite = (method: string) => WRITE_METHODS.has(method);

export class Faults {
  private rules: LiveRule[] = [];

  constructor(rules: FaultRule[] = []) {
    this.set(rules);
  }

  set(rules: FaultRule[]): void {
    this.rules = rules.map((rule) => {
      validate(rule);
      return { rule, re: rule.pathRegex ? new RegExp(rule.pathRegex) : undefined, matched: 0, fired: 0, writes: 0 };
    });
  }

  list(): Array<FaultRule & { matched: number; fired: number }> {
    return this.rules.map((r) => ({ ...r.rule, matched: r.matched, fired: r.fired }));
  }

  private matches(r: LiveRule, method: string, path: string): boolean {
    if (r.rule.method && r.rule.method.toUpperCase() !== method) return false;
    return !r.re || r.re.test(path);
  }

  /** Decides what to do with a request before it is served (kill rules are not evaluated here). */
  before(method: string, path: string): FaultDecision {
    const d: FaultDecision = { latencyMs: 0, drop: false };
    for (const r of this.rules) {
      if (r.rule.killAfterWrites !== undefined || !this.matches(r, method, path)) continue;
      r.matched++;
      if (r.matched <= (r.rule.after ?? 0)) continue;
      if (r.rule.count !== undefined && r.fired >= r.rule.count) continue;
      r.fired++;
      d.latencyMs += r.rule.latencyMs ?? 0;
      if (r.rule.drop) d.drop = true;
      if (r.rule.status !== undefined && d.status === undefined) {
        d.status = r.rule.status;
        d.retryAfterSeconds = r.rule.retryAfterSeconds;
      }
    }
    return d;
  }

  /** Called after a write was committed; true when a kill rule says the server must die now. */
  afterWrite(method: string, path: string): boolean {
    let kill = false;
    for (const r of this.rules) {
      if (r.rule.killAfterWrites === undefined || !this.matches(r, method, path)) continue;
      r.writes++;
      if (r.writes === r.rule.killAfterWrites) {
        r.fired++;
        kill = true;
      }
    }
    return kill;
  }
}

function validate(rule: FaultRule): void {
  if (rule.pathRegex) new RegExp(rule.pathRegex); // throws SyntaxError early
  const numeric: Array<keyof FaultRule> = ['count', 'after', 'status', 'retryAfterSeconds', 'latencyMs', 'killAfterWrites'];
  for (const k of numeric) {
    const v = rule[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) throw new Error(`fault rule: ${k} must be a non-negative number`);
  }
  if (rule.status !== undefined && (rule.status < 100 || rule.status > 599)) throw new Error('fault rule: status must be an HTTP status code');
}

/** Parses the CLI form "method=PUT,path=secrets,status=503,count=2,retryAfter=1". JSON is accepted too. */
export function parseFaultRule(text: string): FaultRule {
  const t = text.trim();
  if (t.startsWith('{')) return JSON.parse(t) as FaultRule;
  const rule: FaultRule = {};
  for (const part of t.split(',').filter(Boolean)) {
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? 'true' : part.slice(eq + 1);
    switch (k) {
      case 'method': rule.method = v; break;
      case 'path': case 'pathRegex': rule.pathRegex = v; break;
      case 'count': rule.count = Number(v); break;
      case 'after': rule.after = Number(v); break;
      case 'status': rule.status = Number(v); break;
      case 'retryAfter': case 'retryAfterSeconds': rule.retryAfterSeconds = Number(v); break;
      case 'latency': case 'latencyMs': rule.latencyMs = Number(v); break;
      case 'drop': rule.drop = v !== 'false'; break;
      case 'kill': case 'killAfterWrites': rule.killAfterWrites = Number(v); break;
      default: throw new Error(`fault rule: unknown key "${k}"`);
    }
  }
  validate(rule);
  return rule;
}
