#!/usr/bin/env node
// npm run measure-startup [-- --runs N] [--json] [--no-standalone] [--no-build]
// Start-up cost of `--help`, median wall time of N runs (after 2 warm-up runs) of:
//   node -e 0                          the floor: a bare Node.js start
//   node dist/cli.js --help            the node-run bundle
//   bin/psa-clean --help               the standalone executable, with and without V8 code cache
//   helm version --short               Helm's own start-up (Helm 3 and 4), for reference
//   helm psa-clean --help              the plugin through Helm 3 and Helm 4 (isolated homes),
//                                      node-run and standalone
// Each row also shows its ratio to `node -e 0`, and (Linux) the mean CPU time per run of the
// process tree, which other load on the machine disturbs far less than wall time.
// Timing only: nothing here asserts.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binaryPath } from './helm-bin.mjs';
import { ROOT, standalonePluginYaml } from './plugin-meta.mjs';
import { buildStandalone } from './standalone.mjs';

function parseFlags(argv) {
  const o = { runs: 15, json: false, standalone: true, build: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--json') o.json = true;
    else if (a === '--no-standalone') o.standalone = false;
    else if (a === '--no-build') o.build = false;
    else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error('--runs needs a positive integer');
  return o;
}

function timeOnce(cmd, args, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  return ms;
}

/**
 * CPU time (user + system) of all reaped children so far, in ms, from /proc/self/stat
 * (Linux; undefined elsewhere). Unlike wall time it barely moves when other work shares the
 * cores, and it includes grandchildren (helm's plugin process) once they are reaped.
 */
function childrenCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17, in clock ticks.
    const ticks = Number(fields[13]) + Number(fields[14]);
    return (ticks * 1000) / CLK_TCK;
  } catch {
    return undefined;
  }
}
const CLK_TCK = 100; // sysconf(_SC_CLK_TCK) on every Linux architecture Node supports

function measure(label, cmd, args, env, runs) {
  for (let i = 0; i < 2; i++) timeOnce(cmd, args, env); // page cache, helm's plugin scan
  const cpu0 = childrenCpuMs();
  const samples = Array.from({ length: runs }, () => timeOnce(cmd, args, env)).sort((a, b) => a - b);
  const cpu1 = childrenCpuMs();
  const median = samples.length % 2 ? samples[(samples.length - 1) / 2] : (samples[samples.length / 2 - 1] + samples[samples.length / 2]) / 2;
  const cpuMean = cpu0 === undefined || cpu1 === undefined ? undefined : (cpu1 - cpu0) / runs;
  return { label, median, min: samples[0], max: samples.at(-1), cpuMean, runs };
}

/** An isolated Helm home with one plugin folder installed (by symlink, as Helm does). */
function helmEnv(root, major, helmBin, pluginDir) {
  const base = join(root, `helm${major}-${Math.random().toString(36).slice(2, 8)}`);
  const env = {
    PATH: process.env.PATH,
    HOME: join(base, 'home'),
    HELM_CACHE_HOME: join(base, 'cache'),
    HELM_CONFIG_HOME: join(base, 'config'),
    HELM_DATA_HOME: join(base, 'data'),
    HELM_PLUGINS: join(base, 'data', 'plugins'),
    KUBECONFIG: join(base, 'no-kubeconfig'),
  };
  mkdirSync(env.HELM_PLUGINS, { recursive: true });
  mkdirSync(env.HOME, { recursive: true });
  execFileSync(helmBin, ['plugin', 'install', pluginDir], { env, stdio: 'ignore' });
  return env;
}

async function main() {
  const o = parseFlags(process.argv.slice(2));
  if (o.build) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: ['ignore', 2, 2] });
  const work = mkdtempSync(join(tmpdir(), 'psa-startup-'));
  const rows = [];
  const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? work };
  try {
    // The node-run plugin folder (what the tarball holds).
    const nodePlugin = join(work, 'node', 'psa-clean');
    for (const f of ['plugin.yaml', 'completion.yaml', 'dist', 'mapfiles', 'scripts/install-hook.sh']) {
      if (existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(nodePlugin, f), { recursive: true });
    }
    rows.push(measure('node -e 0', process.execPath, ['-e', '0'], env, o.runs));
    rows.push(measure('node dist/cli.js --help', process.execPath, [join(nodePlugin, 'dist', 'cli.js'), '--help'], env, o.runs));

    let standalonePlugin;
    let exeInfo;
    if (o.standalone) {
      const quiet = () => {};
      const noCache = join(work, 'nocache', 'psa-clean');
      const noCacheInfo = await buildStandalone({ outFile: noCache, codeCache: false, log: quiet });
      standalonePlugin = join(work, 'standalone', 'psa-clean');
      mkdirSync(join(standalonePlugin, 'bin'), { recursive: true });
      writeFileSync(join(standalonePlugin, 'plugin.yaml'), standalonePluginYaml());
      if (existsSync(join(ROOT, 'mapfiles'))) cpSync(join(ROOT, 'mapfiles'), join(standalonePlugin, 'mapfiles'), { recursive: true });
      exeInfo = await buildStandalone({ outFile: join(standalonePlugin, 'bin', 'psa-clean'), codeCache: true, log: quiet });
      rows.push(measure('bin/psa-clean --help (code cache)', exeInfo.file, ['--help'], env, o.runs));
      rows.push(measure('bin/psa-clean --help (no code cache)', noCacheInfo.file, ['--help'], env, o.runs));
    }

    for (const major of ['3', '4']) {
      const helmBin = await binaryPath('helm', major);
      const hn = helmEnv(work, major, helmBin, nodePlugin);
      rows.push(measure(`helm${major} version --short`, helmBin, ['version', '--short'], hn, o.runs));
      rows.push(measure(`helm${major} psa-clean --help (node)`, helmBin, ['psa-clean', '--help'], hn, o.runs));
      if (standalonePlugin) {
        const hs = helmEnv(work, major, helmBin, standalonePlugin);
        rows.push(measure(`helm${major} psa-clean --help (standalone)`, helmBin, ['psa-clean', '--help'], hs, o.runs));
      }
    }

    const floor = rows[0].median;
    const cpuFloor = rows[0].cpuMean;
    for (const r of rows) {
      r.ratioToNode = r.median / floor;
      if (cpuFloor) r.cpuRatioToNode = r.cpuMean / cpuFloor;
    }
    const result = { node: process.version, platform: `${process.platform}/${process.arch}`, runs: o.runs, executableSize: exeInfo?.size, rows };
    if (o.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      const w = Math.max(...rows.map((r) => r.label.length));
      process.stdout.write(`start-up, median of ${o.runs} runs (Node ${process.version}, ${result.platform})\n`);
      process.stdout.write(`${'command'.padEnd(w)}  median ms   min ms   max ms  x node -e 0  cpu ms/run  cpu x node\n`);
      const cpu = (v, d) => (v === undefined ? '-' : v.toFixed(d));
      for (const r of rows) {
        process.stdout.write(
          `${r.label.padEnd(w)}  ${r.median.toFixed(1).padStart(9)}  ${r.min.toFixed(1).padStart(7)}  ${r.max.toFixed(1).padStart(7)}  ${r.ratioToNode.toFixed(2).padStart(11)}  ${cpu(r.cpuMean, 1).padStart(10)}  ${cpu(r.cpuRatioToNode, 2).padStart(10)}\n`,
        );
      }
      if (exeInfo) process.stdout.write(`standalone executable: ${(exeInfo.size / 1048576).toFixed(1)} MiB (${exeInfo.size} bytes)\n`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    process.stderr.write(`measure-startup: ${e.message}\n`);
    process.exitCode = 1;
  });
}
