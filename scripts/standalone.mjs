#!/usr/bin/env node
// Builds psa-clean as ONE executable with Node's single-executable-application (SEA) support,
// for machines that have helm but no node:
//   1. esbuild bundles src/cli/main.ts a second time, as CommonJS (a SEA main script must be
//      CommonJS on Node 20, and import.meta does not exist there);
//   2. `node --experimental-sea-config` turns it into a preparation blob (optionally with a V8
//      code cache);
//   3. postject injects the blob into a copy of the node binary (stripped of debug symbols).
// The blob is tied to the Node version that made it, so the same binary makes and carries it.
//
// CLI: node scripts/standalone.mjs [--out FILE] [--node PATH] [--no-code-cache] [--no-strip]
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './plugin-meta.mjs';

const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * `await import('node:crypto')` stays an import() in a CommonJS bundle (builtins are external),
 * and a SEA cannot import() at run time. Route dynamic imports of builtins through a one-line
 * CommonJS module that require()s them: esbuild then inlines the import() like any other.
 */
const builtins = new Set(builtinModules);
const builtinDynamicImports = {
  name: 'sea-builtin-dynamic-imports',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import' || !builtins.has(args.path.replace(/^node:/, ''))) return undefined;
      return { path: args.path, namespace: 'sea-builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'sea-builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/**
 * Bundles the CLI as CommonJS for a SEA. `import.meta.url` (main.ts finds the plugin root
 * with it) becomes the file URL of `__filename`, which Node sets to the executable's path
 * inside a SEA: the plugin root is then bin/.. as for dist/cli.js.
 */
export async function bundleForSea(outfile, root = ROOT) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const result = await build({
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    // Same defines/externals as scripts/build.mjs (the ESM bundle).
    define: { __PSA_CLEAN_VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__psaImportMetaUrl' },
    banner: { js: 'var __psaImportMetaUrl=require("node:url").pathToFileURL(__filename).href;' },
    external: ['pg-native'],
    plugins: [builtinDynamicImports],
    logLevel: 'silent',
  });
  // Any other import.meta use would silently become {} in CommonJS: refuse to build instead.
  const bad = result.warnings.filter((w) => /import\.meta|top-level await/i.test(w.text));
  if (bad.length) throw new Error(`the CommonJS bundle would be broken:\n${bad.map((w) => `${w.location?.file}:${w.location?.line}: ${w.text}`).join('\n')}`);
  // A SEA main script cannot import() at run time (Node 20: ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING).
  // esbuild inlines import() of bundled modules; one left over (a computed specifier, an
  // external package) would only fail when that command runs, so refuse it here.
  const left = /(?:^|[^\w$.])import\s*\(/.exec(readFileSync(outfile, 'utf8'));
  if (left) throw new Error(`the CommonJS bundle still calls import() (near offset ${left.index}): a single executable cannot load modules at run time`);
  return { outfile, version: pkg.version };
}

/** Builds the executable at `outFile`; returns its size in bytes. */
export async function buildStandalone({ outFile, node = process.execPath, codeCache = true, strip = true, root = ROOT, log = (m) => process.stderr.write(`${m}\n`) }) {
  if (process.platform === 'win32') throw new Error('standalone builds for Windows are not supported (Helm plugins here target linux and darwin)');
  const nodeBin = resolve(node);
  if (!readFileSync(nodeBin).includes(`${SEA_FUSE}:0`)) {
    throw new Error(`${nodeBin} has no single-executable-application fuse (a distribution build linked to a shared libnode?): pass --node with an official Node.js binary`);
  }
  const work = mkdtempSync(join(tmpdir(), 'psa-sea-'));
  try {
    const { version } = await bundleForSea(join(work, 'cli.cjs'), root);
    // Relative paths, run in the work folder: the blob records the main script's path, and a
    // temporary folder's random name would make every build differ.
    const config = { main: 'cli.cjs', output: 'sea.blob', disableExperimentalSEAWarning: true, useCodeCache: codeCache };
    writeFileSync(join(work, 'sea-config.json'), `${JSON.stringify(config, null, 2)}\n`);
    run(nodeBin, ['--experimental-sea-config', 'sea-config.json'], 'node --experimental-sea-config', work);

    mkdirSync(dirname(resolve(outFile)), { recursive: true });
    rmSync(outFile, { force: true });
    if (strip && process.platform === 'linux' && hasCommand('strip')) {
      // The distro's node carries ~13 MB of debug symbols; the fuse and code survive stripping.
      run('strip', ['-o', outFile, nodeBin], 'strip');
    } else {
      copyFileSync(nodeBin, outFile);
    }
    chmodSync(outFile, 0o755);
    if (process.platform === 'darwin') run('codesign', ['--remove-signature', outFile], 'codesign --remove-signature');
    const postject = createRequire(import.meta.url).resolve('postject/dist/cli.js');
    const args = [postject, outFile, 'NODE_SEA_BLOB', join(work, 'sea.blob'), '--sentinel-fuse', SEA_FUSE];
    if (process.platform === 'darwin') args.push('--macho-segment-name', 'NODE_SEA');
    run(process.execPath, args, 'postject');
    if (process.platform === 'darwin') run('codesign', ['--sign', '-', outFile], 'codesign --sign -');

    // Smoke test with an empty environment: it must run without node on PATH.
    const smoke = spawnSync(outFile, ['--version'], { env: {}, encoding: 'utf8' });
    if (smoke.status !== 0 || smoke.stdout.trim() !== version) {
      throw new Error(`the built executable does not run: exit ${smoke.status}, stdout ${JSON.stringify(smoke.stdout)}, stderr ${JSON.stringify(smoke.stderr)}`);
    }
    const size = statSync(outFile).size;
    log(`built ${outFile} (${(size / 1048576).toFixed(1)} MiB, Node ${nodeVersion(nodeBin)}, code cache ${codeCache ? 'on' : 'off'})`);
    return { file: outFile, size, version, node: nodeVersion(nodeBin), codeCache };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function run(cmd, args, what, cwd) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd });
  if (r.error || r.status !== 0) throw new Error(`${what} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  return r;
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function nodeVersion(nodeBin) {
  return execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim();
}

export function parseStandaloneFlags(argv) {
  const o = { node: process.execPath, codeCache: true, strip: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--node') o.node = argv[++i];
    else if (a === '--no-code-cache') o.codeCache = false;
    else if (a === '--no-strip') o.strip = false;
    else if (a === '--out') o.outFile = argv[++i];
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const o = parseStandaloneFlags(process.argv.slice(2));
    await buildStandalone({ ...o, outFile: o.outFile ?? join(ROOT, '.cache', 'standalone', 'psa-clean') });
  } catch (e) {
    process.stderr.write(`standalone: ${e.message}\n`);
    process.exitCode = 1;
  }
}
