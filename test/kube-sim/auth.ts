// Authentication (bearer token or client certificate) and an RBAC-like deny list.
// Deny rules read "verb:resource[:ns=N][:name=X][:user=U]"; verb and resource may be "*",
// resource may be group-qualified ("podsecuritypolicies.policy"). A matching request gets
// the 403 Status a real apiserver's RBAC authorizer returns. Impersonation (Impersonate-User)
// is allowed unless a rule denies "impersonate:users"; the impersonated user is then the
// one the other rules and messages see.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ResourceDef } from './catalog.js';
import { forbidden, unauthorized } from './status.js';

export interface AuthConfig {
  token?: string;
  /** Accept client certificates signed by the sim's CA (TLS mode). */
  clientCerts: boolean;
  /** When false, a request without valid credentials gets 401. */
  anonymous: boolean;
}

/** Returns the authenticated user name or throws 401. */
export function authenticate(req: IncomingMessage, cfg: AuthConfig): string {
  const header = req.headers.authorization;
  if (cfg.token !== undefined && header) {
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (m && m[1].trim() === cfg.token) return 'sim-token-user';
    throw unauthorized(); // a wrong token is rejected even if a certificate is also shown
  }
  if (cfg.clientCerts) {
    const sock = req.socket as TLSSocket;
    if (sock.authorized) {
      const cert = sock.getPeerCertificate?.();
      const cn = cert?.subject?.CN;
      if (cn) return Array.isArray(cn) ? cn[0] : cn;
    }
  }
  if (cfg.anonymous) return 'system:anonymous';
  throw unauthorized();
}

interface DenyRule {
  verb: string;
  resource: string;
  group?: string;
  namespace?: string;
  name?: string;
  user?: string;
  /** `scope=cluster`: only requests across all namespaces (e.g. a cluster-wide list). */
  clusterScope?: boolean;
}

export function parseDenyRule(text: string): DenyRule {
  const [verb, res, ...rest] = text.split(':');
  if (!verb || !res) throw new Error(`forbid rule "${text}": expected verb:resource[:ns=N][:name=X][:user=U][:scope=cluster]`);
  const dot = res.indexOf('.');
  const rule: DenyRule = { verb, resource: dot < 0 ? res : res.slice(0, dot), group: dot < 0 ? undefined : res.slice(dot + 1) };
  for (const r of rest) {
    const [k, v] = r.split('=');
    if (k === 'ns' || k === 'namespace') rule.namespace = v;
    else if (k === 'name') rule.name = v;
    else if (k === 'user') rule.user = v;
    else if (k === 'scope' && v === 'cluster') rule.clusterScope = true;
    else throw new Error(`forbid rule "${text}": unknown qualifier "${k}"`);
  }
  return rule;
}

export class DenyList {
  private rules: DenyRule[] = [];
  constructor(rules: string[] = []) {
    this.set(rules);
  }
  set(rules: string[]): void {
    this.rules = rules.map(parseDenyRule);
  }
  check(user: string, verb: string, def: Pick<ResourceDef, 'group' | 'resource'>, namespace: string | undefined, name: string | undefined): void {
    const hit = this.rules.some(
      (r) =>
        (r.verb === '*' || r.verb === verb) &&
        (r.resource === '*' || r.resource === def.resource) &&
        (r.group === undefined || r.group === def.group) &&
        (r.namespace === undefined || r.namespace === namespace) &&
        (!r.clusterScope || namespace === undefined) &&
        (r.name === undefined || r.name === name) &&
        (r.user === undefined || r.user === user),
    );
    if (hit) throw forbidden(user, verb, def, namespace, name);
  }
}

const USERS = { group: '', resource: 'users' };

/** Applies an Impersonate-User header: checks the "impersonate" permission, returns the effective user. */
export function impersonate(req: IncomingMessage, user: string, deny: DenyList): string {
  const as = req.headers['impersonate-user'];
  if (typeof as !== 'string' || as === '') return user;
  deny.check(user, 'impersonate', USERS, undefined, as);
  return as;
}
