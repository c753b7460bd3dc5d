// npm run bench [-- --releases N] [--revisions R] [--reps K] [--latency-ms L] [--concurrency C]
//                  [--no-helm] [--floor-only] [--reseed] [--json]
// psa-clean beside real Helm on the same kube-sim store, in one run (see docs/performance.md):
//   * dry run:  node dist/cli.js -A --dry-run -o json --kube-version v1.25.16
//               vs helm3 list -A --all --max 0 -o json and helm4 list -A --max 0 -o json
//               (every release, every status: Helm decodes every revision body either way)
//   * the same dry run through `helm psa-clean` (Helm 3), to show the plugin hop
//   * the real run (-A, writes + backups) on a fresh copy of the store
//   * with --latency-ms L: the dry run again with L ms added to every API request
//   * startup: --help (bundle, helm3/4 psa-clean) vs node -e 0; rewrite MB/s on 10 MB
//   * the floor (scripts/bench-floor.mjs): the dry run's own requests made again, same order
//     and concurrency, each body decoded completely, nothing else; alternated rep by rep with
//     the dry run (-o json and default text) so load on the machine hits all alike; the same
//     for `audit -A -o json` (its requests, its floor). --floor-only measures just these.
// Wall time = median of K runs; peak RSS from /usr/bin/time (%M); requests and bytes from
// the kube-sim counters, reset before each run. The sim runs in this process; every measured
// command is its own process. Timing only: nothing here asserts.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeSim, type KubeSim } from '../test/kube-sim/index.js';
import { seedBenchStore, type BenchSeedResult } from './bench-seed.js';
import { binaryPath } from './helm-bin.mjs';

const ROOT = join(import.meta.dirname, '..');
const TARGET = 'v1.25.16';
const SEED_VERSION = 1; // bump when bench-seed.ts changes what it writes

interface Flags {
  releases: number;
  revisions: number;
  reps: number;
  latencyMs: number;
  concurrency: number;
  helm: boolean;
  floorOnly: boolean;
  reseed: boolean;
  json: boolean;
}

function parseFlags(argv: string[]): Flags {
  const f: Flags = { releases: 2000, revisions: 10, reps: 3, latencyMs: 0, concurrency: 8, helm: true, floorOnly: false, reseed: false, json: false };
  const int = (name: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} needs an integer >= ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--releases') f.releases = int(a, argv[++i], 1);
    else if (a === '--revisions') f.revisions = int(a, argv[++i], 1);
    else if (a === '--reps') f.reps = int(a, argv[++i], 1);
    else if (a === '--latency-ms') f.latencyMs = int(a, argv[++i], 0);
    else if (a === '--concurrency') f.concurrency = int(a, argv[++i], 1);
    else if (a === '--no-helm') f.helm = false;
    else if (a === '--floor-only') f.floorOnly = true;
    else if (a === '--reseed') f.reseed = true;
    else if (a === '--json') f.json = true;
    else throw new Error(`unknown option ${a} (see the header of scripts/bench.ts)`);
  }
  return f;
}

const say = (s: string) => process.stderr.write(`bench: ${s}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

interface RunResult {
  seconds: number;
  /** User + system CPU of the process (from /usr/bin/time %U %S; NaN without it). */
  cpuSeconds: number;
  peakRssMB: number;
  exitCode: number;
  stdoutFile: string;
  stderr: string;
}

/** Runs one command under /usr/bin/time; stdout goes to a file (output can be large). */
async function runMeasured(cmd: string, args: string[], env: NodeJS.ProcessEnv, work: string): Promise<RunResult> {
  const id = Math.random().toString(36).slice(2, 8);
  const timeFile = join(work, `time-${id}`);
  const stdoutFile = join(work, `out-${id}`);
  const fd = openSync(stdoutFile, 'w');
  const useTime = existsSync('/usr/bin/time');
  const [c, a] = useTime ? ['/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const child = spawn(c, a, { env, stdio: ['ignore', fd, 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 20_000) stderr += d.toString('utf8');
  });
  const exitCode: number = await new Promise((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  closeSync(fd);
  let peakRssMB = NaN;
  let cpuSeconds = NaN;
  if (useTime && existsSync(timeFile)) {
    const [kb, user, sys] = (readFileSync(timeFile, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number);
    peakRssMB = kb / 1024;
    cpuSeconds = user + sys;
  }
  return { seconds, cpuSeconds, peakRssMB, exitCode, stdoutFile, stderr };
}

interface Measured {
  seconds: number;
  cpuSeconds: number;
  peakRssMB: number;
  requests: number;
  bytesRead: number;
  bytesWritten: number;
  writes: number;
  listPages: number;
  runs: number[];
  last: RunResult;
}

/** One measured command of a series (see measureSeries). */
interface SeriesCommand {
  label: string;
  cmd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  okCodes?: number[];
  /** Called after the first run, with the sim's request log still in place. */
  afterFirst?: () => void;
}

/**
 * K rounds of several commands against the sim, one run of each per round (so the load on a
 * shared machine falls on all of them alike), counters reset before each run; medians.
 */
async function measureSeries(sim: KubeSim, reps: number, commands: SeriesCommand[], work: string): Promise<Measured[]> {
  const acc = commands.map(() => ({ secs: [] as number[], cpu: [] as number[], rss: [] as number[], last: undefined as RunResult | undefined, counters: sim.counters(), listPages: 0 }));
  for (let i = 0; i < reps; i++) {
    for (const [j, c] of commands.entries()) {
      const a = acc[j];
      if (a.last) rmSync(a.last.stdoutFile, { force: true });
      sim.clearLog();
      const r = await runMeasured(c.cmd, c.args, c.env, work);
      if (!(c.okCodes ?? [0]).includes(r.exitCode)) throw new Error(`${c.label} exited ${r.exitCode}:\n${r.stderr.slice(0, 2000)}`);
      a.counters = sim.counters();
      a.listPages = sim.requests().filter((q) => q.method === 'GET' && /\/(secrets|configmaps)$/.test(q.path)).length;
      if (i === 0) c.afterFirst?.();
      a.secs.push(r.seconds);
      a.cpu.push(r.cpuSeconds);
      a.rss.push(r.peakRssMB);
      a.last = r;
      say(`${c.label} #${i + 1}: ${r.seconds.toFixed(2)} s (CPU ${r.cpuSeconds.toFixed(2)} s), ${r.peakRssMB.toFixed(0)} MB, ${a.counters.requests} requests, ${(a.counters.bytesOut / 1e6).toFixed(1)} MB read`);
    }
  }
  return acc.map((a) => ({
    seconds: median(a.secs), cpuSeconds: median(a.cpu), peakRssMB: median(a.rss), requests: a.counters.requests, bytesRead: a.counters.bytesOut,
    bytesWritten: a.counters.bytesIn, writes: a.counters.writes, listPages: a.listPages, runs: a.secs, last: a.last!,
  }));
}

/** K runs of one command against the sim, counters reset before each; medians. */
async function measure(label: string, sim: KubeSim, reps: number, cmd: string, args: string[], env: NodeJS.ProcessEnv, work: string, okCodes = [0]): Promise<Measured> {
  return (await measureSeries(sim, reps, [{ label, cmd, args, env, okCodes }], work))[0];
}

const STORAGE_KEY = /^sh\.helm\.release\.v1\.(.+)\.v\d+$/;

/**
 * What the floor reader replays (scripts/bench-floor.mjs): from the sim's request log of one
 * run, its metadata list request and every GET of a release record, by release, in order;
 * any other GET (an audit's RBAC and namespace lists) is replayed after them.
 */
function writeFloorPlan(sim: KubeSim, file: string): { gets: number; extra: number } {
  const log = sim.requests().filter((q) => q.method === 'GET');
  const list = log.find((q) => /^\/api\/v1\/(secrets|configmaps)$/.test(q.path));
  if (!list) throw new Error('floor: the run made no cluster-wide list of release records');
  const gets: Record<string, string[]> = {};
  const extra: Array<{ path: string; query: Record<string, string>; accept?: string }> = [];
  let n = 0;
  for (const q of log) {
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/(?:secrets|configmaps)\/([^/]+)$/.exec(q.path);
    const key = m ? STORAGE_KEY.exec(decodeURIComponent(m[2])) : null;
    if (m && key) {
      (gets[`${decodeURIComponent(m[1])}/${key[1]}`] ??= []).push(q.path);
      n++;
    } else if (q !== list && !(q.path === list.path && q.query.continue)) {
      extra.push({ path: q.path, query: q.query, ...(q.accept ? { accept: q.accept } : {}) });
    }
  }
  const { continue: _, ...listQuery } = list.query;
  writeFileSync(file, JSON.stringify({ listPath: list.path, listQuery, accept: list.accept, gets, extra }));
  return { gets: n, extra: extra.length };
}

/** Median (and min) wall time of a short command (startup), after 2 warm-ups. */
interface StartupCommand {
  name: string;
  cmd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** Median and min start-up time (s) of each command, timed by a small process of its own (scripts/startup-timer.mjs says why). */
function startupTimes(commands: StartupCommand[], rounds: number, runs: number): Record<string, { median: number; min: number }> {
  const json = execFileSync(process.execPath, [join(ROOT, 'scripts', 'startup-timer.mjs'), JSON.stringify({ rounds, runs, commands })], { encoding: 'utf8' });
  return JSON.parse(json) as Record<string, { median: number; min: number }>;
}

function helmHome(work: string, name: string, kubeconfig: string): NodeJS.ProcessEnv {
  const base = join(work, name);
  const env = {
    PATH: process.env.PATH, HOME: join(base, 'home'), KUBECONFIG: kubeconfig, HELM_DRIVER: 'secret',
    HELM_CACHE_HOME: join(base, 'cache'), HELM_CONFIG_HOME: join(base, 'config'), HELM_DATA_HOME: join(base, 'data'),
    HELM_PLUGINS: join(base, 'data', 'plugins'), NO_COLOR: '1',
  };
  mkdirSync(env.HELM_PLUGINS, { recursive: true });
  mkdirSync(env.HOME, { recursive: true });
  return env;
}

/**
 * A private copy of the node-run plugin folder (what the tarball holds): every psa-clean run
 * uses it, so a rebuild of dist/ by someone else during the bench changes nothing.
 */
function pluginCopy(work: string): string {
  const dir = join(work, 'plugin-src', 'psa-clean');
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` (npm run bench does)');
  for (const f of ['plugin.yaml', 'completion.yaml', 'dist', 'mapfiles', 'scripts/install-hook.sh']) {
    if (existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(dir, f), { recursive: true });
  }
  return dir;
}

function installPlugin(helmBin: string, env: NodeJS.ProcessEnv, pluginDir: string): void {
  execFileSync(helmBin, ['plugin', 'install', pluginDir], { env, stdio: 'ignore' });
}

async function seededStore(f: Flags): Promise<{ dir: string; seed: BenchSeedResult }> {
  const cache = join(tmpdir(), 'psa-clean-bench', `v${SEED_VERSION}-n${f.releases}-r${f.revisions}`);
  const doneFile = join(cache, 'seed.json');
  if (f.reseed) rmSync(cache, { recursive: true, force: true });
  if (!existsSync(doneFile)) {
    rmSync(cache, { recursive: true, force: true });
    const tmp = `${cache}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    say(`seeding ${f.releases} releases x ${f.revisions} revisions into ${cache} (cached for later runs)`);
    const t0 = Date.now();
    const step = Math.max(1, Math.floor(f.releases / 10));
    const seed = seedBenchStore(tmp, { releases: f.releases, revisions: f.revisions }, (n) => {
      if (n % step === 0) say(`  seeded ${n}/${f.releases} releases (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    });
    writeFileSync(join(tmp, 'seed.json'), JSON.stringify(seed));
    renameSync(tmp, cache);
  }
  return { dir: cache, seed: JSON.parse(readFileSync(doneFile, 'utf8')) as BenchSeedResult };
}

/** A sim on a private copy of the seeded store (writes never reach the cache). */
async function simOn(store: string, work: string, name: string): Promise<KubeSim> {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(store, dir, { recursive: true });
  return startKubeSim({ stateDir: dir, kubeVersion: TARGET, kubeconfigPath: join(work, `${name}.kubeconfig`) });
}

interface CleanJson {
  summary: { total: number; changed: number; unchanged: number; skipped: number; errors: number };
  releases: Array<{ chosenRevision: number | null; status: string; namespace: string }>;
}

function cleanSummary(file: string): { planned: number; changed: number; namespacesChanged: number; summary: CleanJson['summary'] } {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as CleanJson;
  return {
    planned: doc.releases.filter((r) => r.chosenRevision !== null).length, changed: doc.summary.changed,
    namespacesChanged: new Set(doc.releases.filter((r) => r.status === 'changed').map((r) => r.namespace)).size, summary: doc.summary,
  };
}

async function main(): Promise<void> {
  const f = parseFlags(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), 'psa-bench-'));
  const pluginDir = pluginCopy(work);
  const CLI = join(pluginDir, 'dist', 'cli.js');
  const machine = {
    nproc: availableParallelism(),
    node: process.version,
    cpu: (readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? 'unknown').trim(),
    memMB: Math.round(Number(readFileSync('/proc/meminfo', 'utf8').match(/MemTotal:\s+(\d+)/)?.[1] ?? 0) / 1024),
  };
  const [helm3, helm4] = f.helm ? [await binaryPath('helm', '3'), await binaryPath('helm', '4')] : [undefined, undefined];
  const out: Record<string, unknown> = { loadAverageAtStart: loadavg().map((x) => x.toFixed(2)).join(' '), releases: f.releases, revisions: f.revisions, reps: f.reps, concurrency: f.concurrency, machine };
  let sim: KubeSim | undefined;
  try {
    const { dir: store, seed } = await seededStore(f);
    Object.assign(out, {
      records: seed.records, namespaces: seed.namespaces, pspReleases: seed.pspReleases,
      avgManifestKB: round(seed.manifestBytes / seed.records / 1024, 1), avgStoredKB: round(seed.storedBytes / seed.records / 1024, 1),
    });
    sim = await simOn(store, work, 'dry');
    const cleanEnv = {
      PATH: process.env.PATH, HOME: join(work, 'home'), KUBECONFIG: sim.kubeconfigPath, HELM_DRIVER: 'secret',
      HELM_NAMESPACE: 'default', HELM_DATA_HOME: join(work, 'helm-data'), NO_COLOR: '1',
    };
    const dryArgs = [CLI, '-A', '--dry-run', '-o', 'json', '--kube-version', TARGET, '--concurrency', String(f.concurrency)];

    // ---- dry run, its floor, the text report, audit and its floor: alternated per rep ----
    const textArgs = dryArgs.filter((a, i) => a !== '-o' && dryArgs[i - 1] !== '-o');
    const auditArgs = [CLI, 'audit', '-A', '-o', 'json', '--kube-version', TARGET];
    const floorScript = join(ROOT, 'scripts', 'bench-floor.mjs');
    const floorPlanFile = join(work, 'floor-plan.json');
    const auditPlanFile = join(work, 'audit-floor-plan.json');
    const floorArgs = (plan: string) => [floorScript, sim!.url, plan, String(f.concurrency)];
    const series = await measureSeries(sim, f.reps, [
      { label: 'psa-clean dry run -o json', cmd: process.execPath, args: dryArgs, env: cleanEnv, afterFirst: () => writeFloorPlan(sim!, floorPlanFile) },
      { label: 'floor (dry run)', cmd: process.execPath, args: floorArgs(floorPlanFile), env: cleanEnv },
      { label: 'psa-clean dry run, text', cmd: process.execPath, args: textArgs, env: cleanEnv },
      { label: 'psa-clean audit -A -o json', cmd: process.execPath, args: auditArgs, env: cleanEnv, afterFirst: () => writeFloorPlan(sim!, auditPlanFile) },
      { label: 'floor (audit)', cmd: process.execPath, args: floorArgs(auditPlanFile), env: cleanEnv },
    ], work);
    const [dry, floor, text, audit, auditFloor] = series;
    const cs = cleanSummary(dry.last.stdoutFile);
    if (floor.requests !== dry.requests) throw new Error(`floor made ${floor.requests} requests, the dry run ${dry.requests}: not the same reads`);
    Object.assign(out, {
      psaCleanDryRunSeconds: round(dry.seconds), psaCleanPeakRssMB: round(dry.peakRssMB, 1), psaCleanRequests: dry.requests,
      psaCleanBytesRead: dry.bytesRead, psaCleanListPages: dry.listPages, releasesPlanned: cs.planned, releasesChanged: cs.changed,
      dryRunSummary: cs.summary,
      psaCleanCpuSeconds: round(dry.cpuSeconds), floorSeconds: round(floor.seconds), floorCpuSeconds: round(floor.cpuSeconds),
      floorPeakRssMB: round(floor.peakRssMB, 1), floorRequests: floor.requests,
      ratioVsFloor: round(dry.seconds / floor.seconds), cpuRatioVsFloor: round(dry.cpuSeconds / floor.cpuSeconds),
      psaCleanTextSeconds: round(text.seconds), psaCleanTextCpuSeconds: round(text.cpuSeconds), psaCleanTextPeakRssMB: round(text.peakRssMB, 1),
      ratioVsFloorText: round(text.seconds / floor.seconds), cpuRatioVsFloorText: round(text.cpuSeconds / floor.cpuSeconds),
      auditSeconds: round(audit.seconds), auditCpuSeconds: round(audit.cpuSeconds), auditPeakRssMB: round(audit.peakRssMB, 1), auditRequests: audit.requests,
      auditFloorSeconds: round(auditFloor.seconds), auditFloorCpuSeconds: round(auditFloor.cpuSeconds),
      auditRatioVsFloor: round(audit.seconds / auditFloor.seconds), auditCpuRatioVsFloor: round(audit.cpuSeconds / auditFloor.cpuSeconds),
      floorRuns: { dryRun: dry.runs, floor: floor.runs, text: text.runs, audit: audit.runs, auditFloor: auditFloor.runs },
    });
    for (const m of [floor, text, audit, auditFloor]) rmSync(m.last.stdoutFile, { force: true });
    if (f.floorOnly) {
      rmSync(dry.last.stdoutFile, { force: true });
      await sim.stop();
      sim = undefined;
      return finish(out, f);
    }
    if (helm3 && helm4) {
      const h3env = helmHome(work, 'helm3', sim.kubeconfigPath);
      const h4env = helmHome(work, 'helm4', sim.kubeconfigPath);
      const h3 = await measure('helm3 list', sim, f.reps, helm3, ['list', '-A', '--all', '--max', '0', '-o', 'json'], h3env, work);
      const h4 = await measure('helm4 list', sim, f.reps, helm4, ['list', '-A', '--max', '0', '-o', 'json'], h4env, work);
      const listed = (JSON.parse(readFileSync(h3.last.stdoutFile, 'utf8')) as unknown[]).length;
      Object.assign(out, {
        helm3ListSeconds: round(h3.seconds), helm4ListSeconds: round(h4.seconds),
        ratioVsHelm3: round(dry.seconds / h3.seconds), ratioVsHelm4: round(dry.seconds / h4.seconds),
        helm3PeakRssMB: round(h3.peakRssMB, 1), helm4PeakRssMB: round(h4.peakRssMB, 1),
        helm3Requests: h3.requests, helm3BytesRead: h3.bytesRead, helm4BytesRead: h4.bytesRead,
        bytesRatioVsHelm3: round(dry.bytesRead / h3.bytesRead), helm3ReleasesListed: listed,
      });
      // The same dry run as users type it: through Helm 3, which adds its own start and env.
      installPlugin(helm3, h3env, pluginDir);
      const viaHelm = await measure('helm3 psa-clean dry run', sim, f.reps, helm3, ['psa-clean', ...dryArgs.slice(1)], h3env, work);
      Object.assign(out, { helm3PluginDryRunSeconds: round(viaHelm.seconds) });
      const h4plug = helmHome(work, 'helm4-plugin', sim.kubeconfigPath);
      installPlugin(helm4, h4plug, pluginDir);
      const viaHelmHelp = startupTimes([
        { name: 'helm3', cmd: helm3, args: ['psa-clean', '--help'], env: h3env },
        { name: 'helm4', cmd: helm4, args: ['psa-clean', '--help'], env: h4plug },
      ], 1, 10);
      Object.assign(out, {
        helm3PluginHelpSeconds: round(viaHelmHelp.helm3.median),
        helm4PluginHelpSeconds: round(viaHelmHelp.helm4.median),
      });
      rmSync(h3.last.stdoutFile, { force: true });
      rmSync(h4.last.stdoutFile, { force: true });
    }
    rmSync(dry.last.stdoutFile, { force: true });

    // ---- added API latency ----
    if (f.latencyMs > 0) {
      (sim as unknown as { setLatency(ms: number): void }).setLatency(f.latencyMs);
      const slow = await measure(`psa-clean dry run, +${f.latencyMs} ms/request`, sim, f.reps, process.execPath, dryArgs, cleanEnv, work);
      (sim as unknown as { setLatency(ms: number): void }).setLatency(0);
      const sequential = (slow.requests * f.latencyMs) / 1000;
      Object.assign(out, {
        latencyMs: f.latencyMs, psaCleanLatencySeconds: round(slow.seconds), latencyGrowthSeconds: round(slow.seconds - dry.seconds),
        sequentialLatencySeconds: round(sequential), latencyGrowthBoundSeconds: round(sequential / f.concurrency),
      });
      rmSync(slow.last.stdoutFile, { force: true });
    }
    await sim.stop();
    sim = undefined;

    // ---- the real run, each rep on a fresh copy ----
    const real: number[] = [];
    const realRss: number[] = [];
    let realInfo: Record<string, unknown> = {};
    for (let i = 0; i < f.reps; i++) {
      sim = await simOn(store, work, 'real');
      const env = { ...cleanEnv, KUBECONFIG: sim.kubeconfigPath };
      const backups = join(work, `backups-${i}`);
      const m = await measure('psa-clean real run', sim, 1, process.execPath, [CLI, '-A', '-o', 'json', '--kube-version', TARGET, '--concurrency', String(f.concurrency), '--backup-dir', backups], env, work);
      real.push(m.seconds);
      realRss.push(m.peakRssMB);
      const s = cleanSummary(m.last.stdoutFile);
      // -A with --kube-version needs no /version; a real run adds one server-side dry-run
      // update per namespace with a change before its first write (issue 7's safety check).
      const constant = s.namespacesChanged;
      realInfo = {
        realRunNamespacesChanged: s.namespacesChanged,
        realRunRequests: m.requests, realRunWrites: m.writes, realRunBytesRead: m.bytesRead, realRunBytesWritten: m.bytesWritten,
        realRunListPages: m.listPages, realRunPlanned: s.planned, realRunChanged: s.changed, realRunSummary: s.summary,
        requestBound: m.listPages + s.planned + 3 * s.changed + constant,
      };
      rmSync(m.last.stdoutFile, { force: true });
      rmSync(backups, { recursive: true, force: true });
      await sim.stop();
      sim = undefined;
      rmSync(join(work, 'real'), { recursive: true, force: true });
    }
    Object.assign(out, { realRunSeconds: round(median(real)), realRunPeakRssMB: round(median(realRss), 1), ...realInfo });

    // ---- startup ----
    const bare = { PATH: process.env.PATH, HOME: join(work, 'home') };
    const t = startupTimes([
      { name: 'bare', cmd: process.execPath, args: ['-e', '0'], env: bare },
      { name: 'help', cmd: process.execPath, args: [CLI, '--help'], env: bare },
    ], 3, 9);
    const [nodeBare, help, nodeBareMin, helpMin] = [t.bare.median, t.help.median, t.bare.min, t.help.min];
    Object.assign(out, {
      helpSeconds: round(help, 4), nodeBareSeconds: round(nodeBare, 4), helpStartupRatio: round(help / nodeBare),
      helpMinSeconds: round(helpMin, 4), nodeBareMinSeconds: round(nodeBareMin, 4), helpStartupRatioMin: round(helpMin / nodeBareMin),
    });

    // ---- rewrite throughput ----
    const rw = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'rewrite-throughput.ts'), '10'], { cwd: ROOT, encoding: 'utf8' });
    // One line per document mix; the figure is the slowest mix's median (conservative).
    const mixes = [...rw.matchAll(/\(([^)]*deprecated)\): median [\d.]+ ms = ([\d.]+) MB\/s/g)].map((m) => ({ mix: m[1], mbps: Number(m[2]) }));
    if (mixes.length === 0) throw new Error(`cannot read scripts/rewrite-throughput.ts output:\n${rw}`);
    Object.assign(out, { rewriteMBps: Math.min(...mixes.map((m) => m.mbps)), rewriteMixes: mixes });
  } finally {
    if (sim) await sim.stop();
    rmSync(work, { recursive: true, force: true });
  }
  finish(out, f);
}

function finish(out: Record<string, unknown>, f: Flags): void {
  out.loadAverage = `${out.loadAverageAtStart} at start, ${loadavg().map((x) => x.toFixed(2)).join(' ')} at end`;
  if (f.json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  else process.stdout.write(report(out));
}

function report(o: Record<string, any>): string {
  const MB = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
  const ok = (c: boolean) => (c ? 'met' : 'NOT met');
  const rows: Array<[string, string, string, string]> = [];
  if (o.helm3ListSeconds !== undefined) {
    rows.push(['dry run vs helm3 list -A', `${o.psaCleanDryRunSeconds} s vs ${o.helm3ListSeconds} s = ${o.ratioVsHelm3}x`, '<= 0.5x', ok(o.ratioVsHelm3 <= 0.5)]);
    rows.push(['dry run vs helm4 list -A', `${o.psaCleanDryRunSeconds} s vs ${o.helm4ListSeconds} s = ${o.ratioVsHelm4}x`, '<= 0.5x', ok(o.ratioVsHelm4 <= 0.5)]);
    rows.push(['bytes read vs helm3', `${MB(o.psaCleanBytesRead)} vs ${MB(o.helm3BytesRead)} = ${o.bytesRatioVsHelm3}x`, '<= 0.2x', ok(o.bytesRatioVsHelm3 <= 0.2)]);
    rows.push(['peak RSS helm3 / helm4 list', `${o.helm3PeakRssMB} / ${o.helm4PeakRssMB} MB`, '(reference)', '']);
    rows.push(['helm3 psa-clean dry run (plugin)', `${o.helm3PluginDryRunSeconds} s`, '(reference)', '']);
  } else {
    rows.push(['dry run', `${o.psaCleanDryRunSeconds} s`, '(helm skipped)', '']);
  }
  rows.push(['dry run -o json vs floor', `${o.psaCleanDryRunSeconds} s vs ${o.floorSeconds} s = ${o.ratioVsFloor}x (CPU ${o.psaCleanCpuSeconds} vs ${o.floorCpuSeconds} s = ${o.cpuRatioVsFloor}x)`, '<= 1.5x', ok(o.ratioVsFloor <= 1.5)]);
  rows.push(['dry run, text report vs floor', `${o.psaCleanTextSeconds} s vs ${o.floorSeconds} s = ${o.ratioVsFloorText}x (CPU ${o.psaCleanTextCpuSeconds} s = ${o.cpuRatioVsFloorText}x)`, '<= 2.0x', ok(o.ratioVsFloorText <= 2.0)]);
  rows.push(['audit -A -o json vs its floor', `${o.auditSeconds} s vs ${o.auditFloorSeconds} s = ${o.auditRatioVsFloor}x (CPU ${o.auditCpuSeconds} vs ${o.auditFloorCpuSeconds} s), ${o.auditPeakRssMB} MB`, '(reference)', '']);
  rows.push(['peak RSS, dry run', `${o.psaCleanPeakRssMB} MB`, o.releases <= 2000 ? '<= 150 MB' : '<= 1.2x the N=2000 figure', o.releases <= 2000 ? ok(o.psaCleanPeakRssMB <= 150) : 'compare']);
  if (o.realRunSeconds === undefined) return head(o) + table(rows); // --floor-only
  if (o.latencyMs) {
    rows.push([`+${o.latencyMs} ms/request growth`, `${o.latencyGrowthSeconds} s (${o.psaCleanDryRunSeconds} -> ${o.psaCleanLatencySeconds} s)`, `<= ${o.latencyGrowthBoundSeconds} s (= ${o.sequentialLatencySeconds} s / ${o.concurrency})`, ok(o.latencyGrowthSeconds <= o.latencyGrowthBoundSeconds)]);
  }
  rows.push(['requests, dry run', `${o.psaCleanRequests} (${o.psaCleanListPages} list pages, ${o.releasesPlanned} planned, ${o.releasesChanged} changed)`, `<= ${o.psaCleanListPages + o.releasesPlanned + 3 * o.releasesChanged} + c`, ok(o.psaCleanRequests <= o.psaCleanListPages + o.releasesPlanned + 3 * o.releasesChanged)]);
  rows.push(['requests, real run', `${o.realRunRequests} (${o.realRunWrites} writes, ${o.realRunChanged} changed in ${o.realRunNamespacesChanged} namespaces)`, `<= ${o.requestBound} (incl. 1/namespace)`, ok(o.realRunRequests <= o.requestBound)]);
  rows.push(['real run (-A, writes)', `${o.realRunSeconds} s, ${o.realRunPeakRssMB} MB`, '(reference)', '']);
  rows.push(['--help vs node -e 0 (median)', `${(o.helpSeconds * 1000).toFixed(1)} ms vs ${(o.nodeBareSeconds * 1000).toFixed(1)} ms = ${o.helpStartupRatio}x`, '<= 1.5x', ok(o.helpStartupRatio <= 1.5)]);
  rows.push(['--help vs node -e 0 (min)', `${(o.helpMinSeconds * 1000).toFixed(1)} ms vs ${(o.nodeBareMinSeconds * 1000).toFixed(1)} ms = ${o.helpStartupRatioMin}x`, '<= 1.5x', ok(o.helpStartupRatioMin <= 1.5)]);
  if (o.helm3PluginHelpSeconds !== undefined) rows.push(['helm3 / helm4 psa-clean --help', `${(o.helm3PluginHelpSeconds * 1000).toFixed(0)} / ${(o.helm4PluginHelpSeconds * 1000).toFixed(0)} ms`, '(reference)', '']);
  rows.push(['rewrite, 10 MB manifest', `${o.rewriteMBps} MB/s`, '>= 50 MB/s', ok(o.rewriteMBps >= 50)]);
  return head(o) + table(rows);
}

function head(o: Record<string, any>): string {
  return `psa-clean bench: ${o.releases} releases x ${o.revisions} revisions (${o.records} records, avg manifest ${o.avgManifestKB} KB, avg stored ${o.avgStoredKB} KB), median of ${o.reps}\n` +
    `machine: ${o.machine.nproc} CPUs (${o.machine.cpu}), ${o.machine.memMB} MB RAM, Node ${o.machine.node}, load ${o.loadAverage}\n`;
}

function table(rows: Array<[string, string, string, string]>): string {
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padEnd(w[2])}  ${r[3]}`).join('\n') + '\n';
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
