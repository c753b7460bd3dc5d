// Loads kubeconfig the way Helm (client-go) does and applies Helm's HELM_KUBE* overrides,
// then hands out per-request connection options (TLS material and auth headers) through
// @kubernetes/client-node's KubeConfig, which implements tokens, client certificates,
// basic auth, auth providers and exec credential plugins.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter } from 'node:path';
import type https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster, Context, User } from '@kubernetes/client-node';
import type { StorageConfig } from '../config.js';
import { StorageError } from '../errors.js';

export interface Connection {
  /** Server base URL without trailing slash. */
  server: string;
  /** Per-request TLS/auth material (fresh copy each call). */
  requestOptions(): Promise<https.RequestOptions>;
  /** Drops cached credentials (after a 401: exec plugins may hand out a fresh token). */
  invalidate(): void;
  proxyAgent(): https.Agent | undefined;
}

function firstWins<T extends { name: string }>(into: T[], from: T[]): void {
  for (const item of from) if (!into.some((x) => x.name === item.name)) into.push(item);
}

/** Reads the ':'-separated kubeconfig list like client-go: missing files are skipped, first definition wins. */
function loadKubeconfigFiles(list: string | undefined): { kc: KubeConfig; files: string[] } {
  const kc = new KubeConfig();
  const explicit = list !== undefined && list !== '';
  const files = explicit ? list.split(delimiter).filter(Boolean) : [`${homedir()}/.kube/config`];
  const clusters: Cluster[] = [];
  const users: User[] = [];
  const contexts: Context[] = [];
  let current: string | undefined;
  const used: string[] = [];
  for (const f of files) {
    if (!existsSync(f)) continue;
    const one = new KubeConfig();
    try {
      one.loadFromFile(f);
    } catch (e) {
      throw new StorageError('config', `cannot load kubeconfig ${f}: ${(e as Error).message.split('\n')[0]}`);
    }
    firstWins(clusters, one.clusters ?? []);
    firstWins(users, one.users ?? []);
    firstWins(contexts, one.contexts ?? []);
    if (!current && one.currentContext) current = one.currentContext;
    used.push(f);
  }
  if (used.length === 0 && explicit && files.length === 1) {
    // client-go: an explicitly named single kubeconfig that does not exist is an error.
    throw new StorageError('config', `kubeconfig ${files[0]} does not exist`);
  }
  if (used.length === 0) {
    const saToken = '/var/run/secrets/kubernetes.io/serviceaccount/token';
    if (existsSync(saToken)) {
      kc.loadFromCluster();
      return { kc, files: ['(in-cluster service account)'] };
    }
  }
  kc.loadFromOptions({ clusters, users, contexts, currentContext: current ?? '' });
  return { kc, files: used };
}

/** Applies HELM_KUBECONTEXT, HELM_KUBEAPISERVER, HELM_KUBETOKEN, HELM_KUBECAFILE, ... */
export function loadKubeConfig(config: StorageConfig): { kc: KubeConfig; cluster: Cluster; user: User; describe: string } {
  const { kc, files } = loadKubeconfigFiles(config.kubeconfig);
  if (config.kubeContext) {
    if (!kc.getContextObject(config.kubeContext)) {
      throw new StorageError('config', `context "${config.kubeContext}" does not exist in kubeconfig ${files.join(':') || '(none)'}`);
    }
    kc.setCurrentContext(config.kubeContext);
  }
  let ctx = kc.getContextObject(kc.getCurrentContext());
  let cluster: Cluster | null = kc.getCurrentCluster();
  let user: User | null = kc.getCurrentUser();
  if (!cluster) {
    if (!config.kubeApiServer) {
      const why = files.length === 0 ? 'no kubeconfig file found' : ctx ? `context "${ctx.name}" names no known cluster` : 'kubeconfig has no current context';
      throw new StorageError('config', `Kubernetes cluster unreachable: ${why} (KUBECONFIG=${config.kubeconfig ?? '~/.kube/config'}; set --kube-context or --kube-apiserver)`);
    }
    cluster = { name: 'helm-override', server: config.kubeApiServer, skipTLSVerify: false };
  }
  user = user ?? { name: 'helm-override-user' };
  cluster = { ...cluster };
  user = { ...user };
  if (config.kubeApiServer) (cluster as { server: string }).server = config.kubeApiServer.replace(/\/$/, '');
  if (config.kubeCaFile) {
    (cluster as { caFile?: string }).caFile = config.kubeCaFile;
    (cluster as { caData?: string }).caData = undefined;
  }
  if (config.kubeInsecureSkipTlsVerify) {
    (cluster as { skipTLSVerify: boolean }).skipTLSVerify = true;
    // client-go: insecure without an explicit CA clears the kubeconfig's CA.
    if (!config.kubeCaFile) {
      (cluster as { caFile?: string }).caFile = undefined;
      (cluster as { caData?: string }).caData = undefined;
    }
  }
  if (config.kubeTlsServerName) (cluster as { tlsServerName?: string }).tlsServerName = config.kubeTlsServerName;
  if (config.kubeToken) {
    // A token override replaces the user's other credentials (exec, auth provider, basic).
    user = { name: user.name, token: config.kubeToken, certFile: user.certFile, certData: user.certData, keyFile: user.keyFile, keyData: user.keyData } as User;
  }
  if (user.exec) {
    // client-go hands exec plugins KUBERNETES_EXEC_INFO naming the apiVersion they must answer
    // with; some plugins (v1 ones above all) need it. Works for v1alpha1, v1beta1 and v1.
    const exec = user.exec as { apiVersion?: string; env?: Array<{ name: string; value: string }> | null; provideClusterInfo?: boolean };
    const info = {
      apiVersion: exec.apiVersion ?? 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      spec: {
        interactive: false,
        ...(exec.provideClusterInfo ? { cluster: { server: cluster.server, 'insecure-skip-tls-verify': cluster.skipTLSVerify, ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}) } } : {}),
      },
    };
    const env = [...(exec.env ?? []).filter((e) => e.name !== 'KUBERNETES_EXEC_INFO'), { name: 'KUBERNETES_EXEC_INFO', value: JSON.stringify(info) }];
    user = { ...user, exec: { ...exec, env } } as User;
  }
  const contextName = 'psa-clean';
  const next = new KubeConfig();
  next.loadFromOptions({
    clusters: [cluster],
    users: [user],
    contexts: [{ name: contextName, cluster: cluster.name, user: user.name, namespace: ctx?.namespace }],
    currentContext: contextName,
  });
  ctx = next.getContextObject(contextName);
  return { kc: next, cluster, user, describe: cluster.server };
}

/** Builds the Connection used by the HTTP layer. */
export function openConnection(config: StorageConfig): Connection {
  const { kc, cluster } = loadKubeConfig(config);
  const server = cluster.server.replace(/\/$/, '');
  if (!/^https?:\/\//.test(server)) throw new StorageError('config', `cluster server address "${server}" is not an http(s) URL`);
  const plainHttp = server.startsWith('http:');
  // client-node refuses to build an agent for http:// unless skipTLSVerify is set; TLS
  // settings mean nothing there, so say "skip" for plain HTTP only.
  // A fresh KubeConfig per credential refresh: client-node's exec authenticator caches a
  // token until its expiry, but after a 401 the plugin must run again (as client-go does).
  const fresh = (): KubeConfig => (plainHttp ? withSkipTls(kc) : copyOf(kc));
  let authKc = fresh();
  let cached: { at: number; opts: https.RequestOptions } | undefined;
  const REFRESH_MS = 5 * 60_000;
  return {
    server,
    async requestOptions() {
      if (!cached || Date.now() - cached.at > REFRESH_MS) {
        const opts: https.RequestOptions = { headers: {} };
        try {
          await authKc.applyToHTTPSOptions(opts);
        } catch (e) {
          const msg = (e as Error).message ?? String(e);
          throw new StorageError('unauthorized', `cannot obtain credentials for ${server}: ${msg.split('\n')[0].slice(0, 200)}`);
        }
        if (opts.auth) {
          (opts.headers as Record<string, string>).Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
          delete opts.auth;
        }
        cached = { at: Date.now(), opts };
      }
      const o = cached.opts;
      return { ...o, headers: { ...(o.headers as Record<string, string>) } };
    },
    invalidate() {
      cached = undefined;
      authKc = fresh();
    },
    proxyAgent() {
      return cluster.proxyUrl ? (cached?.opts.agent as https.Agent | undefined) : undefined;
    },
  };
}

function copyOf(kc: KubeConfig): KubeConfig {
  const out = new KubeConfig();
  out.loadFromOptions({ clusters: kc.clusters, users: kc.users, contexts: kc.contexts, currentContext: kc.currentContext });
  return out;
}

function withSkipTls(kc: KubeConfig): KubeConfig {
  const c = kc.getCurrentCluster()!;
  const out = new KubeConfig();
  out.loadFromOptions({
    clusters: [{ ...c, skipTLSVerify: true }],
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
  return out;
}

