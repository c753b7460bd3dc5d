// Issue 10: `helm plugin install <git-url>` on Helm 3 and Helm 4 (--verify=false) clones the
// repository, and the install hook builds the bundle (npm ci && npm run build), with no network:
// - Helm detects a VCS source from the URL (Masterminds/vcs needs a host and a .git suffix; a
//   file:// URL has no host and fails with "Cannot detect VCS"), so the test uses an https URL
//   that git rewrites to a local bare repository (url.<path>.insteadOf), and allows git only the
//   file protocol: any real network access would fail the clone.
// - npm runs with the machine's npm cache and npm_config_prefer_offline=true. Strictly offline
//   (npm_config_offline) is not possible: the lock file has no "resolved" URLs (this machine's
//   npm sets omit-lockfile-registry-resolved), so npm needs each package's metadata, and the
//   cache does not hold all of it. Only the npm registry may be reached, as the rules allow.
// The repository holds the committed HEAD of this checkout, as a user's clone would.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHelmEnv, run, type HelmEnv } from '../helpers/helm-env.js';
import { expectInstalledPluginRuns } from '../helpers/plugin-expect.js';
import { REPO_ROOT } from '../helpers/paths.js';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const URL_PREFIX = 'https://git.psa-clean.invalid/psa/';
const REPO_URL = `${URL_PREFIX}psa-clean.git`;

let work: string;
let gitEnv: NodeJS.ProcessEnv;
let snap: string;
let bare: string;
let git: (args: string[], cwd?: string) => Promise<void>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'psa-vcs-'));
  bare = join(work, 'repos', 'psa-clean.git');
  // A one-commit repository made from `git archive HEAD`: works the same from a shallow or
  // detached CI clone (a bare clone of a detached HEAD may have no branch to check out).
  snap = join(work, 'snapshot');
  mkdirSync(snap, { recursive: true });
  git = async (args: string[], cwd?: string) => {
    const r = await run('git', ['-c', 'user.name=psa-clean test', '-c', 'user.email=test@psa-clean.invalid', '-c', 'commit.gpgsign=false', ...args], process.env, undefined, cwd);
    if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  await git(['archive', '--format=tar', '-o', join(work, 'head.tar'), 'HEAD'], REPO_ROOT);
  const untar = await run('tar', ['-xf', join(work, 'head.tar'), '-C', snap], process.env);
  if (untar.code !== 0) throw new Error(`tar: ${untar.stderr}`);
  await git(['init', '--quiet', '--initial-branch=main'], snap);
  await git(['add', '--all'], snap);
  await git(['commit', '--quiet', '--message', 'snapshot of HEAD'], snap);
  await git(['clone', '--quiet', '--bare', snap, bare]);
  const cache = await run('npm', ['config', 'get', 'cache'], process.env);
  gitEnv = {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: `url.${join(work, 'repos')}/.insteadOf`,
    GIT_CONFIG_VALUE_0: URL_PREFIX,
    GIT_ALLOW_PROTOCOL: 'file',
    GIT_TERMINAL_PROMPT: '0',
    npm_config_cache: cache.stdout.trim(),
    npm_config_prefer_offline: 'true',
  };
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

for (const major of [3, 4] as const) {
  describe(`real Helm ${major}: helm plugin install <git-url>`, () => {
    let h: HelmEnv | undefined;
    afterEach(() => h?.cleanup());

    it('clones, builds the bundle in the install hook, runs helm psa-clean --help, and rebuilds on helm plugin update', async () => {
      h = await createHelmEnv(major, { env: gitEnv });
      if (major === 4) {
        // Helm 4 verifies by default and a VCS source has nothing to verify against.
        const refused = await h.helm(['plugin', 'install', REPO_URL]);
        expect(refused.code).not.toBe(0);
        expect(refused.stderr).toContain('--verify=false');
      }
      const inst = await h.helm(['plugin', 'install', REPO_URL, ...(major === 4 ? ['--verify=false'] : [])]);
      expect(inst.stderr).toContain('psa-clean: building from source');
      expect(inst.stdout).toContain('Installed plugin: psa-clean');
      expect(inst.code).toBe(0);

      await expectInstalledPluginRuns(h, pkg.version);

      // A new commit upstream: `helm plugin update` pulls it and the update hook rebuilds.
      const marker = `update-helm${major}.txt`;
      writeFileSync(join(snap, marker), 'x\n');
      await git(['add', marker], snap);
      await git(['commit', '--quiet', '--message', `update for Helm ${major}`], snap);
      await git(['push', '--quiet', bare, 'main'], snap);
      const upd = await h.helm(['plugin', 'update', 'psa-clean']);
      expect(upd.stderr).toContain('(npm ci && npm run build)');
      expect(upd.code).toBe(0);
      expect(existsSync(join(h.env.HELM_PLUGINS!, 'psa-clean.git', marker))).toBe(true);
      const after = await h.helm(['psa-clean', '--version']);
      expect(after.stdout.trim()).toBe(pkg.version);
    }, 300_000);
  });
}

describe('install hook without the tools to build', () => {
  const hook = join(REPO_ROOT, 'scripts', 'install-hook.sh');
  let dir: string;
  let shOnly: string;
  beforeAll(() => {
    dir = join(work, 'hook');
    shOnly = join(work, 'sh-only');
    mkdirSync(shOnly, { recursive: true });
    symlinkSync('/bin/sh', join(shOnly, 'sh'));
  });
  const runHook = (pluginDir: string, path: string, event = 'install') => run('/bin/sh', [hook, event], { PATH: path, HELM_PLUGIN_DIR: pluginDir });

  it('says node is missing when a source checkout has no bundle and no node is on PATH', async () => {
    const src = join(dir, 'source');
    mkdirSync(join(src, 'src'), { recursive: true });
    cpSync(join(REPO_ROOT, 'package.json'), join(src, 'package.json'));
    cpSync(join(REPO_ROOT, 'package-lock.json'), join(src, 'package-lock.json'));
    const r = await runHook(src, shOnly);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('node is not on PATH');
    expect(r.stderr).toContain('psa-clean-<version>-<os>-<arch>.tgz');
    expect(existsSync(join(src, 'node_modules'))).toBe(false);
  });

  it('says npm is missing when node is there but npm is not', async () => {
    const src = join(dir, 'source');
    const nodeOnly = join(work, 'node-only');
    mkdirSync(nodeOnly, { recursive: true });
    symlinkSync('/bin/sh', join(nodeOnly, 'sh'));
    symlinkSync(process.execPath, join(nodeOnly, 'node'));
    const r = await runHook(src, nodeOnly);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('npm is not on PATH');
  });

  it('does nothing for a packaged plugin that carries its bundle, even without node', async () => {
    const packaged = join(dir, 'packaged');
    mkdirSync(join(packaged, 'dist'), { recursive: true });
    writeFileSync(join(packaged, 'dist', 'cli.js'), '');
    const r = await runHook(packaged, shOnly, 'update');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('rebuilds a source checkout on update (the sources may have changed)', async () => {
    const src = join(dir, 'source');
    mkdirSync(join(src, 'dist'), { recursive: true });
    writeFileSync(join(src, 'dist', 'cli.js'), '');
    expect((await runHook(src, shOnly, 'install')).code).toBe(0);
    const r = await runHook(src, shOnly, 'update');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('node is not on PATH');
  });

  it('refuses a folder that is neither packaged nor a source checkout', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    const r = await runHook(empty, shOnly);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('neither dist/cli.js nor bin/psa-clean');
  });
});
