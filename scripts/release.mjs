#!/usr/bin/env node
// npm run release [-- --out DIR] [--no-build] [--node PATH] [--no-code-cache] [--no-strip]
// Builds every asset of a release into release/ (git-ignored):
//   psa-clean-<version>.tgz                  node-run plugin (any OS with node >= 20)
//   psa-clean-<version>-<os>-<arch>.tgz      standalone plugin for THIS platform (no node needed)
//   SHA256SUMS                               `sha256sum -c` format, over every .tgz in the folder
// It fails before building anything when plugin.yaml's version differs from package.json's.
// Standalone tarballs for other platforms are built by running this on those platforms and
// copying their .tgz into the same folder; rerun with --sums-only to rewrite SHA256SUMS.
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageNodePlugin, packageStandalonePlugin } from './package.mjs';
import { checkedVersion, ROOT } from './plugin-meta.mjs';
import { parseStandaloneFlags } from './standalone.mjs';

async function sha256(file) {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk);
  return h.digest('hex');
}

/** Writes SHA256SUMS for every .tgz in dir (sorted); returns its text. */
export async function writeChecksums(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.tgz')).sort();
  let text = '';
  for (const f of files) text += `${await sha256(join(dir, f))}  ${f}\n`;
  writeFileSync(join(dir, 'SHA256SUMS'), text);
  return text;
}

export async function release({ outDir = join(ROOT, 'release'), sea = {}, build = true, sumsOnly = false, log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const version = checkedVersion(ROOT);
  mkdirSync(outDir, { recursive: true });
  const assets = [];
  if (!sumsOnly) {
    // Old assets of another version in the same folder would end up in SHA256SUMS.
    for (const f of readdirSync(outDir)) if (f.endsWith('.tgz') && !f.startsWith(`psa-clean-${version}`)) rmSync(join(outDir, f));
    assets.push(await packageNodePlugin({ outDir, build }));
    log(`release: ${basename(assets[0].file)}`);
    assets.push(await packageStandalonePlugin({ outDir, ...sea }));
    log(`release: ${basename(assets[1].file)}`);
  }
  const sums = await writeChecksums(outDir);
  log(`release: SHA256SUMS\n${sums}`);
  return { version, outDir, assets, sums };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const argv = process.argv.slice(2);
    let outDir;
    let sumsOnly = false;
    let build = true;
    const rest = [];
    for (let i = 0; i < argv.length; i++) {
      if (argv[i] === '--out') outDir = resolve(argv[++i] ?? '');
      else if (argv[i] === '--sums-only') sumsOnly = true;
      else if (argv[i] === '--no-build') build = false;
      else rest.push(argv[i]);
    }
    const { version, outDir: dir } = await release({ outDir, sea: parseStandaloneFlags(rest), build, sumsOnly });
    process.stdout.write(`psa-clean ${version}: release assets in ${dir}\n`);
  } catch (e) {
    process.stderr.write(`release: ${e.message}\n`);
    process.exitCode = 1;
  }
}
