// node --import tsx scripts/measure-qps.ts [--releases N] [--qps Q] [--burst B] [--via-helm]
// Measures (never asserts) the Kubernetes API request rate of `psa-clean -A --dry-run` under
// Helm's client-side throttling: N seeded releases (2 revisions, half with a PSP) on kube-sim,
// the built bundle run with HELM_QPS=Q HELM_BURST_LIMIT=B (or real Helm 3 with --qps/--burst-limit
// when --via-helm), and the arrival times from kube-sim's request log. `npm run build` first.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startKubeSim } from '../test/kube-sim/index.js';
import { seedReleases } from '../test/kube-sim/seed.js';
import { createHelmEnv } from '../test/helpers/helm-env.js';
import { installBuiltPlugin } from '../test/helpers/plugin.js';

const { values } = parseArgs({
  options: {
    releases: { type: 'string', default: '200' }, qps: { type: 'string', default: '5' },
    burst: { type: 'string', default: '5' }, 'via-helm': { type: 'boolean', default: false },
  },
});
const ROOT = join(import.meta.dirname, '..');
const sim = await startKubeSim({ kubeVersion: 'v1.25.16' });
const home = mkdtempSync(join(tmpdir(), 'psa-qps-'));
try {
  await seedReleases(sim, { releases: Number(values.releases), revisions: 2, namespaces: 4, pspFraction: 0.5, hookFraction: 0.3, seed: 15 });
  let cmd: string;
  let args: string[];
  let env: NodeJS.ProcessEnv;
  if (values['via-helm']) {
    const h = await createHelmEnv(3, { kubeconfig: sim.kubeconfigPath, driver: 'secret' });
    await installBuiltPlugin(h);
    cmd = h.helmBin;
    args = ['psa-clean', '-A', '--dry-run', '-o', 'json', '--qps', values.qps!, '--burst-limit', values.burst!];
    env = h.env;
  } else {
    cmd = process.execPath;
    args = [join(ROOT, 'dist', 'cli.js'), '-A', '--dry-run', '-o', 'json'];
    env = {
      PATH: process.env.PATH, HOME: home, KUBECONFIG: sim.kubeconfigPath, HELM_DRIVER: 'secret', HELM_NAMESPACE: 'default',
      HELM_DATA_HOME: join(home, 'helm'), HELM_QPS: values.qps, HELM_BURST_LIMIT: values.burst,
    };
  }
  sim.clearLog();
  const started = Date.now();
  const code = await new Promise<number>((resolve) => {
    const c = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    c.on('close', (n) => resolve(n ?? -1));
  });
  const wall = (Date.now() - started) / 1000;
  const log = sim.requests();
  const t = log.map((r) => r.receivedAt).sort((a, b) => a - b);
  const span = (t[t.length - 1] - t[0]) / 1000;
  const burst = Number(values.burst) || 10;
  // Requests after the initial burst over the time they took: the sustained rate.
  const after = t.length > burst ? (t.length - burst) / ((t[t.length - 1] - t[burst - 1]) / 1000) : NaN;
  let maxInOneSecond = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i] - t[j] >= 1000) j++;
    maxInOneSecond = Math.max(maxInOneSecond, i - j + 1);
  }
  console.log(JSON.stringify({
    releases: Number(values.releases), qps: Number(values.qps), burst: Number(values.burst), viaHelm: values['via-helm'], exit: code,
    requests: t.length, firstToLastS: +span.toFixed(2), wallS: +wall.toFixed(2), overallPerS: +(t.length / span).toFixed(2),
    sustainedAfterBurstPerS: +after.toFixed(2), maxInAnyOneSecondWindow: maxInOneSecond,
  }));
} finally {
  await sim.stop();
  rmSync(home, { recursive: true, force: true });
}
