// Runs the built bundle (dist/cli.js) directly against a kube-sim, with only the environment
// Helm would give it: tests that need many runs skip the `helm` wrapper's start-up.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BUNDLE, REPO_ROOT } from './paths.js';

export interface BundleResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runBundleOn(sim: { kubeconfigPath: string }, home: string, args: string[]): Promise<BundleResult> {
  return new Promise((resolve) => {
    const env = {
      PATH: process.env.PATH, HOME: home, KUBECONFIG: sim.kubeconfigPath, HELM_DRIVER: 'secret',
      HELM_NAMESPACE: 'default', HELM_DATA_HOME: join(home, 'helm'), NO_COLOR: '1',
    };
    const c = spawn(process.execPath, [BUNDLE, ...args], { env, cwd: REPO_ROOT });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    c.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
