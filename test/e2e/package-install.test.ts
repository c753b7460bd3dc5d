// `npm run package` (issue 2): the node-run plugin tarball holds exactly what an installed
// plugin needs, Helm 4 installs the unsigned .tgz itself (--verify=false; signed releases: signed-release.test.ts), Helm 3 installs
// its unpacked folder (Helm 3 refuses a local .tgz), and the plugin runs through both.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createHelmEnv, type HelmEnv } from '../helpers/helm-env.js';
import { expectInstalledPluginRuns } from '../helpers/plugin-expect.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { extractTarball, listTarball, npmRun, type TarEntry } from '../helpers/tarball.js';
import { checkedVersion } from '../../scripts/plugin-meta.mjs';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const tgzName = `psa-clean-${pkg.version}.tgz`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => relative(REPO_ROOT, join(dir, f)));
}

let work: string;
let tgz: string;
let entries: TarEntry[];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'psa-package-'));
  // --no-build: the suite's global setup built dist/; rebuilding here would delete dist/ under
  // the feet of test files running in parallel.
  const r = await npmRun('package', ['--no-build', '--out', join(work, 'a')]);
  expect(r.stderr).toContain(tgzName);
  expect(r.code).toBe(0);
  tgz = join(work, 'a', tgzName);
  entries = await listTarball(tgz);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run package', () => {
  it('writes psa-clean-<version>.tgz with exactly the runtime files under psa-clean/', () => {
    const files = entries.filter((e) => !e.mode.startsWith('d')).map((e) => e.path).sort();
    const distFiles = readdirSync(join(REPO_ROOT, 'dist')).filter((f) => statSync(join(REPO_ROOT, 'dist', f)).isFile());
    const expected = [
      'plugin.yaml',
      'completion.yaml',
      'README.md',
      'LICENSE',
      'scripts/install-hook.sh',
      ...distFiles.map((f) => `dist/${f}`),
      ...filesUnder(join(REPO_ROOT, 'mapfiles')),
    ].map((f) => `psa-clean/${f}`);
    expect(files).toEqual(expected.sort());
    expect(files).toContain('psa-clean/dist/cli.js');
    expect(files).toContain('psa-clean/dist/cli.js.map');
    expect(files.filter((f) => /node_modules|\/src\/|\.ts$|^psa-clean\/package(-lock)?\.json$/.test(f))).toEqual([]);
    // dist/package.json pins dist/cli.js to CommonJS wherever the plugin is installed (a
    // package.json with "type": "module" above the plugins folder would otherwise apply).
    expect(files).toContain('psa-clean/dist/package.json');
    const dirs = entries.filter((e) => e.mode.startsWith('d')).map((e) => e.path);
    expect(dirs).toContain('psa-clean');
    expect(entries.every((e) => e.path === 'psa-clean' || e.path.startsWith('psa-clean/'))).toBe(true);
  });

  it('keeps the install hook executable and the files byte-identical to the checkout', async () => {
    expect(entries.find((e) => e.path === 'psa-clean/scripts/install-hook.sh')?.mode).toBe('-rwxr-xr-x');
    const out = join(work, 'x');
    await extractTarball(tgz, out);
    for (const f of ['plugin.yaml', 'dist/cli.js', 'dist/package.json', 'LICENSE']) {
      expect(readFileSync(join(out, 'psa-clean', f)).equals(readFileSync(join(REPO_ROOT, f))), f).toBe(true);
    }
  });

  it('is reproducible: packaging again gives the same bytes', async () => {
    const r = await npmRun('package', ['--no-build', '--out', join(work, 'b')]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(work, 'b', tgzName)).equals(readFileSync(tgz))).toBe(true);
  });

  it('refuses a plugin.yaml version that differs from package.json or has a v prefix', () => {
    const root = join(work, 'mismatch');
    const plugin = readFileSync(join(REPO_ROOT, 'plugin.yaml'), 'utf8');
    for (const [pluginVersion, pkgVersion, error] of [
      ['9.9.9', pkg.version, /version mismatch/],
      [`v${pkg.version}`, `v${pkg.version}`, /not strict semver/],
    ] as const) {
      rmSync(root, { recursive: true, force: true });
      mkdirSync(root, { recursive: true });
      writeFileSync(join(root, 'plugin.yaml'), plugin.replace(/^version: .*$/m, `version: "${pluginVersion}"`));
      writeFileSync(join(root, 'package.json'), JSON.stringify({ ...pkg, version: pkgVersion }));
      expect(() => checkedVersion(root)).toThrow(error);
    }
    copyFileSync(join(REPO_ROOT, 'plugin.yaml'), join(root, 'plugin.yaml'));
    copyFileSync(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
    expect(checkedVersion(root)).toBe(pkg.version);
  });
});

for (const major of [3, 4] as const) {
  describe(`real Helm ${major} installs the package`, () => {
    let h: HelmEnv | undefined;
    afterEach(() => h?.cleanup());

    it(major === 4 ? 'from the .tgz with --verify=false' : 'from the unpacked folder', async () => {
      h = await createHelmEnv(major);
      let source = tgz;
      if (major === 3) {
        // Helm 3 cannot install a local tarball: the documented route is to unpack it.
        const refused = await h.helm(['plugin', 'install', tgz]);
        expect(refused.code).not.toBe(0);
        expect(refused.stderr).toContain('expected plugin to be a folder');
        await extractTarball(tgz, join(h.root, 'unpacked'));
        source = join(h.root, 'unpacked', 'psa-clean');
      } else {
        // Without --verify=false Helm 4 looks for a .prov file, which an unsigned build does not have.
        const verified = await h.helm(['plugin', 'install', tgz]);
        expect(verified.code).not.toBe(0);
        expect(verified.stderr).toMatch(/prov/);
      }
      const inst = await h.installPlugin(source);
      expect(inst.stderr + inst.stdout).toContain('Installed plugin: psa-clean');
      expect(inst.code).toBe(0);

      await expectInstalledPluginRuns(h, pkg.version);
    });
  });
}

describe('real Helm 4 installs the package from a release download URL', () => {
  let h: HelmEnv | undefined;
  let server: Server | undefined;
  afterEach(() => {
    h?.cleanup();
    server?.close();
  });

  it('with --verify=false, served as application/octet-stream like release assets', async () => {
    // Helm 3 cannot do this (it wants a gzip Content-Type and plugin.yaml at the archive root);
    // its users download, unpack and install the folder, as tested above.
    server = createServer((req, res) => {
      if (req.url !== `/download/v${pkg.version}/${tgzName}`) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(readFileSync(tgz));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    h = await createHelmEnv(4);
    const inst = await h.helm(['plugin', 'install', `http://127.0.0.1:${port}/download/v${pkg.version}/${tgzName}`, '--verify=false']);
    expect(inst.stdout).toContain('Installed plugin: psa-clean');
    expect(inst.code).toBe(0);
    const version = await h.helm(['psa-clean', '--version']);
    expect(version.stdout.trim()).toBe(pkg.version);
  });
});
