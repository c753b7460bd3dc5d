// kube-sim: a small Kubernetes API server emulator that real Helm 3/4 and kubectl accept.
// startKubeSim() wires the parts together (store, persistence, server, auth, faults) and
// returns the handle tests use. See README.md for what is modelled and what is not.
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { adminHandler, type AdminTarget } from './admin.js';
import { CATALOG, storageGroupOf } from './catalog.js';
import { DenyList } from './auth.js';
import { startControllers } from './controllers.js';
import { Faults } from './faults.js';
import { renderKubeconfig } from './kubeconfig.js';
import { DiskState } from './persistence.js';
import { Pager } from './paging.js';
import { normaliseGitVersion, makeProfile } from './profile.js';
import { settle } from './readiness.js';
import { route } from './router.js';
import { matchesLabels, parseLabelSelector } from './selectors.js';
import { ApiServer } from './server.js';
import { bucketOf, Store } from './store.js';
import { generatePki } from './tls.js';
import type { KubeObject, KubeSim, KubeSimOptions, ObjectFilter } from './types.js';

export type { FaultRule, KubeSim, KubeSimOptions, RequestLogEntry, Counters, KubeObject, ObjectFilter } from './types.js';

export const DEFAULT_KUBE_VERSION = 'v1.24.17';
const BUILTIN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function startKubeSim(opts: KubeSimOptions = {}): Promise<KubeSim> {
  const disk = opts.stateDir ? new DiskState(opts.stateDir) : undefined;
  const loaded = disk?.load();
  const store = new Store(loaded?.rv ?? 0, disk);
  store.controllers = settle;
  for (const { bucket, rec } of loaded?.records ?? []) store.load(bucket, rec);
  startControllers(store);
  let kubeVersion = normaliseGitVersion(opts.kubeVersion ?? loaded?.kubeVersion ?? DEFAULT_KUBE_VERSION);
  makeProfile(kubeVersion); // validate early
  disk?.setKubeVersion(kubeVersion);
  for (const ns of BUILTIN_NAMESPACES) {
    if (!store.get('/namespaces', '', ns)) store.create('/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }

  const pki = opts.tls ? generatePki() : undefined;
  const faults = new Faults(opts.faults ?? []);
  const deny = new DenyList(opts.forbid ?? []);
  const paging = new Pager(opts.continueTtlWrites);
  let latencyMs = opts.latencyMs ?? 0;
  let server: Server;
  let stopped: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    stopped ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections(); // open watches would keep close() waiting forever
    });
    return stopped;
  };

  const api: ApiServer = new ApiServer(kubeVersion, {
    store,
    auth: { token: opts.token, clientCerts: !!opts.tls, anonymous: !opts.tls && opts.token === undefined },
    paging,
    faults,
    deny,
    watchList: opts.watchList,
    get latencyMs() {
      return latencyMs;
    },
    admin: adminHandler(() => sim),
    kill: () => (opts.onKill ? opts.onKill() : void stop()),
  });

  server = pki
    ? createHttpsServer({ key: pki.serverKey, cert: pki.serverCert, ca: pki.caCert, requestCert: true, rejectUnauthorized: false }, api.handle)
    : createHttpServer(api.handle);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${pki ? 'https' : 'http'}://127.0.0.1:${port}`;
  const kubeconfig = renderKubeconfig({
    url,
    caPem: pki?.caCert,
    // The kubeconfig carries one credential: the token when set (so token auth is what gets
    // exercised), else the client certificate. client-go sends tokens only over HTTPS.
    clientCertPem: opts.token === undefined ? pki?.clientCert : undefined,
    clientKeyPem: opts.token === undefined ? pki?.clientKey : undefined,
    token: opts.token,
  });
  const kubeconfigPath = opts.kubeconfigPath ?? join(mkdtempSync(join(tmpdir(), 'kube-sim-')), 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfig, { mode: 0o600 });

  const sim: AdminTarget = {
    url,
    kubeconfigPath,
    kubeconfig,
    caPem: pki?.caCert,
    stop,
    setKubeVersion(v) {
      kubeVersion = normaliseGitVersion(v);
      api.setKubeVersion(kubeVersion);
      disk?.setKubeVersion(kubeVersion);
    },
    kubeVersion: () => kubeVersion,
    requests: () => api.log.map((e) => ({ ...e, query: { ...e.query } })),
    clearLog: () => api.clearLog(),
    counters: () => structuredClone(api.counters),
    setFaults: (rules) => faults.set(rules),
    setForbid: (rules) => deny.set(rules),
    expireContinueTokens: () => paging.expireAll(),
    getObject: (apiPath) => getObject(store, apiPath),
    putObject: (obj) => putObject(store, obj),
    listObjects: (filter) => listObjects(store, filter),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    resourceVersion: () => store.resourceVersion,
    faultState: () => faults.list(),
  };
  return sim;
}

function defForApiVersion(apiVersion: string, kind: string) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return CATALOG.find((d) => d.group === group && d.version === version && d.kind === kind);
}

/** Reads a stored object by its API path, whatever the profile serves (tests inspect PSPs at 1.25). */
function getObject(store: Store, apiPath: string): KubeObject | undefined {
  const r = route(apiPath);
  if (r.type !== 'resource' || !r.name) throw new Error(`getObject: "${apiPath}" is not an object path`);
  const def = CATALOG.find((d) => d.group === r.group && d.version === r.version && d.resource === r.resource);
  if (!def) throw new Error(`getObject: unknown resource in "${apiPath}"`);
  const rec = store.get(bucketOf(storageGroupOf(def), def.resource), def.namespaced ? r.namespace ?? '' : '', r.name);
  return rec ? structuredClone(rec.obj) : undefined;
}

/** Direct store write (create or replace), bypassing HTTP, log and faults. */
function putObject(store: Store, input: KubeObject): KubeObject {
  const def = defForApiVersion(String(input.apiVersion ?? ''), String(input.kind ?? ''));
  if (!def) throw new Error(`putObject: unknown apiVersion/kind ${input.apiVersion}/${input.kind}`);
  if (!input.metadata?.name) throw new Error('putObject: metadata.name is required');
  const obj = structuredClone(input);
  const ns = def.namespaced ? (obj.metadata.namespace ??= 'default') : '';
  if (!def.namespaced) delete obj.metadata.namespace;
  const bucket = bucketOf(storageGroupOf(def), def.resource);
  const prev = store.get(bucket, ns, obj.metadata.name);
  return structuredClone((prev ? store.update(bucket, prev, obj) : store.create(bucket, obj)).obj);
}

function listObjects(store: Store, filter: ObjectFilter = {}): KubeObject[] {
  const reqs = parseLabelSelector(filter.labelSelector);
  const buckets = store.bucketNames().filter((b) => {
    const [g, r] = b.split('/');
    return (filter.group === undefined || filter.group === g) && (filter.resource === undefined || filter.resource === r);
  });
  return buckets
    .flatMap((b) => store.list(b, filter.namespace))
    .filter((rec) => matchesLabels(reqs, rec.obj.metadata?.labels))
    .map((rec) => structuredClone(rec.obj));
}
