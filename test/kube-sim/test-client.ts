// A raw HTTP(S) client for kube-sim's unit tests: exact status codes, headers and bodies,
// no client-library behaviour in between.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface CallOptions {
  body?: unknown;
  contentType?: string;
  accept?: string;
  headers?: Record<string, string>;
  /** TLS client material (PEM). */
  ca?: string;
  cert?: string;
  key?: string;
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export function call(baseUrl: string, method: string, path: string, o: CallOptions = {}): Promise<CallResult> {
  const url = new URL(path, baseUrl);
  const payload =
    o.body === undefined ? undefined : Buffer.isBuffer(o.body) ? o.body : Buffer.from(typeof o.body === 'string' ? o.body : JSON.stringify(o.body));
  const headers: Record<string, string> = { ...o.headers };
  if (payload) {
    headers['Content-Type'] = o.contentType ?? 'application/json';
    // Node does not chunk DELETE bodies: without a length the server would misread them.
    headers['Content-Length'] = String(payload.length);
  }
  if (o.accept) headers.Accept = o.accept;
  const req = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const r = req(url, { method, headers, ca: o.ca, cert: o.cert, key: o.key, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(payload);
  });
}

export const cm = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});
