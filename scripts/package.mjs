#!/usr/bin/env node
// npm run package [-- options]
//   (default)      psa-clean-<version>.tgz: the node-run plugin (plugin.yaml, dist/, mapfiles/,
//                  completion.yaml, scripts/install-hook.sh, README.md, LICENSE)
//   --standalone   psa-clean-<version>-<os>-<arch>.tgz: the same plugin with a single
//                  executable (bin/psa-clean, Node SEA) instead of dist/: needs no node
//   --out DIR      where to write (default: the project root)
//   --no-build     use the existing dist/ instead of running npm run build first
//   --node PATH, --no-code-cache, --no-strip   passed to the standalone build
//   --json         print what was written as JSON on stdout
// Every archive has one top folder psa-clean/ (Helm 4 installs a local .tgz only with
// <name>/plugin.yaml inside) and is byte-for-byte reproducible (sorted entries, fixed mtime).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { archiveMtime, checkedVersion, commonEntries, helmPlatform, nodePluginEntries, PLUGIN_NAME, ROOT, standalonePluginYaml } from './plugin-meta.mjs';
import { buildStandalone, parseStandaloneFlags } from './standalone.mjs';
import { fileEntry, writeTarGz } from './tar.mjs';

/** Writes the node-run plugin tarball into outDir; returns its path. */
export async function packageNodePlugin({ outDir = ROOT, build = true, root = ROOT } = {}) {
  const version = checkedVersion(root);
  if (build) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: ['ignore', 2, 2] });
  const file = join(outDir, `${PLUGIN_NAME}-${version}.tgz`);
  mkdirSync(outDir, { recursive: true });
  await writeTarGz(file, nodePluginEntries(root, PLUGIN_NAME), { mtime: archiveMtime(root) });
  return { kind: 'node', file, size: statSync(file).size, version };
}

/** Builds the single executable and writes the standalone plugin tarball; returns its path. */
export async function packageStandalonePlugin({ outDir = ROOT, root = ROOT, node, codeCache = true, strip = true } = {}) {
  const version = checkedVersion(root);
  const { os, arch } = helmPlatform();
  const work = mkdtempSync(join(tmpdir(), 'psa-standalone-'));
  try {
    const exe = join(work, PLUGIN_NAME);
    const built = await buildStandalone({ outFile: exe, node, codeCache, strip, root });
    const top = PLUGIN_NAME;
    const entries = [
      ...commonEntries(root, top),
      { path: `${top}/plugin.yaml`, type: 'file', mode: 0o644, data: standalonePluginYaml(root) },
      { path: `${top}/bin`, type: 'dir' },
      fileEntry(`${top}/bin/${PLUGIN_NAME}`, exe, 0o755),
    ];
    const file = join(outDir, `${PLUGIN_NAME}-${version}-${os}-${arch}.tgz`);
    mkdirSync(outDir, { recursive: true });
    await writeTarGz(file, entries, { mtime: archiveMtime(root) });
    return { kind: 'standalone', file, size: statSync(file).size, version, os, arch, executableSize: built.size, node: built.node, codeCache };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function parseFlags(argv) {
  const o = { standalone: false, build: true, json: false, outDir: ROOT, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--standalone') o.standalone = true;
    else if (a === '--no-build') o.build = false;
    else if (a === '--json') o.json = true;
    else if (a === '--out') o.outDir = resolve(argv[++i] ?? '');
    else if (a === '--node') o.rest.push(a, argv[++i]);
    else o.rest.push(a);
  }
  return { ...o, sea: parseStandaloneFlags(o.rest) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const o = parseFlags(process.argv.slice(2));
    const result = o.standalone
      ? await packageStandalonePlugin({ outDir: o.outDir, node: o.sea.node, codeCache: o.sea.codeCache, strip: o.sea.strip })
      : await packageNodePlugin({ outDir: o.outDir, build: o.build });
    if (o.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else process.stderr.write(`wrote ${result.file} (${(result.size / 1048576).toFixed(2)} MiB)\n`);
  } catch (e) {
    process.stderr.write(`package: ${e.message}\n`);
    process.exitCode = 1;
  }
}
