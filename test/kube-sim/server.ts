// The HTTP front: one request goes admin -> latency/faults -> authentication -> routing ->
// authorization (deny list) -> discovery/OpenAPI/resource handler -> response, with every
// API request logged and counted. Errors become Kubernetes Status bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import { aggregatedContentType, aggregatedDiscovery, negotiateAggregated } from './aggregated.js';
import { openapiDocument, openapiIndex } from './openapi.js';
import { lookup, makeProfile, type Profile } from './profile.js';
import { handleResource } from './resources.js';
import { route, verbOf, type Route } from './router.js';
import { ApiError, failure, generic, notServed } from './status.js';
import { Faults, isWrite } from './faults.js';
import { authenticate, DenyList, impersonate, type AuthConfig } from './auth.js';
import type { Store } from './store.js';
import type { Pager } from './paging.js';
import { watchListMode, type WatchListMode } from './watchlist.js';
import type { Counters, RequestLogEntry } from './types.js';

export interface ServerDeps {
  store: Store;
  auth: AuthConfig;
  paging: Pager;
  faults: Faults;
  deny: DenyList;
  /** Overrides the version default for watch-list support. */
  watchList?: boolean;
  latencyMs: number;
  /** Admin endpoint handler (/__sim/...). */
  admin: (req: IncomingMessage, res: ServerResponse, action: string, body: Buffer) => void;
  /** Called when a killAfterWrites rule fires. */
  kill: () => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ApiServer {
  profile: Profile;
  log: RequestLogEntry[] = [];
  counters: Counters = { requests: 0, writes: 0, bytesIn: 0, bytesOut: 0, byMethod: {} };

  constructor(kubeVersion: string, readonly deps: ServerDeps) {
    this.profile = makeProfile(kubeVersion);
  }

  setKubeVersion(v: string): void {
    this.profile = makeProfile(v);
  }

  clearLog(): void {
    this.log = [];
    this.counters = { requests: 0, writes: 0, bytesIn: 0, bytesOut: 0, byMethod: {} };
  }

  private watchListMode(): WatchListMode {
    return watchListMode(this.profile.minorNumber, this.deps.watchList);
  }

  handle = (req: IncomingMessage, res: ServerResponse): void => {
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.serve(req, res, Buffer.concat(chunks), receivedAt).catch((e) => {
        if (!res.headersSent) this.send(res, undefined, 500, failure(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`));
        else res.destroy();
      });
    });
  };

  private async serve(req: IncomingMessage, res: ServerResponse, body: Buffer, receivedAt: number): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = (req.method ?? 'GET').toUpperCase();
    const r = route(url.pathname);
    if (r.type === 'admin') return this.deps.admin(req, res, r.action, body);

    const query = Object.fromEntries(url.searchParams.entries());
    const entry: RequestLogEntry = {
      method, path: url.pathname, query, status: 0, bytesIn: body.length, bytesOut: 0, receivedAt,
      ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
      ...(req.headers.accept ? { accept: req.headers.accept } : {}),
      ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
    };
    this.log.push(entry);
    const c = this.counters;
    c.requests++;
    c.byMethod[method] = (c.byMethod[method] ?? 0) + 1;
    c.bytesIn += body.length;
    if (isWrite(method)) c.writes++;

    const fault = this.deps.faults.before(method, url.pathname);
    const delay = this.deps.latencyMs + fault.latencyMs;
    if (delay > 0) await sleep(delay);
    if (fault.drop) {
      entry.status = -1; // no answer: connection destroyed
      req.socket.destroy();
      return;
    }
    try {
      if (fault.status !== undefined) throw generic(fault.status, fault.retryAfterSeconds);
      const user = r.type === 'health' ? 'system:anonymous' : impersonate(req, authenticate(req, this.deps.auth), this.deps.deny);
      entry.user = user;
      const out = this.dispatch(r, method, query, body, req, res, entry, user);
      if (out === 'streamed') return;
      if (isWrite(method) && out.status < 300 && this.deps.faults.afterWrite(method, url.pathname)) {
        // The write is committed (persisted synchronously); die before the client learns it.
        entry.status = -1;
        req.socket.destroy();
        this.deps.kill();
        return;
      }
      this.send(res, entry, out.status, out.body, out.headers);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.send(res, entry, e.code, e.body, e.headers);
    }
  }

  private dispatch(
    r: Route, method: string, query: Record<string, string>, body: Buffer,
    req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry, user: string,
  ): { status: number; body: unknown; headers?: Record<string, string> } | 'streamed' {
    const p = this.profile;
    const ok = (b: unknown) => ({ status: 200, body: b });
    const orNotFound = (b: unknown) => {
      if (b === undefined) throw notServed();
      return ok(b);
    };
    switch (r.type) {
      case 'version': return ok(p.version);
      case 'health': return ok('ok');
      case 'api':
      case 'apis': {
        const agg = negotiateAggregated(p, req.headers.accept);
        if (agg) return { status: 200, body: aggregatedDiscovery(p, r.type === 'api', agg), headers: { 'Content-Type': aggregatedContentType(agg) } };
        return ok(r.type === 'api' ? apiVersions() : apiGroupList(p));
      }
      case 'apiGroup': return orNotFound(apiGroup(p, r.group));
      case 'apiResources': return orNotFound(apiResourceList(p, r.group, r.version));
      case 'openapiIndex': return ok(openapiIndex(p));
      case 'openapiDoc': return orNotFound(openapiDocument(p, r.key));
      case 'resource': {
        const def = lookup(p, r.group, r.version, r.resource);
        if (!def) throw notServed();
        const verb = verbOf(method, r, query);
        this.deps.deny.check(user, verb, def, def.namespaced ? r.namespace : undefined, r.name);
        const out = handleResource(
          { store: this.deps.store, paging: this.deps.paging, watchListMode: this.watchListMode() },
          { method, def, namespace: r.namespace, name: r.name, subresource: r.subresource, query, body, contentType: req.headers['content-type'], accept: req.headers.accept },
          res,
          (n) => {
            entry.bytesOut += n;
            this.counters.bytesOut += n;
          },
        );
        if ('streamed' in out) {
          entry.status = 200;
          return 'streamed';
        }
        return out;
      }
      default:
        throw notServed();
    }
  }

  private send(res: ServerResponse, entry: RequestLogEntry | undefined, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const bytes = Buffer.byteLength(text);
    if (entry) {
      entry.status = status;
      entry.bytesOut += bytes;
      this.counters.bytesOut += bytes;
    }
    res.writeHead(status, {
      'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
      'Content-Length': String(bytes),
      'Cache-Control': 'no-cache, private',
      ...headers,
    });
    res.end(text);
  }
}

