// `npm run demo`: the seed scenario as a transcript, with nothing but this checkout.
// A kube-sim "cluster" at Kubernetes 1.24 on a temp state dir, an isolated Helm 3 with the
// built plugin, four sample releases; the cluster is restarted as 1.25, `helm upgrade`
// breaks, `helm psa-clean` repairs, `helm upgrade` works again. No network; cleans up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startKubeSim, type KubeSim } from '../test/kube-sim/index.js';
import { createHelmEnv, type HelmEnv, type RunResult } from '../test/helpers/helm-env.js';
import { installBuiltPlugin } from '../test/helpers/plugin.js';
import { REPO_ROOT } from '../test/helpers/paths.js';

const CHARTS = join(REPO_ROOT, 'test', 'fixtures', 'charts');
const chart = (name: string) => join(CHARTS, name);
const shown = (arg: string) => (arg.startsWith(CHARTS) ? `./${relative(REPO_ROOT, arg)}` : arg);
const out = (s: string) => process.stdout.write(s);

class DemoFailure extends Error {}

function banner(text: string): void {
  out(`\n### ${text}\n\n`);
}

async function step(h: HelmEnv, args: string[], expectCode: number | 'nonzero'): Promise<RunResult> {
  out(`$ helm ${args.map(shown).join(' ')}\n`);
  const r = await h.helm(args);
  if (r.stdout) out(r.stdout.endsWith('\n') ? r.stdout : r.stdout + '\n');
  if (r.stderr) out(r.stderr.endsWith('\n') ? r.stderr : r.stderr + '\n');
  out(`[exit ${r.code}]\n\n`);
  const ok = expectCode === 'nonzero' ? r.code !== 0 : r.code === expectCode;
  if (!ok) throw new DemoFailure(`helm ${args.join(' ')} exited ${r.code}, expected ${expectCode}`);
  return r;
}

async function main(): Promise<number> {
  const stateDir = mkdtempSync(join(tmpdir(), 'psa-demo-state-'));
  const kubeconfigPath = join(stateDir, 'kubeconfig');
  let sim: KubeSim | undefined;
  let h: HelmEnv | undefined;
  try {
    sim = await startKubeSim({ kubeVersion: 'v1.24.17', stateDir, kubeconfigPath });
    h = await createHelmEnv(3, { kubeconfig: kubeconfigPath });
    await installBuiltPlugin(h);
    banner(`A Kubernetes v1.24.17 cluster (kube-sim at ${sim.url}), Helm 3.17.2, the psa-clean plugin`);
    await step(h, ['version', '--short'], 0);
    await step(h, ['plugin', 'list'], 0);

    banner('Install four releases while the cluster still serves policy/v1beta1 PodSecurityPolicy');
    await step(h, ['install', 'web', chart('psp-chart'), '-n', 'team-a', '--create-namespace'], 0);
    await step(h, ['install', 'jobs', chart('psp-hook-chart'), '-n', 'team-a'], 0);
    await step(h, ['install', 'api', chart('clean-chart'), '-n', 'team-a'], 0);
    await step(h, ['install', 'batch', chart('psp-chart'), '-n', 'team-b', '--create-namespace'], 0);
    await step(h, ['list', '-A'], 0);

    banner('The cluster is upgraded to Kubernetes v1.25.16: PodSecurityPolicy is gone');
    await sim.stop();
    sim = await startKubeSim({ kubeVersion: 'v1.25.16', stateDir, kubeconfigPath });
    out(`(kube-sim restarted on the same state as v1.25.16 at ${sim.url})\n\n`);
    const broken = await step(h, ['upgrade', 'web', chart('psp-chart'), '-n', 'team-a', '--set', 'withPsp=false'], 'nonzero');
    if (!broken.stderr.includes('no matches for kind "PodSecurityPolicy" in version "policy/v1beta1"')) {
      throw new DemoFailure('helm upgrade failed, but not with the removed-API error');
    }

    banner('psa-clean: look first (dry run: diffs, nothing is written)');
    await step(h, ['psa-clean', '-A', '--dry-run'], 0);

    banner('psa-clean: repair every release in every namespace');
    await step(h, ['psa-clean', '-A'], 0);
    await step(h, ['history', 'web', '-n', 'team-a'], 0);

    banner('Helm manages the releases again');
    await step(h, ['upgrade', 'web', chart('psp-chart'), '-n', 'team-a', '--set', 'withPsp=false'], 0);
    await step(h, ['uninstall', 'jobs', '-n', 'team-a'], 0);
    await step(h, ['psa-clean', '-A', '--detailed-exitcode'], 0);
    out('Demo finished: every step behaved as expected.\n');
    return 0;
  } catch (e) {
    process.stderr.write(`demo failed: ${e instanceof DemoFailure ? e.message : (e as Error).stack ?? String(e)}\n`);
    return 1;
  } finally {
    await sim?.stop().catch(() => undefined);
    h?.cleanup();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
