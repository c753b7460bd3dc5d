// The clean command's edges, driven in-process (runCli) and as a process (dist/cli.js):
// --timeout, SIGINT, the TTY progress line, colours, usage errors, --no-backup, backup file
// modes, and restore to the exact stored bytes for the ConfigMap and SQL drivers.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Writable, Readable } from 'node:stream';
import { startKubeSim, type KubeSim } from '../kube-sim/index.js';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { encodeRelease } from '../../src/helm/codec.js';
import { BUNDLE, REPO_ROOT } from '../helpers/paths.js';
import { CHARTS, startCluster, storeSnapshot, type Cluster } from './clean-helpers.js';

const PSP = '---\n# Source: demo/templates/psp.yaml\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: x-psp\nspec:\n  privileged: false\n';

function seed(sim: KubeSim, ns: string, name: string): void {
  if (!sim.getObject(`/api/v1/namespaces/${ns}`)) sim.putObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const release = {
    name, namespace: ns, version: 1, manifest: PSP,
    info: { first_deployed: '2024-01-01T00:00:00Z', last_deployed: '2024-01-01T00:00:00Z', deleted: '', status: 'deployed', description: 'Install complete' },
    chart: { metadata: { name: 'demo', version: '0.1.0' } },
  };
  sim.putObject({
    apiVersion: 'v1', kind: 'Secret', type: 'helm.sh/release.v1',
    metadata: { name: `sh.helm.release.v1.${name}.v1`, namespace: ns, labels: { name, owner: 'helm', status: 'deployed', version: '1' } },
    data: { release: Buffer.from(encodeRelease(release)).toString('base64') },
  });
}

class Sink extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

function io(env: NodeJS.ProcessEnv, tty = false): CliIo & { stdout: Sink; stderr: Sink } {
  return { stdout: new Sink(tty), stderr: new Sink(tty), stdin: Readable.from([]), env, cwd: REPO_ROOT, pluginRoot: REPO_ROOT };
}

describe('clean command edges', () => {
  let sim: KubeSim | undefined;
  let cluster: Cluster | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
    await cluster?.close();
    cluster = undefined;
  });

  async function simEnv(n: number, latencyMs = 0): Promise<NodeJS.ProcessEnv> {
    sim = await startKubeSim({ kubeVersion: 'v1.25.16', latencyMs });
    for (let i = 0; i < n; i++) seed(sim, 'apps', `r${String(i).padStart(2, '0')}`);
    const home = mkdtempSync(join(tmpdir(), 'psa-cli-'));
    return { HOME: home, HELM_DATA_HOME: join(home, 'data'), KUBECONFIG: sim.kubeconfigPath, HELM_NAMESPACE: 'apps', PATH: process.env.PATH };
  }

  it('usage errors exit 1 and say what to do', async () => {
    const env = await simEnv(0);
    const a = io(env);
    expect(await runCli([], a)).toBe(1);
    expect(a.stderr.text).toContain('name one or more releases, or use -A');
    const b = io(env);
    expect(await runCli(['-A', '-o', 'xml'], b)).toBe(1);
    expect(b.stderr.text).toContain('must be text, json or yaml');
    const c = io(env);
    expect(await runCli(['-A', '-l', 'a > 1'], c)).toBe(1);
    expect(c.stderr.text).toContain('invalid label selector');
  });

  it('TTY: progress line on stderr and coloured diffs on stdout; NO_COLOR turns colours off', async () => {
    const env = await simEnv(3);
    const t = io(env, true);
    expect(await runCli(['-A', '--dry-run'], t)).toBe(0);
    expect(t.stderr.text).toContain('3/3 releases, 3 to update, 0 errors');
    expect(t.stdout.text).toContain('\x1b[');
    const n = io({ ...env, NO_COLOR: '1' }, true);
    expect(await runCli(['-A', '--dry-run'], n)).toBe(0);
    expect(n.stdout.text).not.toContain('\x1b[');
    const piped = io(env, false);
    expect(await runCli(['-A', '--dry-run'], piped)).toBe(0);
    expect(piped.stderr.text).toBe('');
    expect(piped.stdout.text).not.toContain('\x1b[');
  });

  it('a slow reader (| less): the report waits for it instead of queueing, and arrives whole', async () => {
    const env = await simEnv(150);
    const fast = io(env);
    expect(await runCli(['-A', '--dry-run', '-o', 'json'], fast)).toBe(0);
    expect(fast.stdout.text.length).toBeGreaterThan(4 * 64 * 1024);
    // Takes each chunk a turn later, as a pipe does; records how much was ever queued.
    let mostQueued = 0;
    let text = '';
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, cb) {
        mostQueued = Math.max(mostQueued, this.writableLength);
        text += chunk.toString();
        setImmediate(cb);
      },
    });
    const s = { ...io(env), stdout: Object.assign(slow, { isTTY: false }) };
    expect(await runCli(['-A', '--dry-run', '-o', 'json'], s)).toBe(0);
    expect(text).toBe(fast.stdout.text);
    // One chunk of ~64 KB (and the release that crossed the mark) at most, never the report.
    expect(mostQueued).toBeLessThan(2 * 64 * 1024);
    expect(s.stderr.text).toBe('');
  });

  it('--kube-version pre-cleans before the cluster removes the API and says so in the header', async () => {
    const env = await simEnv(1);
    await sim!.stop();
    sim = await startKubeSim({ kubeVersion: 'v1.24.17' });
    seed(sim, 'apps', 'r00');
    const e = { ...env, KUBECONFIG: sim.kubeconfigPath };
    const plain = io(e);
    expect(await runCli(['-A', '--dry-run', '--detailed-exitcode'], plain)).toBe(0);
    const pre = io(e);
    expect(await runCli(['-A', '--dry-run', '--detailed-exitcode', '--kube-version', '1.25'], pre)).toBe(2);
    expect(pre.stdout.text.split('\n')[0]).toContain('Target Kubernetes version: 1.25 (from --kube-version; pre-clean');
  });

  it('--timeout stops starting releases, reports the rest as skipped and exits 1', async () => {
    const env = await simEnv(12, 40);
    const a = io(env);
    const code = await runCli(['-A', '--concurrency', '1', '--timeout', '400ms', '-o', 'json'], a);
    expect(code).toBe(1);
    const doc = JSON.parse(a.stdout.text);
    expect(doc.interrupted).toBe('timeout');
    const statuses = doc.releases.map((r: { status: string }) => r.status);
    expect(statuses).toContain('skipped');
    expect(doc.summary.total).toBe(12);
    // every release either finished completely or was not touched
    for (const r of doc.releases) {
      if (r.status === 'changed') expect(sim!.getObject(`/api/v1/namespaces/apps/secrets/sh.helm.release.v1.${r.name}.v2`)).toBeDefined();
      else expect(sim!.getObject(`/api/v1/namespaces/apps/secrets/sh.helm.release.v1.${r.name}.v2`)).toBeUndefined();
    }
  });

  it('SIGINT: finishes in-flight releases, prints the summary so far, exits 130', async () => {
    const env = await simEnv(40, 40);
    const child = spawn(process.execPath, [BUNDLE, '-A', '--concurrency', '1'], { env: { ...env, HELM_PLUGIN_DIR: REPO_ROOT }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    // wait until the first release was written, then interrupt
    for (let i = 0; i < 200 && !sim!.getObject('/api/v1/namespaces/apps/secrets/sh.helm.release.v1.r00.v2'); i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((res) => child.on('close', res));
    expect(code).toBe(130);
    expect(stderr).toContain('SIGINT received');
    expect(stdout).toContain('Run interrupted (SIGINT)');
    expect(stdout).toMatch(/Done: \d+ releases? updated/);
    expect(stdout).toContain('skipped: not processed: the run was interrupted (SIGINT)');
  });

  it('--no-backup warns; backups are 0600 files in 0700 directories', async () => {
    const env = await simEnv(2);
    const a = io(env);
    expect(await runCli(['r00', '--no-backup'], a)).toBe(0);
    expect(a.stderr.text).toContain('--no-backup');
    expect(existsSync(join(env.HELM_DATA_HOME!, 'psa-clean'))).toBe(false);
    const b = io(env);
    expect(await runCli(['r01', '-o', 'json'], b)).toBe(0);
    const dir = JSON.parse(b.stdout.text).backupDir;
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(statSync(join(dir, 'manifest.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, m.records[0].file)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'apps')).mode & 0o777).toBe(0o700);
    // a --backup-dir that already holds a backup is refused before anything is written
    const c = io(env);
    expect(await runCli(['r00', '--backup-dir', dir], c)).toBe(1);
    expect(c.stderr.text).toContain('already holds a backup');
  });

  for (const driver of ['configmap', 'sql'] as const) {
    it(`restore returns the ${driver} store to its exact bytes`, async () => {
      cluster = await startCluster(4, driver);
      const { h } = cluster;
      expect((await h.helm(['install', 'rel', join(CHARTS, 'psp-chart'), '-n', 'demo', '--create-namespace'])).code).toBe(0);
      expect((await h.helm(['upgrade', 'rel', join(CHARTS, 'psp-chart'), '-n', 'demo', '--set', 'message=2'])).code).toBe(0);
      cluster.sim.setKubeVersion('v1.25.16');
      const before = await storeSnapshot(cluster);
      const r = await h.helm(['psa-clean', 'rel', '-n', 'demo', '--all-revisions', '-o', 'json']);
      expect(r.code, r.stderr).toBe(0);
      expect(await storeSnapshot(cluster)).not.toBe(before);
      const back = await h.helm(['psa-clean', 'restore', JSON.parse(r.stdout).backupDir]);
      expect(back.code, back.stderr + back.stdout).toBe(0);
      expect(await storeSnapshot(cluster)).toBe(before);
    });
  }
});
