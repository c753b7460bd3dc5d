// An isolated Helm environment per test: its own HOME (client-go caches discovery there),
// Helm homes, plugin dir and KUBECONFIG, so tests never share state or touch the user's.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { binaryPath } from '../../scripts/helm-bin.mjs';

export type HelmMajor = 3 | 4;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface HelmEnv {
  major: HelmMajor;
  helmBin: string;
  kubectlBin: string;
  root: string;
  env: NodeJS.ProcessEnv;
  /** Runs the real helm binary with this environment (plus extra env). */
  helm(args: string[], opts?: { env?: NodeJS.ProcessEnv; input?: string }): Promise<RunResult>;
  /** Runs kubectl with this environment. */
  kubectl(args: string[], opts?: { env?: NodeJS.ProcessEnv; input?: string }): Promise<RunResult>;
  /** Installs a plugin from a local directory or tarball (Helm 4 gets --verify=false for tarballs). */
  installPlugin(source: string): Promise<RunResult>;
  cleanup(): void;
}

export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: string, cwd?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    // A child that exits without reading stdin (sh -c, helm) closes the pipe: EPIPE here is not an error.
    child.stdin.on('error', () => {});
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

export interface HelmEnvOptions {
  /** kubeconfig file to use (e.g. from kube-sim); default: a path that does not exist. */
  kubeconfig?: string;
  driver?: 'secret' | 'configmap' | 'sql';
  sqlConnectionString?: string;
  /** Extra variables. */
  env?: NodeJS.ProcessEnv;
}

export async function createHelmEnv(major: HelmMajor, opts: HelmEnvOptions = {}): Promise<HelmEnv> {
  const helmBin = await binaryPath('helm', String(major));
  const kubectlBin = await binaryPath('kubectl', String(major));
  const root = mkdtempSync(join(tmpdir(), `psa-helm${major}-`));
  const home = join(root, 'home');
  const dataHome = join(root, 'data');
  for (const d of [home, dataHome, join(root, 'cache'), join(root, 'config'), join(dataHome, 'plugins')]) mkdirSync(d, { recursive: true });
  const kubeconfig = opts.kubeconfig ?? join(root, 'no-kubeconfig');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    HOME: home,
    HELM_CACHE_HOME: join(root, 'cache'),
    HELM_CONFIG_HOME: join(root, 'config'),
    HELM_DATA_HOME: dataHome,
    // Helm 4's local installers ignore HELM_PLUGINS and write to $HELM_DATA_HOME/plugins
    // (helm/helm#32646): keep the two equal.
    HELM_PLUGINS: join(dataHome, 'plugins'),
    KUBECONFIG: kubeconfig,
    KUBECACHEDIR: join(home, '.kube', 'cache'),
    ...(opts.driver ? { HELM_DRIVER: opts.driver } : {}),
    ...(opts.sqlConnectionString ? { HELM_DRIVER_SQL_CONNECTION_STRING: opts.sqlConnectionString } : {}),
    ...opts.env,
  };
  if (!opts.kubeconfig) writeFileSync(join(root, 'no-kubeconfig'), 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
  return {
    major,
    helmBin,
    kubectlBin,
    root,
    env,
    helm: (args, o = {}) => run(helmBin, args, { ...env, ...o.env }, o.input),
    kubectl: (args, o = {}) => run(kubectlBin, args, { ...env, ...o.env }, o.input),
    installPlugin: (source) =>
      run(helmBin, ['plugin', 'install', source, ...(major === 4 && source.endsWith('.tgz') ? ['--verify=false'] : [])], env),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
