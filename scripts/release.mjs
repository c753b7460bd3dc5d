#!/usr/bin/env node
// npm run release [-- --out DIR] [--no-build] [--node PATH] [--no-code-cache] [--no-strip]
//                    [--sign --key NAME [--keyring FILE] [--passphrase-file FILE]] [--sums-only]
// Builds every asset of a release into release/ (git-ignored):
//   psa-clean-<version>.tgz                  node-run plugin (any OS with node >= 20)
//   psa-clean-<version>-<os>-<arch>.tgz      standalone plugin for THIS platform (no node needed)
//   <tarball>.prov                           with --sign: Helm 4 provenance for each .tgz
//   psa-clean-keyring.gpg                    with --sign: the signing public key (binary keyring)
//   SHA256SUMS                               `sha256sum -c` format, over all of the above
// It fails before building anything when plugin.yaml's version differs from package.json's.
// Standalone tarballs for other platforms are built by running this on those platforms and
// copying their .tgz into the same folder; rerun with --sums-only (and --sign) to sign them
// and rewrite SHA256SUMS. --key/--keyring/--passphrase-file mean what they mean for
// `helm plugin package --sign` (a key name; a file of exported secret keys; its passphrase);
// without --keyring the user's own GnuPG keys are used. Signing needs gpg.
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageNodePlugin, packageStandalonePlugin } from './package.mjs';
import { checkedVersion, ROOT } from './plugin-meta.mjs';
import { openSigner } from './sign.mjs';
import { parseStandaloneFlags } from './standalone.mjs';

async function sha256(file) {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk);
  return h.digest('hex');
}

export const KEYRING_ASSET = 'psa-clean-keyring.gpg';
const isAsset = (f) => f.endsWith('.tgz') || f.endsWith('.tgz.prov') || f === KEYRING_ASSET;

/** Writes SHA256SUMS for every asset in dir (.tgz, .tgz.prov, the keyring; sorted); returns its text. */
export async function writeChecksums(dir) {
  const files = readdirSync(dir).filter(isAsset).sort();
  let text = '';
  for (const f of files) text += `${await sha256(join(dir, f))}  ${f}\n`;
  writeFileSync(join(dir, 'SHA256SUMS'), text);
  return text;
}

export async function release({ outDir = join(ROOT, 'release'), sea = {}, build = true, sumsOnly = false, sign, log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const version = checkedVersion(ROOT);
  // Open the key first: a wrong key name fails before minutes of building.
  const signer = sign ? openSigner(sign) : undefined;
  try {
    return await buildAssets({ version, outDir, sea, build, sumsOnly, signer, log });
  } finally {
    signer?.close();
  }
}

async function buildAssets({ version, outDir, sea, build, sumsOnly, signer, log }) {
  mkdirSync(outDir, { recursive: true });
  const assets = [];
  if (!sumsOnly) {
    // Old assets of another version in the same folder would end up in SHA256SUMS, and an old
    // .prov would no longer match its rebuilt tarball.
    for (const f of readdirSync(outDir)) {
      if ((isAsset(f) && !f.startsWith(`psa-clean-${version}`)) || f.endsWith('.tgz.prov') || f === KEYRING_ASSET) rmSync(join(outDir, f));
    }
    assets.push(await packageNodePlugin({ outDir, build }));
    log(`release: ${basename(assets[0].file)}`);
    assets.push(await packageStandalonePlugin({ outDir, ...sea }));
    log(`release: ${basename(assets[1].file)}`);
  }
  if (signer) {
    for (const f of readdirSync(outDir).filter((n) => n.endsWith('.tgz')).sort()) {
      log(`release: ${basename(signer.sign(join(outDir, f)))} (key ${signer.fingerprint})`);
    }
    writeFileSync(join(outDir, KEYRING_ASSET), signer.publicKey());
    log(`release: ${KEYRING_ASSET}`);
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
    let signFlag = false;
    const sign = {};
    const rest = [];
    const value = (i) => {
      if (argv[i + 1] === undefined || argv[i + 1].startsWith('--')) throw new Error(`${argv[i]} needs a value`);
      return argv[i + 1];
    };
    for (let i = 0; i < argv.length; i++) {
      if (argv[i] === '--out') outDir = resolve(argv[++i] ?? '');
      else if (argv[i] === '--sums-only') sumsOnly = true;
      else if (argv[i] === '--no-build') build = false;
      else if (argv[i] === '--sign') signFlag = true;
      else if (argv[i] === '--key') sign.key = value(i++);
      else if (argv[i] === '--keyring') sign.keyring = resolve(value(i++));
      else if (argv[i] === '--passphrase-file') sign.passphraseFile = resolve(value(i++));
      else rest.push(argv[i]);
    }
    if (!signFlag && Object.keys(sign).length) throw new Error('--key, --keyring and --passphrase-file only apply with --sign');
    const { version, outDir: dir } = await release({ outDir, sea: parseStandaloneFlags(rest), build, sumsOnly, sign: signFlag ? sign : undefined });
    process.stdout.write(`psa-clean ${version}: release assets in ${dir}\n`);
  } catch (e) {
    process.stderr.write(`release: ${e.message}\n`);
    process.exitCode = 1;
  }
}
