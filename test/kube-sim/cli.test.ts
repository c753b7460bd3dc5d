// The CLI: prints its URL, writes the kubeconfig, keeps state, stops on SIGTERM, and a
// kill fault ends the process with 137.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/paths.js';
import { call, cm } from './test-client.js';

let dir: string;
let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function startCli(args: string[]): Promise<{ url: string; exit: Promise<number | null> }> {
  child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/kube-sim/main.ts'), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<number | null>((r) => child!.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child!.stderr!.on('data', (d) => (err += d));
    child!.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve({ url: line, exit });
    });
    exit.then((code) => reject(new Error(`kube-sim exited ${code}: ${err}`)));
  });
}

describe('kube-sim CLI', () => {
  it('serves on the printed URL, writes the kubeconfig, persists state and exits 0 on SIGTERM', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kube-sim-cli-'));
    const kc = join(dir, 'kubeconfig');
    const { url, exit } = await startCli(['--kube-version', 'v1.25.16-eks-3af4770', '--state', join(dir, 'state'), '--kubeconfig', kc, '--forbid', 'list:secrets']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(readFileSync(kc, 'utf8')).toContain(`server: ${url}`);
    expect((await call(url, 'GET', '/version')).json.gitVersion).toBe('v1.25.16-eks-3af4770');
    expect((await call(url, 'GET', '/api/v1/secrets')).status).toBe(403);
    expect((await call(url, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm('saved') })).status).toBe(201);
    child!.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(existsSync(join(dir, 'state', 'objects', 'core', 'configmaps', 'default', 'saved.json'))).toBe(true);
  });

  it('exits 137 right after the write a --fault kill rule names', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kube-sim-cli-'));
    const { url, exit } = await startCli(['--state', join(dir, 'state'), '--fault', 'method=POST,kill=1']);
    await expect(call(url, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm('last') })).rejects.toThrow();
    expect(await exit).toBe(137);
    expect(existsSync(join(dir, 'state', 'objects', 'core', 'configmaps', 'default', 'last.json'))).toBe(true);
  });

  it('refuses an invalid version with exit code 2', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kube-sim-cli-'));
    await expect(startCli(['--kube-version', 'banana'])).rejects.toThrow(/exited 2: kube-sim: invalid Kubernetes version "banana"/);
  });
});
