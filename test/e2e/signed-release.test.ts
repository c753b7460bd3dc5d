// Issue 15: `npm run release -- --sign --key NAME [--keyring FILE]` writes a provenance file
// next to each tarball, and real Helm 4.1.4 installs the signed tarball with verification ON
// (its default: no --verify flag at all), `helm plugin verify` passes, and a tarball changed
// after signing is refused. The key is a throwaway made here with GnuPG.
//
// The signing run uses --sums-only on a folder that `npm run package` filled: it signs every
// .tgz there and rewrites SHA256SUMS without the minutes-long standalone build (whose tarball
// gets signed by exactly the same code).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHelmEnv, run, type HelmEnv, type RunResult } from '../helpers/helm-env.js';
import { expectInstalledPluginRuns } from '../helpers/plugin-expect.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { extractTarball, npmRun } from '../helpers/tarball.js';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const tgzName = `psa-clean-${pkg.version}.tgz`;
const KEY_UID = 'psa-clean release test <release-test@example.invalid>';

let work: string;
let keyHome: string; // GnuPG home holding the throwaway secret key
let otherHome: string; // another key, which did not sign anything
let secring: string; // the secret key exported as a keyring file (what Helm's --keyring takes)
let releaseDir: string;
let tgz: string;
let prov: string;
let keyring: string; // the public keyring the release wrote
let unsignedSha: string;

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function gpg(home: string, args: string[]): Promise<RunResult> {
  const r = await run('gpg', ['--homedir', home, '--batch', ...args], { ...process.env, GNUPGHOME: home }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new Error('gpg is not on PATH: the signed-release test needs GnuPG (Debian: the gnupg package)');
    throw e;
  });
  if (r.code !== 0) throw new Error(`gpg ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r;
}

async function newKeyHome(name: string, uid: string): Promise<string> {
  const home = join(work, name);
  mkdirSync(home, { mode: 0o700 });
  await gpg(home, ['--passphrase', '', '--quick-generate-key', uid, 'ed25519', 'sign', 'never']);
  return home;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'psa-signed-'));
  keyHome = await newKeyHome('gnupg', KEY_UID);
  otherHome = await newKeyHome('gnupg-other', 'someone else <other@example.invalid>');
  secring = join(work, 'secring.gpg');
  await gpg(keyHome, ['--output', secring, '--export-secret-keys']);
  releaseDir = join(work, 'release');
  // --no-build: the suite's global setup built dist/ (see package-install.test.ts).
  const p = await npmRun('package', ['--no-build', '--out', releaseDir]);
  if (p.code !== 0) throw new Error(`npm run package failed: ${p.stderr}`);
  tgz = join(releaseDir, tgzName);
  unsignedSha = sha256(tgz);
  // Sign with the exported secret keyring only: GNUPGHOME points at an empty folder, so the
  // script cannot be using the key from anywhere else.
  const emptyHome = join(work, 'empty-gnupg');
  mkdirSync(emptyHome, { mode: 0o700 });
  const r = await npmRun('release', ['--sums-only', '--sign', '--key', 'psa-clean release test', '--keyring', secring, '--out', releaseDir], {
    ...process.env,
    GNUPGHOME: emptyHome,
  });
  if (r.code !== 0) throw new Error(`npm run release --sign failed (${r.code}): ${r.stderr}`);
  prov = `${tgz}.prov`;
  keyring = join(releaseDir, 'psa-clean-keyring.gpg');
}, 120_000);

afterAll(async () => {
  // gpg started an agent per home; stop them so no process outlives the test.
  for (const home of [keyHome, otherHome]) if (home) await run('gpgconf', ['--homedir', home, '--kill', 'gpg-agent'], process.env);
  rmSync(work, { recursive: true, force: true });
});

describe('npm run release -- --sign', () => {
  it('writes <tarball>.prov and the public keyring, leaves the tarball as it was, and SHA256SUMS covers them all', async () => {
    expect(readdirSync(releaseDir).sort()).toEqual(['SHA256SUMS', tgzName, `${tgzName}.prov`, 'psa-clean-keyring.gpg'].sort());
    expect(sha256(tgz)).toBe(unsignedSha);
    const sums = readFileSync(join(releaseDir, 'SHA256SUMS'), 'utf8');
    expect(sums.trim().split('\n').map((l) => l.split(/\s+/)[1]).sort()).toEqual([tgzName, `${tgzName}.prov`, 'psa-clean-keyring.gpg'].sort());
    const check = await run('sha256sum', ['-c', 'SHA256SUMS'], process.env, undefined, releaseDir);
    expect(check.stdout).toContain(`${tgzName}.prov: OK`);
    expect(check.code).toBe(0);
  });

  it('signs, in Helm\'s provenance format, plugin.yaml and the sha256 of the tarball', async () => {
    const text = readFileSync(prov, 'utf8');
    // helm/helm pkg/provenance/sign.go: clearsign (SHA512) of "<metadata>\n...\nfiles:\n  <name>: sha256:<hex>"
    expect(text.startsWith('-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n')).toBe(true);
    const body = text.split('\n-----BEGIN PGP SIGNATURE-----')[0];
    const [metadata, sums] = body.split('\n...\n');
    expect(metadata).toContain(readFileSync(join(REPO_ROOT, 'plugin.yaml'), 'utf8').trimEnd());
    expect(sums).toBe(`files:\n  ${tgzName}: sha256:${unsignedSha}`);
    // An independent check of the signature (also how Helm 3 users can verify, see README).
    const verifyHome = join(work, 'verify-home');
    mkdirSync(verifyHome, { mode: 0o700 });
    const v = await run('gpg', ['--homedir', verifyHome, '--batch', '--no-default-keyring', '--keyring', keyring, '--verify', prov], process.env);
    expect(v.stderr).toContain(`Good signature from "${KEY_UID}"`);
    expect(v.code).toBe(0);
  });

  it('refuses a --key that names no secret key, and writes nothing', async () => {
    const dir = join(work, 'nokey');
    mkdirSync(dir);
    copyFileSync(tgz, join(dir, tgzName));
    const r = await npmRun('release', ['--sums-only', '--sign', '--key', 'nobody we know', '--keyring', secring, '--out', dir]);
    expect(r.stderr).toContain(`release: --key "nobody we know" matches 0 secret keys in ${secring}; name exactly one`);
    expect(r.code).toBe(1);
    expect(readdirSync(dir)).toEqual([tgzName]);
  });

  it('without --keyring signs with the user\'s own GnuPG keys', async () => {
    const dir = join(work, 'own-keys');
    mkdirSync(dir);
    copyFileSync(tgz, join(dir, tgzName));
    const r = await npmRun('release', ['--sums-only', '--sign', '--key', 'release-test@example.invalid', '--out', dir], { ...process.env, GNUPGHOME: keyHome });
    expect(r.code).toBe(0);
    const h = await createHelmEnv(4);
    try {
      const v = await h.helm(['plugin', 'verify', join(dir, tgzName), '--keyring', join(dir, 'psa-clean-keyring.gpg')]);
      expect(v.stdout).toContain(`Signed by: ${KEY_UID}`);
      expect(v.code).toBe(0);
    } finally {
      h.cleanup();
    }
  });
});

describe('real Helm 4 with verification on (its default)', () => {
  let h: HelmEnv | undefined;
  let server: Server | undefined;
  afterEach(() => {
    h?.cleanup();
    h = undefined;
    server?.close();
    server = undefined;
  });

  it('`helm plugin verify` passes with the release keyring and fails with another key', async () => {
    h = await createHelmEnv(4);
    const ok = await h.helm(['plugin', 'verify', tgz, '--keyring', keyring]);
    expect(ok.stdout).toContain(`Signed by: ${KEY_UID}`);
    expect(ok.stdout).toContain(`Plugin Hash Verified: sha256:${unsignedSha}`);
    expect(ok.code).toBe(0);
    const otherKeyring = join(h.root, 'other.gpg');
    await gpg(otherHome, ['--output', otherKeyring, '--export']);
    const bad = await h.helm(['plugin', 'verify', tgz, '--keyring', otherKeyring]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown entity|verification failed/i);
  });

  it('installs the signed tarball with the key in its default keyring (~/.gnupg/pubring.gpg), no flags', async () => {
    h = await createHelmEnv(4);
    mkdirSync(join(h.env.HOME!, '.gnupg'), { recursive: true, mode: 0o700 });
    copyFileSync(keyring, join(h.env.HOME!, '.gnupg', 'pubring.gpg'));
    const inst = await h.helm(['plugin', 'install', tgz]);
    expect(inst.stdout).toContain('Verifying plugin signature...');
    expect(inst.stdout).toContain(`Signed by: ${KEY_UID}`);
    expect(inst.stdout).toContain(`Plugin Hash Verified: sha256:${unsignedSha}`);
    expect(inst.stdout).toContain('Installed plugin: psa-clean');
    expect(inst.stdout + inst.stderr).not.toContain('Skipping plugin signature verification');
    expect(inst.code).toBe(0);
    const list = await h.helm(['plugin', 'list']);
    expect(list.stdout.split('\n').find((l) => l.startsWith('psa-clean'))?.split(/\s+/)[4]).toBe('signed');
    await expectInstalledPluginRuns(h, pkg.version);
  });

  it('installs from a release URL, fetching <url>.prov, with --keyring', async () => {
    server = createServer((req, res) => {
      const file = { [`/download/${tgzName}`]: tgz, [`/download/${tgzName}.prov`]: prov }[req.url ?? ''];
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    h = await createHelmEnv(4);
    const inst = await h.helm(['plugin', 'install', `http://127.0.0.1:${port}/download/${tgzName}`, '--keyring', keyring]);
    expect(inst.stdout).toContain(`Plugin Hash Verified: sha256:${unsignedSha}`);
    expect(inst.stdout).toContain('Installed plugin: psa-clean');
    expect(inst.code).toBe(0);
    const v = await h.helm(['psa-clean', '--version']);
    expect(v.stdout.trim()).toBe(pkg.version);
  });

  it('refuses a tarball changed after signing, and installs nothing', async () => {
    h = await createHelmEnv(4);
    // A well-formed tarball with one file changed, under the signed name, next to the real .prov.
    const dir = join(h.root, 'tampered');
    await extractTarball(tgz, join(dir, 'x'));
    appendFileSync(join(dir, 'x', 'psa-clean', 'dist', 'cli.js'), '\n// changed after signing\n');
    const tampered = join(dir, tgzName);
    const tar = await run('tar', ['-czf', tampered, '-C', join(dir, 'x'), 'psa-clean'], process.env);
    expect(tar.code).toBe(0);
    copyFileSync(prov, `${tampered}.prov`);
    const tamperedSha = sha256(tampered);
    expect(tamperedSha).not.toBe(unsignedSha);

    const verify = await h.helm(['plugin', 'verify', tampered, '--keyring', keyring]);
    expect(verify.stderr).toContain(`sha256 sum does not match for ${tgzName}`);
    expect(verify.code).not.toBe(0);
    const inst = await h.helm(['plugin', 'install', tampered, '--keyring', keyring]);
    expect(inst.stderr).toContain(`sha256 sum does not match for ${tgzName}`);
    expect(inst.stderr).toContain(tamperedSha);
    expect(inst.code).not.toBe(0);
    expect(existsSync(join(h.env.HELM_PLUGINS!, 'psa-clean'))).toBe(false);
    const list = await h.helm(['plugin', 'list']);
    expect(list.stdout).not.toContain('psa-clean');
  });
});
