// The admin endpoint (/__sim/...), for tests and the demo driving a sim in another process.
// It bypasses authentication, faults, latency and the request log: it observes the API, it
// is not part of it. Loopback only, like the whole sim.
//   GET    /__sim/state                 {kubeVersion, resourceVersion, counters}
//   PUT    /__sim/kube-version          {"kubeVersion":"v1.25.16"}   switch the profile live
//   GET    /__sim/requests              request log;  DELETE clears log and counters
//   GET    /__sim/counters
//   GET    /__sim/faults                rules with matched/fired;  PUT [rules] replaces them
//   PUT    /__sim/forbid                ["list:secrets:ns=locked", ...]
//   PUT    /__sim/latency               {"latencyMs": 5}
//   POST   /__sim/expire-continue       every continue token issued so far answers 410
//   GET    /__sim/objects?group=&resource=&namespace=&labelSelector=   stored objects
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeSim, FaultRule, ObjectFilter } from './types.js';

export interface AdminTarget extends KubeSim {
  setLatency(ms: number): void;
  resourceVersion(): number;
  faultState(): unknown;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

export function adminHandler(sim: () => AdminTarget) {
  return (req: IncomingMessage, res: ServerResponse, action: string, body: Buffer): void => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sim');
    const s = sim();
    let input: any;
    try {
      input = body.length ? JSON.parse(body.toString('utf8')) : undefined;
      const key = `${method} ${action.replace(/\/$/, '')}`;
      switch (key) {
        case 'GET state':
          return reply(res, 200, { kubeVersion: s.kubeVersion(), resourceVersion: String(s.resourceVersion()), counters: s.counters() });
        case 'PUT kube-version':
        case 'POST kube-version':
          s.setKubeVersion(String(input?.kubeVersion ?? url.searchParams.get('v')));
          return reply(res, 200, { kubeVersion: s.kubeVersion() });
        case 'GET requests': return reply(res, 200, s.requests());
        case 'DELETE requests': s.clearLog(); return reply(res, 200, {});
        case 'GET counters': return reply(res, 200, s.counters());
        case 'GET faults': return reply(res, 200, s.faultState());
        case 'PUT faults':
        case 'POST faults':
          s.setFaults((input ?? []) as FaultRule[]);
          return reply(res, 200, s.faultState());
        case 'PUT forbid':
        case 'POST forbid':
          s.setForbid((input ?? []) as string[]);
          return reply(res, 200, {});
        case 'PUT latency':
        case 'POST latency':
          s.setLatency(Number(input?.latencyMs ?? 0));
          return reply(res, 200, {});
        case 'POST expire-continue':
          s.expireContinueTokens();
          return reply(res, 200, {});
        case 'GET objects': {
          const q = url.searchParams;
          const filter: ObjectFilter = {};
          for (const k of ['group', 'resource', 'namespace', 'labelSelector'] as const) if (q.has(k)) filter[k] = q.get(k)!;
          return reply(res, 200, s.listObjects(filter));
        }
        default:
          return reply(res, 404, { error: `unknown admin action ${key}` });
      }
    } catch (e) {
      return reply(res, 400, { error: (e as Error).message });
    }
  };
}
