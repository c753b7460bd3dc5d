// Issue 10: `npm run release` builds the node-run tarball, the standalone tarball for this
// platform (Node single executable) and SHA256SUMS; the standalone plugin installs into real
// Helm 3 and Helm 4 and runs with NO node on PATH.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createHelmEnv, run, type HelmEnv } from '../helpers/helm-env.js';
import { expectInstalledPluginRuns } from '../helpers/plugin-expect.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { startKubeSim, type KubeSim } from '../kube-sim/index.js';
import { extractTarball, listTarball, npmRun, type TarEntry } from '../helpers/tarball.js';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const os = process.platform;
const arch = process.arch === 'x64' ? 'amd64' : process.arch;
const standaloneName = `psa-clean-${pkg.version}-${os}-${arch}.tgz`;

let work: string;
let releaseDir: string;
let standaloneTgz: string;
let entries: TarEntry[];
let noNodePath: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'psa-standalone-'));
  releaseDir = join(work, 'release');
  // One SEA build for the whole file. --no-build keeps the shared dist/ in place (see
  // package-install.test.ts); the standalone bundle is built from src/ by the script itself.
  const r = await npmRun('release', ['--no-build', '--out', releaseDir]);
  if (r.code !== 0) throw new Error(`npm run release failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  standaloneTgz = join(releaseDir, standaloneName);
  entries = await listTarball(standaloneTgz);
  // A PATH with a shell and nothing else: no node anywhere.
  noNodePath = join(work, 'no-node-bin');
  mkdirSync(noNodePath);
  symlinkSync('/bin/sh', join(noNodePath, 'sh'));
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run release', () => {
  it('writes both tarballs and a SHA256SUMS that sha256sum -c accepts', async () => {
    expect(readdirSync(releaseDir).sort()).toEqual(['SHA256SUMS', `psa-clean-${pkg.version}.tgz`, standaloneName].sort());
    const sums = readFileSync(join(releaseDir, 'SHA256SUMS'), 'utf8');
    expect(sums.trim().split('\n').map((l) => l.split(/\s+/)[1]).sort()).toEqual([`psa-clean-${pkg.version}.tgz`, standaloneName].sort());
    const check = await run('sha256sum', ['-c', 'SHA256SUMS'], process.env, undefined, releaseDir);
    expect(check.stdout).toContain(`${standaloneName}: OK`);
    expect(check.code).toBe(0);
  });

  it('puts a single executable, not node code, into the standalone tarball', () => {
    const files = entries.filter((e) => !e.mode.startsWith('d')).map((e) => e.path);
    expect(files).toContain('psa-clean/bin/psa-clean');
    expect(files).toContain('psa-clean/plugin.yaml');
    expect(files).toContain('psa-clean/completion.yaml');
    expect(files).toContain('psa-clean/LICENSE');
    expect(files.filter((f) => /\/dist\/|node_modules|\.js$|\.ts$|install-hook/.test(f))).toEqual([]);
    const exe = entries.find((e) => e.path === 'psa-clean/bin/psa-clean');
    expect(exe?.mode).toBe('-rwxr-xr-x');
    expect(exe!.size).toBeGreaterThan(10 * 1024 * 1024); // carries a whole Node runtime
  });

  it('has a plugin.yaml both Helm versions accept that runs the executable directly', async () => {
    const out = join(work, 'inspect');
    await extractTarball(standaloneTgz, out);
    const plugin = parse(readFileSync(join(out, 'psa-clean', 'plugin.yaml'), 'utf8'));
    expect(plugin.command).toBe('$HELM_PLUGIN_DIR/bin/psa-clean');
    expect(plugin.version).toBe(pkg.version);
    expect(plugin.hooks).toBeUndefined();
    expect(Object.keys(plugin).filter((k) => !['name', 'version', 'usage', 'description', 'command', 'ignoreFlags'].includes(k))).toEqual([]);
  });
});

describe('the executable outside Helm', () => {
  it('finds its plugin folder (mapfiles/) from its own path when HELM_PLUGIN_DIR is unset', async () => {
    const out = join(work, 'direct');
    await extractTarball(standaloneTgz, out);
    const file = join(out, 'in.yaml');
    writeFileSync(file, psp);
    // An empty environment: no PATH, no HELM_PLUGIN_DIR. main.ts derives the plugin root from
    // import.meta.url, which the CommonJS build maps to the executable's own path.
    const m = await run(join(out, 'psa-clean', 'bin', 'psa-clean'), ['manifest', '--kube-version', 'v1.25', file], {});
    expect(m.stderr).not.toMatch(/Error|ENOENT/);
    expect(m.code).toBe(0);
    expect(m.stdout).toMatch(/apiVersion: apps\/v1\s+kind: Deployment/);
    expect(m.stdout).not.toContain('PodSecurityPolicy');
  });
});

const psp = `# Source: demo/templates/psp.yaml
apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata:
  name: demo
spec:
  privileged: false
---
# Source: demo/templates/deploy.yaml
apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  name: demo
spec:
  template:
    spec:
      containers: [{ name: app, image: nginx }]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: demo
data:
  a: b
`;

for (const major of [3, 4] as const) {
  describe(`real Helm ${major}, PATH without node`, () => {
    let h: HelmEnv | undefined;
    afterEach(() => h?.cleanup());

    it('installs the standalone tarball and runs --help, --version and the offline manifest command', async () => {
      h = await createHelmEnv(major, { env: { PATH: noNodePath } });
      const which = await run('sh', ['-c', 'command -v node'], h.env);
      expect(which.code).not.toBe(0);
      expect(which.stdout).toBe('');

      let source = standaloneTgz;
      if (major === 3) {
        await extractTarball(standaloneTgz, join(h.root, 'unpacked'));
        source = join(h.root, 'unpacked', 'psa-clean');
      }
      const inst = await h.installPlugin(source);
      expect(inst.stderr + inst.stdout).toContain('Installed plugin: psa-clean');
      expect(inst.code).toBe(0);
      await expectInstalledPluginRuns(h, pkg.version);

      const file = join(h.root, 'in.yaml');
      writeFileSync(file, psp);
      const m = await h.helm(['psa-clean', 'manifest', '--kube-version', 'v1.25', file]);
      expect(m.stderr).not.toMatch(/Error/);
      expect(m.code).toBe(0);
      expect(m.stdout).not.toContain('PodSecurityPolicy');
      expect(m.stdout).toMatch(/apiVersion: apps\/v1\s+kind: Deployment/);
      expect(m.stdout).toContain('kind: ConfigMap');
    });

    it('repairs a release on a cluster upgraded to 1.25 (Kubernetes client, backups) with no node on PATH', async () => {
      const sim: KubeSim = await startKubeSim({ kubeVersion: 'v1.24.17' });
      try {
        h = await createHelmEnv(major, { kubeconfig: sim.kubeconfigPath, driver: 'secret', env: { PATH: noNodePath } });
        const chart = join(REPO_ROOT, 'test', 'fixtures', 'charts', 'psp-chart');
        const install = await h.helm(['install', 'rel', chart, '-n', 'demo', '--create-namespace']);
        expect(install.stderr).toBe('');
        expect(install.code).toBe(0);
        sim.setKubeVersion('v1.25.16');
        const env = await h.helm(['env', 'HELM_PLUGINS']);
        await extractTarball(standaloneTgz, env.stdout.trim());

        const clean = await h.helm(['psa-clean', 'rel', '-n', 'demo']);
        expect(clean.stderr).not.toMatch(/Error|ERR_/);
        expect(clean.code).toBe(0);
        const manifest = await h.helm(['get', 'manifest', 'rel', '-n', 'demo']);
        expect(manifest.code).toBe(0);
        expect(manifest.stdout).not.toContain('PodSecurityPolicy');
        expect(manifest.stdout).toContain('kind: ConfigMap');
        const history = await h.helm(['history', 'rel', '-n', 'demo', '-o', 'json']);
        expect(JSON.parse(history.stdout).map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
        // The default backup went to $HELM_DATA_HOME/psa-clean/backups/<time>-<random>/.
        expect(readdirSync(join(h.env.HELM_DATA_HOME!, 'psa-clean', 'backups'))).toHaveLength(1);
      } finally {
        await sim.stop();
      }
    });

    it('also works by unpacking the tarball into $(helm env HELM_PLUGINS), without helm plugin install', async () => {
      h = await createHelmEnv(major, { env: { PATH: noNodePath } });
      const env = await h.helm(['env', 'HELM_PLUGINS']);
      expect(env.code).toBe(0);
      await extractTarball(standaloneTgz, env.stdout.trim());
      const list = await h.helm(['plugin', 'list']);
      expect(list.stdout.split('\n').find((l) => l.startsWith('psa-clean'))?.split(/\s+/)[1]).toBe(pkg.version);
      const version = await h.helm(['psa-clean', '--version']);
      expect(version.stderr).toBe('');
      expect(version.stdout.trim()).toBe(pkg.version);
    });
  });
}
