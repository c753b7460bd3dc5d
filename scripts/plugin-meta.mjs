// What a packaged plugin is made of, shared by package.mjs, standalone.mjs and release.mjs:
// the version check, Helm's os/arch names, the archive's file list and its fixed timestamp.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseDocument } from 'yaml';
import { entriesFromDir, fileEntry } from './tar.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PLUGIN_NAME = 'psa-clean';

// semver 2.0.0 (Helm 4 refuses anything else, e.g. a leading "v").
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** Returns the version after checking plugin.yaml's name/version against package.json; throws otherwise. */
export function checkedVersion(root = ROOT) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const plugin = parse(readFileSync(join(root, 'plugin.yaml'), 'utf8'));
  const pluginVersion = String(plugin?.version ?? '');
  if (plugin?.name !== PLUGIN_NAME) throw new Error(`plugin.yaml: name is ${JSON.stringify(plugin?.name)}, expected "${PLUGIN_NAME}"`);
  if (pluginVersion !== pkg.version) {
    throw new Error(`version mismatch: plugin.yaml has ${JSON.stringify(pluginVersion)}, package.json has ${JSON.stringify(pkg.version)}; make them equal`);
  }
  if (!SEMVER.test(pluginVersion)) throw new Error(`version ${JSON.stringify(pluginVersion)} is not strict semver (no leading "v"): Helm 4 would ignore the plugin`);
  return pluginVersion;
}

/** Helm's os/arch names (as in its release file names) for a Node platform/arch. */
export function helmPlatform(platform = process.platform, arch = process.arch) {
  const os = { linux: 'linux', darwin: 'darwin' }[platform];
  const a = { x64: 'amd64', arm64: 'arm64' }[arch];
  if (!os || !a) throw new Error(`no standalone build for ${platform}/${arch}: supported are linux and darwin on x64 and arm64`);
  return { os, arch: a };
}

/** Archive timestamp: SOURCE_DATE_EPOCH, else the HEAD commit time, else 0 (never "now": builds must repeat). */
export function archiveMtime(root = ROOT, env = process.env) {
  if (env.SOURCE_DATE_EPOCH && /^\d+$/.test(env.SOURCE_DATE_EPOCH)) return Number(env.SOURCE_DATE_EPOCH);
  try {
    const out = execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (/^\d+$/.test(out)) return Number(out);
  } catch {
    // not a git checkout (e.g. an unpacked source tarball)
  }
  return 0;
}

/** Files every installed plugin carries besides its runner: completion, mapfiles, README, LICENSE. */
export function commonEntries(root, top) {
  const entries = [{ path: top, type: 'dir' }, fileEntry(`${top}/completion.yaml`, join(root, 'completion.yaml'), 0o644)];
  if (existsSync(join(root, 'mapfiles'))) entries.push(...entriesFromDir(join(root, 'mapfiles'), `${top}/mapfiles`));
  for (const f of ['README.md', 'LICENSE']) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing: a release must carry it`);
    entries.push(fileEntry(`${top}/${f}`, join(root, f), 0o644));
  }
  return entries;
}

/** The node-run plugin: plugin.yaml as is, the bundle (top-level files of dist/), the install hook. */
export function nodePluginEntries(root, top) {
  const dist = join(root, 'dist');
  if (!existsSync(join(dist, 'cli.js'))) throw new Error('dist/cli.js is missing: run npm run build first');
  const entries = [...commonEntries(root, top), fileEntry(`${top}/plugin.yaml`, join(root, 'plugin.yaml'), 0o644), { path: `${top}/dist`, type: 'dir' }];
  // Only dist's own files (cli.js, its map, legal notes): build caches in sub-folders stay out.
  for (const name of readdirSync(dist).sort()) {
    if (statSync(join(dist, name)).isFile()) entries.push(fileEntry(`${top}/dist/${name}`, join(dist, name), 0o644));
  }
  entries.push({ path: `${top}/scripts`, type: 'dir' }, fileEntry(`${top}/scripts/install-hook.sh`, join(root, 'scripts/install-hook.sh'), 0o755));
  return entries;
}

/**
 * plugin.yaml of the standalone plugin: same name, version and help, but `command` runs the
 * executable itself (Helm execs it directly, no shell, no node) and there is no install hook.
 */
export function standalonePluginYaml(root = ROOT) {
  const doc = parseDocument(readFileSync(join(root, 'plugin.yaml'), 'utf8'));
  doc.set('command', '$HELM_PLUGIN_DIR/bin/psa-clean');
  doc.delete('hooks');
  doc.delete('platformCommand');
  return Buffer.from(doc.toString({ lineWidth: 0 }));
}
