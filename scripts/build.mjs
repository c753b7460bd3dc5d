#!/usr/bin/env node
// Bundles the CLI into dist/ with every runtime dependency inlined: an installed plugin needs
// no node_modules. Two builds, because start-up and lazy loading pull in two directions:
//
//   dist/cli.js   CommonJS: the entry (src/cli/ and commander), all that `--help`, argument
//                 errors and `--version` run. Node's ESM loader costs ~7 ms more than the
//                 CommonJS one before the first line runs (it loads fs/promises, readline and
//                 the streams stack, then resolves and links module by module): measured
//                 `--help` 35.4 ms as ESM vs ~26 ms as CommonJS, `node -e 0` = 17-19 ms.
//                 dist/package.json says "commonjs", so no Node version has to guess (the
//                 repository's package.json says "module"; an installed plugin has none).
//   dist/*.mjs    ESM with code splitting: every module the commands load on use with
//                 import() (the clean engine, the Kubernetes client, pg, the renderers), each
//                 an entry named after its source path (src/clean/index.ts -> clean-index.mjs)
//                 plus shared chunks. `--help` and offline commands never read them.
//
// The entry must not statically import what the engines import with state or classes that
// are checked with instanceof across the line: such a module would exist twice. The build
// prints no warning for it, so `checkShared` below refuses a shared module with a class.
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dist = join(root, 'dist');
const define = { __PSA_CLEAN_VERSION__: JSON.stringify(pkg.version) };

/**
 * Node's ESM loader makes a module namespace of every export of a built-in it imports, which
 * runs lazy getters: `import { existsSync } from 'node:fs'` loads fs.promises, and with it
 * readline and the streams stack. Built-ins reached through require() (the banner's
 * createRequire) are only what they are, so in the ESM build every static import of a
 * built-in becomes a CommonJS require, whose properties esbuild reads at use time.
 */
const builtinsByRequire = {
  name: 'builtins-by-require',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === 'import-statement' ? { path: args.path, namespace: 'builtin-require' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * commander requires child_process (with net, dgram and the socket machinery, ~1.5 ms) when
 * it loads, for git-style executable subcommands, which psa-clean does not have: load it on
 * first use instead.
 */
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.kind === 'require-call' && /[\\/]commander[\\/]/.test(args.importer) ? { path: args.path, namespace: 'builtin-lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin-lazy' }, (args) => ({
      contents: `let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require(${JSON.stringify(args.path)}))[k] });`,
      loader: 'js',
    }));
  },
};

/** src/clean/index.ts -> "clean-index": the ESM entry name of a lazily loaded module. */
const entryName = (file) => relative(join(root, 'src'), file).replace(/\.ts$/, '').split(/[\\/]/).join('-');

/** In the entry build, `import('../../clean/index.js')` becomes `import('./clean-index.mjs')`; `lazy` collects the targets. */
function lazyImportsTo(lazy) {
  return {
    name: 'lazy-imports-to-esm',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const file = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
        if (!existsSync(file)) return { errors: [{ text: `lazy import ${args.path}: no ${relative(root, file)}` }] };
        lazy.set(entryName(file), file);
        return { path: `./${entryName(file)}.mjs`, external: true };
      });
    },
  };
}

/** A module in both builds exists twice at run time; one that declares a class could fail an instanceof. */
function checkShared(entryMeta, lazyMeta) {
  const ours = (m) => new Set(Object.keys(m.inputs).filter((p) => p.startsWith('src/')));
  const lazyInputs = ours(lazyMeta);
  const bad = [...ours(entryMeta)].filter((p) => lazyInputs.has(p) && /^\s*export (abstract )?class /m.test(readFileSync(join(root, p), 'utf8')));
  if (bad.length) {
    throw new Error(`in both dist/cli.js and the lazily loaded modules, with a class (instanceof would fail across them): ${bad.join(', ')}; import it lazily in src/cli`);
  }
}

rmSync(dist, { recursive: true, force: true });
const lazy = new Map();
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  minify: true,
  legalComments: 'linked',
  define,
  // pg's optional native binding is never used.
  external: ['pg-native'],
  logLevel: 'warning',
  metafile: true,
};

const entry = await build({
  ...common,
  entryPoints: [join(root, 'src/cli/main.ts')],
  outfile: join(dist, 'cli.js'),
  format: 'cjs',
  // main.ts finds the plugin root from its own URL.
  define: { ...define, 'import.meta.url': '__psaImportMetaUrl' },
  banner: { js: 'var __psaImportMetaUrl=require("node:url").pathToFileURL(__filename).href;' },
  plugins: [lazyImportsTo(lazy), lazyChildProcessForCommander],
});
const stray = entry.warnings.filter((w) => /import\.meta/.test(w.text));
if (stray.length) throw new Error(`dist/cli.js would read an empty import.meta: ${stray.map((w) => `${w.location?.file}:${w.location?.line}`).join(', ')}`);
writeFileSync(join(dist, 'package.json'), '{ "type": "commonjs" }\n');

const engines = await build({
  ...common,
  entryPoints: Object.fromEntries(lazy),
  outdir: dist,
  format: 'esm',
  splitting: true,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  outExtension: { '.js': '.mjs' },
  // CommonJS dependencies inside an ESM bundle still call require(); give them one.
  banner: { js: "import { createRequire as __psaCreateRequire } from 'node:module'; const require = __psaCreateRequire(import.meta.url);" },
  plugins: [builtinsByRequire],
});
checkShared(entry.metafile, engines.metafile);
console.error(`built dist/cli.js and ${lazy.size} lazily loaded modules (psa-clean ${pkg.version})`);
