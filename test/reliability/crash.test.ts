// Crash safety, twice: Secrets with real Helm 3.17 and ConfigMaps with real Helm 4.1. Helm
// installs two PSP releases (3 and 2 revisions) on kube-sim 1.24,
// then the cluster is "upgraded" to 1.25. `psa-clean -A --all-revisions` makes W = 8 write
// requests (7 committed, 1 server-side dry run). For every k in 1..W:
//   (a) kube-sim dies right after committing write k (the client never hears back), and
//   (b) psa-clean itself is SIGKILLed right after write k committed.
// Then, on the store exactly as left: every object is untouched or its intended final form,
// real `helm upgrade` works for every release psa-clean already gave a new revision (and
// `helm history` reads every release), and a re-run converges to the store an uninterrupted
// run leaves. SIGINT/SIGTERM mid-batch: the release in flight is finished or not started,
// the summary so far is printed, exit 130/143.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startKubeSim, type KubeSim, type KubeSimOptions } from '../kube-sim/index.js';
import { createHelmEnv, type HelmEnv } from '../helpers/helm-env.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { checkObjects, cli, cliEnv, consistency, history, normalizedStore, seededSim, spawnBundle, tempDir } from './harness.js';
import { tally } from './tally.js';

const CHART = join(REPO_ROOT, 'test', 'fixtures', 'charts', 'psp-chart');
const ARGS = ['-A', '--all-revisions', '--concurrency', '1', '-o', 'json', '--no-backup'];
/** One crash suite per storage driver / Helm major: the same scenario and checks. */
function defineCrashSuite(driver: 'secret' | 'configmap', major: 3 | 4, signals: boolean): void {
  describe(`crash safety (${driver} driver, Helm ${major})`, () => {
    let root: string;
    let seedDir: string;
    let kubeconfig: string;
    let h: HelmEnv;
    let before: Record<string, unknown>;
    let intended: Record<string, unknown>;
    let writes = 0;
    let committed = 0;
    /** Write requests of the reference run: 7 committed + 1 server-side dry run (one per namespace, before the first create). */
    const WRITES = 8;
    let dirN = 0;

    function copyState(from: string): string {
      const to = join(root, `state-${dirN++}`);
      cpSync(from, to, { recursive: true });
      return to;
    }
    function simOn(stateDir: string, opts: KubeSimOptions = {}): Promise<KubeSim> {
      return startKubeSim({ stateDir, kubeVersion: 'v1.25.16', kubeconfigPath: kubeconfig, ...opts });
    }
    function hasCleanRevision(store: Record<string, unknown>, release: string): boolean {
      return Object.entries(store).some(([id, v]) => id.includes(`.${release}.v`) && JSON.stringify(v).includes('Kubernetes deprecated API upgrade'));
    }

    /** Checks a crashed state: objects, helm upgrade/history on a copy, then convergence of a re-run. */
    async function checkCrashState(dir: string, label: string, appCreated: boolean): Promise<void> {
      let upgrades = 0;
      let sim = await simOn(dir);
      const state = normalizedStore(sim, driver);
      await sim.stop();
      expect(checkObjects(before, intended, state), label).toEqual([]);

      // Helm on a copy of this exact state.
      const helmDir = copyState(dir);
      sim = await simOn(helmDir);
      try {
        for (const rel of ['app', 'other']) {
          const hist = await h.helm(['history', rel, '-n', 'demo']);
          expect(hist.code, `${label}: helm history ${rel}: ${hist.stderr}`).toBe(0);
          if (hasCleanRevision(state, rel)) {
            const up = await h.helm(['upgrade', rel, CHART, '-n', 'demo', '--set', 'withPsp=false']);
            expect(up.code, `${label}: helm upgrade ${rel}: ${up.stderr}`).toBe(0);
            upgrades++;
            tally('crash', `helm upgrade in intermediate state, ${driver}/Helm ${major}`, { runs: 1, lost: 0, outcome: 'works' });
          }
        }
      } finally {
        await sim.stop();
        rmSync(helmDir, { recursive: true, force: true });
      }

      // Write 1 is app's dry run, write 2 its create: from then on app has a repaired revision
      // and helm upgrade was exercised on it.
      if (appCreated) expect(upgrades, label).toBeGreaterThan(0);

      // Re-run on the crashed state converges.
      sim = await simOn(dir);
      try {
        const again = await cli(ARGS, cliEnv(sim, driver));
        expect(again.code, `${label}: re-run: ${again.stdout}${again.stderr}`).toBe(0);
        expect(normalizedStore(sim, driver), label).toEqual(intended);
        expect(consistency(sim, driver), label).toEqual([]);
      } finally {
        await sim.stop();
      }
    }

    beforeAll(async () => {
      root = tempDir('psa-crash-');
      seedDir = join(root, 'seed');
      kubeconfig = join(root, 'kubeconfig');
      h = await createHelmEnv(major, { kubeconfig, driver });
      const sim = await startKubeSim({ stateDir: seedDir, kubeVersion: 'v1.24.17', kubeconfigPath: kubeconfig });
      const ok = async (args: string[]) => {
        const r = await h.helm(args);
        if (r.code !== 0) throw new Error(`helm ${args.join(' ')}: ${r.stderr}`);
      };
      await ok(['install', 'app', CHART, '-n', 'demo', '--create-namespace']);
      await ok(['upgrade', 'app', CHART, '-n', 'demo', '--set', 'message=two']);
      await ok(['upgrade', 'app', CHART, '-n', 'demo', '--set', 'message=three']);
      await ok(['install', 'other', CHART, '-n', 'demo']);
      await ok(['upgrade', 'other', CHART, '-n', 'demo', '--set', 'message=two']);
      await sim.stop();

      const refSim = await simOn(copyState(seedDir));
      before = normalizedStore(refSim, driver);
      refSim.clearLog();
      const r = await cli(ARGS, cliEnv(refSim, driver));
      if (r.code !== 0) throw new Error(`reference run: ${r.stdout}${r.stderr}`);
      writes = refSim.counters().writes;
      committed = refSim.requests().filter((q) => q.method !== 'GET' && !q.query.dryRun).length;
      intended = normalizedStore(refSim, driver);
      await refSim.stop();
    }, 240_000);

    afterAll(() => {
      h?.cleanup();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    describe('crash after each single write', () => {
      it('the reference run makes one create and one update per stored revision (+ one dry-run update per namespace)', () => {
        // app: create v4 + update v3,v2,v1; other: create v3 + update v2,v1.
        expect(committed).toBe(7);
        expect(writes).toBe(WRITES);
        expect(JSON.stringify(intended)).not.toBe(JSON.stringify(before));
      });

      for (let k = 1; k <= WRITES; k++) {
        it(`API server dies right after write ${k} commits: consistent, helm upgrade works, re-run converges`, async () => {
          const dir = copyState(seedDir);
          const sim = await simOn(dir, { faults: [{ killAfterWrites: k }] });
          const r = await cli(ARGS, cliEnv(sim, driver));
          await sim.stop();
          expect(r.code).toBe(1);
          expect(JSON.parse(r.stdout).summary.errors).toBeGreaterThan(0);
          await checkCrashState(dir, `server killed after write ${k}`, k >= 2);
          tally('crash', `API server killed after write k (k=1..8), ${driver}/Helm ${major}`, { runs: 1, lost: 0, outcome: 'consistent; re-run converges' });
        });
      }

      for (let k = 1; k <= WRITES; k++) {
        it(`psa-clean SIGKILLed right after write ${k} commits: consistent, helm upgrade works, re-run converges`, async () => {
          const dir = copyState(seedDir);
          let kill = () => undefined as void;
          const sim = await simOn(dir, { faults: [{ killAfterWrites: k }], onKill: () => kill() });
          const run = spawnBundle(ARGS, cliEnv(sim, driver));
          kill = () => void run.child.kill('SIGKILL');
          const r = await run.done;
          await sim.stop();
          expect(r.code, r.stdout + r.stderr).toBe(137);
          await checkCrashState(dir, `psa-clean killed after write ${k}`, k >= 2);
          tally('crash', `psa-clean SIGKILLed after write k (k=1..8), ${driver}/Helm ${major}`, { runs: 1, lost: 0, outcome: 'consistent; re-run converges' });
        });
      }
    });

    if (signals) {
    describe('SIGINT / SIGTERM / --timeout during a batch', () => {
      it('--timeout: the release in flight finishes, the rest is reported skipped, the store stays consistent', async () => {
        // 10 releases x ~6 requests x 60 ms at concurrency 1 take far more than the 500 ms limit.
        const rels = Array.from({ length: 10 }, (_, i) => history(`r${i}`, 2)).flat();
        const sim = await seededSim(driver, rels, { latencyMs: 60 });
        const before = normalizedStore(sim, driver);
        const r = await cli(['-A', '--concurrency', '1', '--no-backup', '--timeout', '500ms', '-o', 'json'], cliEnv(sim, driver));
        const out = JSON.parse(r.stdout) as { interrupted: string; releases: Array<{ name: string; status: string; skippedReason?: string }> };
        expect(out.interrupted).toBe('timeout');
        expect(out.releases.some((x) => x.status === 'skipped' && /timeout/.test(x.skippedReason ?? ''))).toBe(true);
        expect(consistency(sim, driver)).toEqual([]);
        const st = normalizedStore(sim, driver);
        for (const id of Object.keys(before)) expect(st[id], `${id} lost`).toBeDefined();
        await sim.stop();
        tally('crash', '--timeout during a batch', { runs: 1, lost: 0, outcome: 'in-flight release finished, rest skipped' });
      });

      for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
        it(`${sig}: release in flight finished or untouched, summary so far printed, exit ${code}`, async () => {
          const dir = copyState(seedDir);
          const sim = await simOn(dir, { latencyMs: 40 });
          const run = spawnBundle(['-A', '--concurrency', '1', '--no-backup'], cliEnv(sim, driver));
          // Signal as soon as the first write (app's create) reaches the server.
          await new Promise<void>((resolve) => {
            const t = setInterval(() => {
              if (sim.requests().some((q) => q.method === 'POST') || run.child.exitCode !== null) {
                clearInterval(t);
                run.child.kill(sig);
                resolve();
              }
            }, 5);
          });
          const r = await run.done;
          await sim.stop();
          expect(r.code).toBe(code);
          expect(r.stderr).toContain(`${sig} received: finishing the releases in flight, starting no new ones`);
          expect(r.stdout).toContain(`Run interrupted (${sig})`);
          expect(r.stdout).toMatch(/other.*not processed|not processed[\s\S]*other/);
          const s2 = await simOn(dir);
          const state = normalizedStore(s2, driver);
          // app finished (new revision deployed, old one superseded); other untouched.
          expect(consistency(s2, driver)).toEqual([]);
          await s2.stop();
          for (const [id, v] of Object.entries(before)) if (id.includes('.other.')) expect(state[id]).toEqual(v);
          expect(hasCleanRevision(state, 'app')).toBe(true);
          tally('crash', `${sig} during a batch`, { runs: 1, lost: 0, outcome: `in-flight release finished, rest skipped, exit ${code}` });
        });
      }
    });
    }
  });
}

defineCrashSuite('secret', 3, true);
defineCrashSuite('configmap', 4, false);
