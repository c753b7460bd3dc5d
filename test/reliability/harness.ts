// Shared set-up for the reliability suite: a kube-sim seeded with Helm-shaped releases (no
// Helm binary needed), the CLI run in-process (full flag/env path, fast) or as the built
// bundle (for SIGKILL/SIGINT), and object-by-object store checks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough, Writable } from 'node:stream';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { decodeRelease, encodeRelease } from '../../src/helm/codec.js';
import type { ReleaseJson } from '../../src/helm/release.js';
import { startKubeSim, type KubeObject, type KubeSim, type KubeSimOptions } from '../kube-sim/index.js';
import { BUNDLE, REPO_ROOT } from '../helpers/paths.js';

export type KubeDriverName = 'secret' | 'configmap';
export const NS = 'demo';

export const PSP_DOC =
  '---\n# Source: app/templates/psp.yaml\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: NAME-psp\nspec:\n  privileged: false\n  seLinux:\n    rule: RunAsAny\n  runAsUser:\n    rule: RunAsAny\n  supplementalGroups:\n    rule: RunAsAny\n  fsGroup:\n    rule: RunAsAny\n  volumes:\n  - secret\n';
export const CM_DOC = '---\n# Source: app/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: NAME-config\ndata:\n  message: hello\n';
export const PDB_DOC =
  '---\n# Source: app/templates/pdb.yaml\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: NAME-pdb\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: NAME\n';

/** A release body shaped like Helm 3.17's, with a field Helm 4 adds (must survive). */
export function makeRelease(name: string, version: number, status: string, manifest: string, extra: Partial<ReleaseJson> = {}): ReleaseJson {
  return {
    name,
    info: {
      first_deployed: '2024-05-01T10:00:00.123456789Z',
      last_deployed: `2024-05-0${Math.min(version, 9)}T10:00:00.123456789Z`,
      deleted: '',
      description: version === 1 ? 'Install complete' : 'Upgrade complete',
      status,
    },
    chart: {
      metadata: { name: 'app', version: '0.1.0', apiVersion: 'v2' },
      lock: null,
      templates: [],
      values: { message: 'hello' },
      schema: null,
      files: [],
    },
    config: {},
    manifest: manifest.replaceAll('NAME', name),
    hooks: [],
    version,
    namespace: NS,
    apply_method: 'csa',
    ...extra,
  };
}

export function storedObject(driver: KubeDriverName, release: ReleaseJson, labels: Record<string, string> = {}, rawData?: string): KubeObject {
  const name = String(release.name);
  const version = Number(release.version);
  const text = rawData ?? encodeRelease(release);
  const metadata = {
    name: `sh.helm.release.v1.${name}.v${version}`,
    namespace: String(release.namespace ?? NS),
    labels: { name, owner: 'helm', status: String((release.info as Record<string, unknown>).status), version: String(version), ...labels },
  };
  return driver === 'secret'
    ? { apiVersion: 'v1', kind: 'Secret', type: 'helm.sh/release.v1', metadata, data: { release: Buffer.from(text, 'latin1').toString('base64') } }
    : { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { release: text } };
}

/** Revisions 1..n of a release: the last deployed, the others superseded. */
export function history(name: string, n: number, manifest = PSP_DOC + CM_DOC, extra: Partial<ReleaseJson> = {}): ReleaseJson[] {
  return Array.from({ length: n }, (_, i) => makeRelease(name, i + 1, i + 1 === n ? 'deployed' : 'superseded', manifest, extra));
}

export async function seededSim(driver: KubeDriverName, releases: ReleaseJson[], opts: KubeSimOptions = {}): Promise<KubeSim> {
  const sim = await startKubeSim({ kubeVersion: 'v1.25.16', ...opts });
  const namespaces = new Set([NS, ...releases.map((r) => String(r.namespace ?? NS))]);
  for (const ns of namespaces) sim.putObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const r of releases) sim.putObject(storedObject(driver, r));
  return sim;
}

export function resourceOf(driver: KubeDriverName): 'secrets' | 'configmaps' {
  return driver === 'secret' ? 'secrets' : 'configmaps';
}

export function helmText(driver: KubeDriverName, o: KubeObject): string {
  return driver === 'secret' ? Buffer.from(o.data.release, 'base64').toString('latin1') : o.data.release;
}

/** Every Helm record, keyed by namespace/name, with its raw data and labels. */
export function records(sim: KubeSim, driver: KubeDriverName): Map<string, { labels: Record<string, string>; data: string; rv: string }> {
  const out = new Map<string, { labels: Record<string, string>; data: string; rv: string }>();
  for (const o of sim.listObjects({ resource: resourceOf(driver), labelSelector: 'owner=helm' })) {
    out.set(`${o.metadata.namespace}/${o.metadata.name}`, { labels: { ...o.metadata.labels }, data: o.data?.release ?? '', rv: String(o.metadata.resourceVersion) });
  }
  return out;
}

/**
 * The store as comparable text with the clock taken out: createdAt/modifiedAt labels and the
 * new revision's last_deployed are the only fields a run derives from "now".
 */
export function normalizedStore(sim: KubeSim, driver: KubeDriverName): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, r] of [...records(sim, driver)].sort(([a], [b]) => a.localeCompare(b))) {
    const labels = { ...r.labels };
    for (const k of ['createdAt', 'modifiedAt']) if (k in labels) labels[k] = '<time>';
    let body: unknown;
    try {
      const rel = decodeRelease(helmText(driver, { data: { release: r.data } } as KubeObject));
      const info = rel.info as Record<string, unknown>;
      if (info?.description === 'Kubernetes deprecated API upgrade - DO NOT rollback from this version') info.last_deployed = '<time>';
      body = rel;
    } catch {
      body = `<undecodable:${r.data.slice(0, 16)}>`;
    }
    out[id] = { labels, body };
  }
  return out;
}

/**
 * Per-object verdict against the store before a run and the store an uninterrupted run leaves:
 * each object is untouched (same data+labels as before) or exactly the intended result;
 * nothing lost (every object before still exists) or duplicated (no object the reference
 * run does not have). Returns the problems found (empty = fine).
 */
export function checkObjects(before: Record<string, unknown>, intended: Record<string, unknown>, actual: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const id of Object.keys(before)) if (!(id in actual)) problems.push(`${id}: lost`);
  for (const id of Object.keys(actual)) {
    if (!(id in before) && !(id in intended)) problems.push(`${id}: unexpected new object`);
    const okBefore = id in before && same(actual[id], before[id]);
    const okIntended = id in intended && same(actual[id], intended[id]);
    if (!okBefore && !okIntended) problems.push(`${id}: neither untouched nor the intended result`);
  }
  return problems;
}

/** Label/body agreement and revision uniqueness for every release in the store. */
export function consistency(sim: KubeSim, driver: KubeDriverName): string[] {
  const problems: string[] = [];
  const byRelease = new Map<string, Array<{ rev: number; status: string }>>();
  for (const [id, r] of records(sim, driver)) {
    let rel: ReleaseJson;
    try {
      rel = decodeRelease(helmText(driver, { data: { release: r.data } } as KubeObject));
    } catch {
      problems.push(`${id}: undecodable`);
      continue;
    }
    const status = String((rel.info as Record<string, unknown>).status);
    if (r.labels.status !== status) problems.push(`${id}: status label ${r.labels.status} vs body ${status}`);
    if (r.labels.version !== String(rel.version)) problems.push(`${id}: version label ${r.labels.version} vs body ${String(rel.version)}`);
    if (r.labels.name !== rel.name) problems.push(`${id}: name label vs body`);
    if (!id.endsWith(`.${String(rel.name)}.v${String(rel.version)}`)) problems.push(`${id}: key does not match body`);
    const k = `${id.split('/')[0]}/${String(rel.name)}`;
    const list = byRelease.get(k) ?? [];
    list.push({ rev: Number(rel.version), status });
    byRelease.set(k, list);
  }
  for (const [k, list] of byRelease) {
    const revs = list.map((l) => l.rev);
    if (new Set(revs).size !== revs.length) problems.push(`${k}: duplicate revision numbers`);
    const deployed = list.filter((l) => l.status === 'deployed');
    if (deployed.length > 1) problems.push(`${k}: ${deployed.length} deployed revisions (${deployed.map((d) => d.rev).join(',')})`);
  }
  return problems;
}

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString('utf8');
    cb();
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cliEnv(sim: { kubeconfigPath: string } | undefined, driver: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    HOME: tmpHome,
    HELM_DATA_HOME: join(tmpHome, 'data'),
    HELM_DRIVER: driver,
    HELM_NAMESPACE: NS,
    ...(sim ? { KUBECONFIG: sim.kubeconfigPath } : {}),
    ...extra,
  };
}

const tmpHome = mkdtempSync(join(tmpdir(), 'psa-rel-home-'));
process.on('exit', () => rmSync(tmpHome, { recursive: true, force: true }));

/** Runs the CLI in this process (same code as the bundle, without process start-up). */
export async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const stdout = new Collect();
  const stderr = new Collect();
  const io: CliIo = { stdout, stderr, stdin: new PassThrough(), env, cwd: REPO_ROOT, pluginRoot: REPO_ROOT };
  const code = await runCli(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Starts the built bundle (dist/cli.js) as a child process. */
export function spawnBundle(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BUNDLE, ...args], {
    env: { PATH: process.env.PATH, HELM_PLUGIN_DIR: REPO_ROOT, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal === 'SIGKILL' ? 137 : 128), stdout, stderr }));
  });
  return { child, done };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
