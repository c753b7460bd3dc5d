#!/usr/bin/env node
// Bundles the CLI into ONE file, dist/cli.js (+ source map), with every runtime dependency
// inlined: an installed plugin needs no node_modules. Dynamic imports (the Kubernetes client,
// pg) stay lazy inside the bundle: esbuild wraps them in init functions that run on first use.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'src/cli/main.ts')],
  outfile: join(root, 'dist/cli.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  minify: true,
  legalComments: 'linked',
  // CommonJS dependencies inside an ESM bundle still call require(); give them one.
  banner: { js: "import { createRequire as __psaCreateRequire } from 'node:module'; const require = __psaCreateRequire(import.meta.url);" },
  define: { __PSA_CLEAN_VERSION__: JSON.stringify(pkg.version) },
  // pg's optional native binding is never used.
  external: ['pg-native'],
  logLevel: 'warning',
});
console.error(`built dist/cli.js (psa-clean ${pkg.version})`);
