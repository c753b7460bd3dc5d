// A thin HTTP layer over node:http/https for the Kubernetes API: auth from the Connection,
// impersonation headers, a per-request timeout, a cap on requests in flight, bounded retries
// with jittered backoff (429 honours Retry-After), and errors that name the verb, resource and
// namespace but never a token or a body.
import http from 'node:http';
import https from 'node:https';
import type { Connection } from './kubeconfig.js';
import { StorageError } from '../errors.js';
import type { StorageErrorCode } from '../errors.js';
import type { RequestLimiter } from './rate-limit.js';

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  accept?: string;
  /** For messages: what is being done to what. */
  what: { verb: string; resource: string; namespace?: string; key?: string };
  /**
   * Writes: how to find out whether an attempt that ended ambiguously (connection reset,
   * timeout, 500/502/504) took effect: `{ done }` ends with that response (e.g. the GET
   * showing the write landed), 'retry' sends it again; it may also throw (e.g. a conflict).
   * Without it, a write is retried only on answers that prove nothing was done (429, 503).
   */
  verify?: () => Promise<{ done: KubeResponse } | 'retry'>;
}

export interface KubeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /**
   * A write that was sent again after an attempt that may have landed (reset, timeout, 5xx):
   * only then can a 409 be our own earlier copy.
   */
  resent?: boolean;
}

export interface HttpOptions {
  timeoutMs: number;
  retries: number;
  concurrency: number;
  asUser?: string;
  asGroups?: string[];
  log: (line: string) => void;
  /** Backoff base in ms (tests lower it). */
  backoffBaseMs?: number;
  /** HELM_QPS throttling: each attempt takes a token before it is sent. */
  limiter?: RequestLimiter;
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'PSA_TIMEOUT', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EADDRNOTAVAIL']);

class Semaphore {
  private waiting: Array<() => void> = [];
  private free: number;
  constructor(n: number) {
    this.free = Math.max(1, n);
  }
  async acquire(): Promise<() => void> {
    if (this.free > 0) {
      this.free--;
    } else {
      await new Promise<void>((r) => this.waiting.push(r));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function where(w: KubeRequest['what']): string {
  const obj = w.key ? ` "${w.key}"` : '';
  return `${w.verb} ${w.resource}${obj}${w.namespace !== undefined ? ` in namespace "${w.namespace}"` : w.resource === 'version' ? '' : ' (all namespaces)'}`;
}

/** The API's Status message, if the body is a Status object. */
export function statusMessage(body: Buffer): { message?: string; reason?: string } {
  try {
    const s = JSON.parse(body.toString('utf8')) as { kind?: string; message?: unknown; reason?: unknown };
    if (s && s.kind === 'Status') {
      return { message: typeof s.message === 'string' ? s.message : undefined, reason: typeof s.reason === 'string' ? s.reason : undefined };
    }
  } catch {
    /* not JSON */
  }
  return {};
}

export class KubeHttp {
  private readonly sem: Semaphore;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly backoffBase: number;

  constructor(readonly conn: Connection, private readonly o: HttpOptions) {
    this.sem = new Semaphore(o.concurrency);
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets: o.concurrency });
    this.backoffBase = o.backoffBaseMs ?? 200;
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private error(code: StorageErrorCode, req: KubeRequest, detail: string): StorageError {
    return new StorageError(code, `${where(req.what)}: ${detail}`, { namespace: req.what.namespace, key: req.what.key });
  }

  private async once(req: KubeRequest): Promise<KubeResponse> {
    const base = await this.conn.requestOptions();
    const url = new URL(this.conn.server + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const headers: http.OutgoingHttpHeaders = {
      ...(base.headers as Record<string, string>),
      Accept: req.accept ?? 'application/json',
      'User-Agent': 'psa-clean',
    };
    if (this.o.asUser) headers['Impersonate-User'] = this.o.asUser;
    if (this.o.asGroups && this.o.asGroups.length > 0) headers['Impersonate-Group'] = this.o.asGroups;
    let payload: Buffer | undefined;
    if (req.body !== undefined) {
      payload = Buffer.from(JSON.stringify(req.body), 'utf8');
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const isHttps = url.protocol === 'https:';
    const proxy = this.conn.proxyAgent();
    const options: https.RequestOptions = {
      method: req.method,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (isHttps ? 443 : 80),
      path: url.pathname + url.search,
      headers,
      agent: proxy ?? (isHttps ? this.httpsAgent : this.httpAgent),
      ...(isHttps
        ? {
            ca: base.ca, cert: base.cert, key: base.key, pfx: base.pfx, passphrase: base.passphrase,
            servername: base.servername,
            ...(base.rejectUnauthorized !== undefined ? { rejectUnauthorized: base.rejectUnauthorized } : {}),
          }
        : {}),
    };
    const release = await this.sem.acquire();
    // Throttled inside the slot: a request sends when its token is due, so the requests that
    // go out never exceed the bucket, however long they queued for a slot.
    try {
      await this.o.limiter?.take();
    } catch (e) {
      release();
      throw e;
    }
    const started = Date.now();
    try {
      return await new Promise<KubeResponse>((resolve, reject) => {
        const r = (isHttps ? https : http).request(options, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
          res.on('aborted', () => reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
        });
        const timer = setTimeout(() => {
          r.destroy(Object.assign(new Error(`no answer within ${this.o.timeoutMs} ms`), { code: 'PSA_TIMEOUT' }));
        }, this.o.timeoutMs);
        r.on('close', () => clearTimeout(timer));
        r.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
        r.end(payload);
      }).then((res) => {
        this.o.log(`${req.method} ${url.pathname}${url.search} -> ${res.status} (${Date.now() - started} ms)`);
        return res;
      });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      this.o.log(`${req.method} ${url.pathname}${url.search} -> ${code || (e as Error).message} (${Date.now() - started} ms)`);
      throw e;
    } finally {
      release();
    }
  }

  private backoff(attempt: number, retryAfter?: string): number {
    const ra = retryAfter !== undefined ? Number(retryAfter) : NaN;
    if (Number.isFinite(ra) && ra >= 0) return Math.min(ra, 30) * 1000 + Math.random() * this.backoffBase;
    const cap = Math.min(this.backoffBase * 2 ** attempt, 5000);
    return cap / 2 + Math.random() * (cap / 2);
  }

  /**
   * Sends with retries. Returns any response with status < 500 other than 401/403/429
   * (callers handle 404/409/410 by meaning); throws StorageError for the rest.
   */
  async request(req: KubeRequest): Promise<KubeResponse> {
    const isRead = req.method === 'GET';
    let refreshedAuth = false;
    let lastProblem = '';
    let lastCode: StorageErrorCode = 'server';
    let mayHaveLanded = false;
    for (let attempt = 0; attempt <= this.o.retries; attempt++) {
      if (attempt > 0) this.o.log(`retry ${attempt}/${this.o.retries} for ${req.method} ${req.path}: ${lastProblem}`);
      let res: KubeResponse;
      try {
        res = await this.once(req);
      } catch (e) {
        if (e instanceof StorageError) throw e;
        const code = (e as NodeJS.ErrnoException).code ?? '';
        const msg = (e as Error).message ?? '';
        if (UNREACHABLE_CODES.has(code)) {
          throw this.error('unreachable', req, `Kubernetes API server ${this.conn.server} is unreachable (${code}${(e as { address?: string }).address ? ` ${(e as { address?: string }).address}:${(e as { port?: number }).port ?? ''}` : ''})`);
        }
        if (/CERT|SELF_SIGNED|ALTNAME|UNABLE_TO_VERIFY|SSL|TLS/i.test(code) || /certificate|ssl|tls/i.test(msg)) {
          throw this.error('unreachable', req, `TLS connection to ${this.conn.server} failed: ${code || msg.split('\n')[0]}`);
        }
        if (RESET_CODES.has(code) || /socket hang up/i.test(msg)) {
          lastProblem = code === 'PSA_TIMEOUT' ? `no answer within ${this.o.timeoutMs} ms` : `connection reset (${code || 'socket hang up'})`;
          lastCode = code === 'PSA_TIMEOUT' ? 'timeout' : 'unreachable';
          if (!isRead) {
            if (!req.verify) throw this.error(lastCode, req, `${lastProblem}; the write may or may not have happened`);
            const v = await req.verify();
            if (v !== 'retry') return v.done;
            mayHaveLanded = true;
          }
          await sleep(this.backoff(attempt));
          continue;
        }
        throw this.error('unreachable', req, `request to ${this.conn.server} failed: ${code || msg.split('\n')[0]}`);
      }
      const { status } = res;
      if (status === 401) {
        if (!refreshedAuth) {
          refreshedAuth = true;
          this.conn.invalidate();
          attempt--; // a credential refresh is not a retry
          lastProblem = '401, refreshing credentials';
          continue;
        }
        throw this.error('unauthorized', req, `the API server ${this.conn.server} rejected the credentials (401 Unauthorized); check the kubeconfig user, token or exec plugin`);
      }
      if (status === 403) {
        const sm = statusMessage(res.body).message;
        throw this.error('forbidden', req, `forbidden (403)${sm ? `: ${sm}` : ''}`);
      }
      const transient = status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
      if (!transient) return mayHaveLanded ? { ...res, resent: true } : res;
      lastProblem = `HTTP ${status}${statusMessage(res.body).message ? ` ${statusMessage(res.body).message}` : ''}`;
      lastCode = 'server';
      if (!isRead && status !== 429 && status !== 503) {
        // The server may have applied the write before failing: check before resending.
        if (!req.verify) throw this.error('server', req, `${lastProblem}; the write may or may not have happened`);
        const v = await req.verify();
        if (v !== 'retry') return v.done;
        mayHaveLanded = true;
      }
      const retryAfter = res.headers['retry-after'];
      await sleep(this.backoff(attempt, Array.isArray(retryAfter) ? retryAfter[0] : retryAfter));
    }
    throw this.error(lastCode, req, `gave up after ${this.o.retries + 1} attempts: ${lastProblem}`);
  }
}
