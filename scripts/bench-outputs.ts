// node --import tsx scripts/bench-outputs.ts OUT_DIR [--releases N] [--revisions R] [--cli PATH] [--only a,b]
// Writes every report of a dry run and of `audit -A` on the bench store (scripts/bench.ts
// seeds and caches it; run the bench once first) to OUT_DIR, one file per format, so two
// builds can be compared byte for byte (`cmp -s`, see scripts/bench-compare.sh):
//   clean-json, clean-yaml, clean-text (default text report with diffs), clean-json-ctx0
//   (-C 0), clean-json-secrets (--show-secrets), audit-json, audit-yaml, audit-text.
// Each command runs against a fresh private copy of the store, in its own process.
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startKubeSim } from '../test/kube-sim/index.js';

const ROOT = join(import.meta.dirname, '..');
const TARGET = 'v1.25.16';
const argv = process.argv.slice(2);
const outDir = argv[0];
if (!outDir || outDir.startsWith('--')) throw new Error('usage: bench-outputs.ts OUT_DIR [--releases N] [--revisions R] [--cli PATH]');
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const releases = Number(opt('--releases', '2000'));
const revisions = Number(opt('--revisions', '10'));
const cli = resolve(opt('--cli', join(ROOT, 'dist', 'cli.js')));
const store = join(tmpdir(), 'psa-clean-bench', `v1-n${releases}-r${revisions}`);
if (!existsSync(join(store, 'seed.json'))) throw new Error(`no bench store at ${store}: run npm run bench first`);
mkdirSync(outDir, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'psa-outputs-'));

const runs: Array<[string, string[]]> = [
  ['clean-json', ['-A', '--dry-run', '-o', 'json', '--kube-version', TARGET]],
  ['clean-yaml', ['-A', '--dry-run', '-o', 'yaml', '--kube-version', TARGET]],
  ['clean-text', ['-A', '--dry-run', '--kube-version', TARGET]],
  ['clean-json-ctx0', ['-A', '--dry-run', '-o', 'json', '-C', '0', '--kube-version', TARGET]],
  ['clean-json-secrets', ['-A', '--dry-run', '-o', 'json', '--show-secrets', '--kube-version', TARGET]],
  ['audit-json', ['audit', '-A', '-o', 'json', '--kube-version', TARGET]],
  ['audit-yaml', ['audit', '-A', '-o', 'yaml', '--kube-version', TARGET]],
  ['audit-text', ['audit', '-A', '--kube-version', TARGET]],
];
const only = opt('--only', '');
try {
  // One sim for all: every command here is read-only (a dry run and audit write nothing).
  const dir = join(work, 'state');
  cpSync(store, dir, { recursive: true });
  const sim = await startKubeSim({ stateDir: dir, kubeVersion: TARGET, kubeconfigPath: join(work, 'kubeconfig') });
  try {
    for (const [name, args] of runs) {
      if (only && !only.split(',').includes(name)) continue;
      const env = {
        PATH: process.env.PATH, HOME: join(work, 'home'), KUBECONFIG: sim.kubeconfigPath, HELM_DRIVER: 'secret',
        HELM_NAMESPACE: 'default', HELM_DATA_HOME: join(work, 'helm-data'), NO_COLOR: '1',
      };
      const fd = openSync(join(outDir, name), 'w');
      // spawnSync would block the sim in this process: run it asynchronously.
      const code = await new Promise<number>((res) => {
        const c = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', fd, 'inherit'] });
        c.on('close', (k) => res(k ?? -1));
      });
      closeSync(fd);
      writeFileSync(join(outDir, `${name}.exit`), `${code}\n`);
      process.stderr.write(`bench-outputs: ${name}: exit ${code}\n`);
    }
  } finally {
    await sim.stop();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
