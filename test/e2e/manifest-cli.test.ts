// The offline commands through the built bundle (dist/cli.js; `npm run build` first) with no
// cluster (KUBECONFIG pointing nowhere), and through a real `helm template | helm psa-clean
// manifest` pipe with the plugin installed in Helm 3 and Helm 4.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { createHelmEnv, run, type HelmEnv } from '../helpers/helm-env.js';
import { installBuiltPlugin } from '../helpers/plugin.js';
import { BUNDLE, REPO_ROOT } from '../helpers/paths.js';

const FIX = join(REPO_ROOT, 'test/fixtures/manifests');
let dir: string;
let env: NodeJS.ProcessEnv;

const PSP = '---\n# Source: app/templates/psp.yaml\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: app-psp\nspec:\n  privileged: false\n';
const CM = '---\n# Source: app/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  message: hello\n';
const CRON = '---\n# Source: app/templates/cron.yaml\napiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: app-cron\n';
const SECRET = '---\n# Source: app/templates/secret.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: app-secret\nstringData:\n  password: fake-password-42\n';

function cli(args: string[], input?: string) {
  return run(process.execPath, [BUNDLE, ...args], env, input, dir);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'psa-manifest-cli-'));
  // No cluster anywhere: a kubeconfig path that does not exist, an empty HOME.
  env = { PATH: process.env.PATH, HOME: join(dir, 'home'), KUBECONFIG: '/nonexistent/kubeconfig', LANG: 'C.UTF-8' };
  writeFileSync(join(dir, 'release.yaml'), CM + PSP + CRON + SECRET);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('psa-clean manifest (offline bundle)', () => {
  it('rewrites a file for --kube-version v1.25: PSP dropped, CronJob renamed, the rest identical', async () => {
    const r = await cli(['manifest', 'release.yaml', '--kube-version', 'v1.25']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(CM + CRON.replace('batch/v1beta1', 'batch/v1') + SECRET);
    expect(r.stderr).toContain('removed  PodSecurityPolicy app-psp (policy/v1beta1) [document 1]');
    expect(r.stderr).toContain('renamed  CronJob app-cron: batch/v1beta1 -> batch/v1 [document 2]');
    expect(r.stderr).toContain('2 change(s): 1 renamed, 1 removed');
    expect(r.stderr).not.toContain('fake-password-42');
  });

  it('reads stdin; --detailed-exitcode exits 2 on changes and 0 when nothing changes', async () => {
    const changed = await cli(['manifest', '-', '--kube-version', '1.25', '--detailed-exitcode'], CM + PSP);
    expect([changed.code, changed.stdout]).toEqual([2, CM]);
    const same = await cli(['manifest', '--kube-version', '1.25', '--detailed-exitcode'], CM);
    expect([same.code, same.stdout]).toEqual([0, CM]);
    expect(same.stderr).toContain('nothing to change for Kubernetes v1.25');
  });

  it('pre-cleans at 1.24 only with an explicit version, and says so', async () => {
    const pre = await cli(['manifest', '--kube-version', 'v1.24.17'], PSP + CM);
    expect(pre.stdout).toBe(CM);
    expect(pre.stderr).toMatch(/early: pre-cleaning/);
    const strict = await cli(['manifest', '--kube-version', 'v1.24.17', '--no-pre-clean'], PSP + CM);
    expect(strict.stdout).toBe(PSP + CM);
  });

  it('without --kube-version rewrites for the newest removal in the table and says so', async () => {
    const r = await cli(['manifest'], PSP + CM);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(CM);
    expect(r.stderr).toContain('no --kube-version given: rewriting for v1.32');
  });

  it('-o json prints the findings', async () => {
    const r = await cli(['manifest', 'release.yaml', '--kube-version', '1.25', '-o', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ kubeVersion: 'v1.25', preClean: true, changed: true, documentsLeft: 3 });
    expect(out.findings.map((f: { kind: string; action: string; newApiVersion: string | null }) => [f.kind, f.action, f.newApiVersion])).toEqual([
      ['PodSecurityPolicy', 'removed', null],
      ['CronJob', 'renamed', 'batch/v1'],
    ]);
  });

  it('--diff prints a unified diff without colours when stdout is not a TTY, Secret values redacted', async () => {
    const withSecretChange = CM + PSP + SECRET;
    const r = await cli(['manifest', '--kube-version', '1.25', '--diff'], withSecretChange);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('--- a/stdin\n+++ b/stdin\n')).toBe(true);
    expect(r.stdout).toContain('-kind: PodSecurityPolicy');
    expect(r.stdout).not.toMatch(/\u001b\[/);
    expect(r.stdout).not.toContain('fake-password-42');
  });

  it('--diff labels a relative file a/ b/ and an absolute one by its path alone', async () => {
    const rel = await cli(['manifest', 'release.yaml', '--kube-version', '1.25', '--diff']);
    expect(rel.stdout.startsWith('--- a/release.yaml\n+++ b/release.yaml\n')).toBe(true);
    const abs = join(dir, 'release.yaml');
    const r = await cli(['manifest', abs, '--kube-version', '1.25', '--diff']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(`--- ${abs}\n+++ ${abs}\n`)).toBe(true);
  });

  it('--extra-mapfile can switch a built-in mapping off; --mapfile replaces the table', async () => {
    const extra = await cli(['manifest', 'release.yaml', '--kube-version', '1.25', '--extra-mapfile', join(FIX, 'mapfiles/extra-override.yaml')]);
    expect(extra.stdout).toBe(CM + CRON + SECRET);
    const mka = await cli(['manifest', 'release.yaml', '--kube-version', '1.25', '--mapfile', join(FIX, 'mapfiles/mka-Map.yaml')]);
    expect(mka.stdout).toBe(CM + CRON + SECRET); // the Map.yaml fixture has no CronJob entry
  });

  it('--mapfile takes a Map.yaml with a CRLF copy of an entry (helm-mapkubeapis #82): a warning, then the repair', async () => {
    const crlf = (t: string) => t.replace(/\n/g, '\r\n');
    const map = join(FIX, 'mapfiles/mka-issue82-crlf.yaml');
    const ok = await cli(['manifest', '-', '--kube-version', '1.25', '--mapfile', map], crlf(CM + PSP));
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe(crlf(CM));
    expect(ok.stderr).toContain(`psa-clean: warning: ${map}: mappings[1] repeats mappings[0] for policy/v1beta1 PodSecurityPolicy (same target and versions)`);
    const bad = await cli(['manifest', '-', '--kube-version', '1.25', '--mapfile', join(FIX, 'mapfiles/mka-issue82-disagreeing.yaml')], crlf(CM + PSP));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('mka-issue82-disagreeing.yaml: mappings[1].removedInVersion: policy/v1beta1 PodSecurityPolicy is already mapped by mappings[0]');
  });

  it('errors: non-YAML names document and line; bad version; bad mapfile', async () => {
    const bad = await cli(['manifest', '--kube-version', '1.25'], CM + '---\napiVersion: policy/v1beta1\nkind: [oops\n');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/<stdin>: manifest: document 1 \(line (9|1[0-2])\)/); // within the document (lines 9-12)
    const ver = await cli(['manifest', '--kube-version', 'one.two'], CM);
    expect(ver.code).toBe(1);
    expect(ver.stderr).toContain('invalid Kubernetes version "one.two"');
    const mf = join(dir, 'bad-map.yaml');
    writeFileSync(mf, 'mappings:\n  - deprecatedAPI: "apiVersion: a.io/v1\\nkind: A\\n"\n    removedInVersion: "later"\n');
    const map = await cli(['manifest', '--kube-version', '1.25', '--mapfile', mf], CM);
    expect(map.code).toBe(1);
    expect(map.stderr).toContain(`${mf}: mappings[0].removedInVersion:`);
    const missing = await cli(['manifest', 'nope.yaml', '--kube-version', '1.25']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read nope.yaml: ENOENT');
  });
});

describe('output to a reader that goes away (| head)', () => {
  it('ends quietly with its own exit code: no EPIPE stack trace', async () => {
    // 4 MB of output: far more than a pipe buffer, so writes meet the closed pipe.
    const big = join(dir, 'big.yaml');
    writeFileSync(big, (CM + CRON).repeat(20_000));
    const child = spawn(process.execPath, [BUNDLE, 'manifest', big, '--kube-version', '1.25', '--detailed-exitcode'], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read one chunk, then close the read end, as head does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|node:events/);
    expect(stderr).toContain('renamed  CronJob app-cron');
    expect(code).toBe(2); // --detailed-exitcode: changes were made, whoever read them
  });
});

describe('psa-clean mappings (acceptance: PodSecurityPolicy at 1.24 and 1.25)', () => {
  const pspRow = async (args: string[]) => {
    const r = await cli(['mappings', '-o', 'json', ...args]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    return { doc, row: doc.entries.find((e: { id: string }) => e.id === 'policy/v1beta1/PodSecurityPolicy') };
  };

  it('applies at 1.25 (necessary, not early)', async () => {
    const { doc, row } = await pspRow(['--kube-version', 'v1.25']);
    expect(doc).toMatchObject({ kubeVersion: 'v1.25', preClean: true });
    expect(row.at).toMatchObject({ applies: true, early: false, necessary: true, replacement: null });
  });

  it('applies at 1.24 only as pre-cleaning asked for by --kube-version', async () => {
    const { row } = await pspRow(['--kube-version', '1.24']);
    expect(row.at).toMatchObject({ applies: true, early: true, necessary: false });
    expect(row.at.reason).toMatch(/pre-cleaning/);
    const strict = await pspRow(['--kube-version', '1.24', '--no-pre-clean']);
    expect(strict.row.at).toMatchObject({ applies: false, early: false });
  });

  it('without a version lists the table with no gating; shows sources and disabled entries', async () => {
    const { doc, row } = await pspRow(['--extra-mapfile', join(FIX, 'mapfiles/extra-override.yaml')]);
    expect(doc.kubeVersion).toBeNull();
    expect(row.at).toBeUndefined();
    expect(row).toMatchObject({ apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy', replacement: null, removedIn: 'v1.25', source: 'builtin' });
    const cron = doc.entries.find((e: { id: string }) => e.id === 'batch/v1beta1/CronJob');
    expect(cron).toMatchObject({ disabled: true, source: join(FIX, 'mapfiles/extra-override.yaml') });
  });

  it('-o table and -o yaml', async () => {
    const t = await cli(['mappings', '--kube-version', '1.25']);
    expect(t.stdout.split('\n')[0]).toMatch(/^DEPRECATED\s+KIND\s+REPLACEMENT\s+DEPRECATED IN\s+REMOVED IN\s+AVAILABLE IN\s+SOURCE\s+AT v1\.25\s+WHY$/);
    expect(t.stdout).toMatch(/policy\/v1beta1\s+PodSecurityPolicy\s+\(remove\)\s+v1\.21\s+v1\.25\s+-\s+builtin\s+remove\s+policy\/v1beta1 PodSecurityPolicy is removed in v1\.25 -> remove\n/);
    const y = await cli(['mappings', '-o', 'yaml']);
    expect(parse(y.stdout).entries.length).toBeGreaterThan(50);
  });
});

for (const major of [3, 4] as const) {
  describe(`helm template | helm psa-clean manifest (real Helm ${major})`, () => {
    let h: HelmEnv | undefined;
    afterAll(() => h?.cleanup());

    it('drops the PodSecurityPolicy from psp-chart and keeps every other byte', async () => {
      h = await createHelmEnv(major);
      await installBuiltPlugin(h);
      const chart = join(REPO_ROOT, 'test/fixtures/charts/psp-chart');
      const rendered = await h.helm(['template', 'rel', chart]);
      expect(rendered.code).toBe(0);
      // Oracle: cut Helm's output at its `---` lines and leave out the PSP document.
      const docs = rendered.stdout.split(/(?=^---$)/m);
      expect(docs.filter((d) => /^kind: PodSecurityPolicy$/m.test(d))).toHaveLength(1);
      const want = docs.filter((d) => !/^kind: PodSecurityPolicy$/m.test(d)).join('');

      const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
      const pipe = await run('sh', ['-c', `${q(h.helmBin)} template rel ${q(chart)} | ${q(h.helmBin)} psa-clean manifest --kube-version v1.25 --detailed-exitcode`], h.env);
      expect(pipe.stderr).toContain('removed  PodSecurityPolicy rel-psp (policy/v1beta1)');
      expect(pipe.code).toBe(2);
      expect(pipe.stdout).toBe(want);
      expect(parseAllDocuments(pipe.stdout).map((d) => (d.toJS() as { kind: string }).kind)).not.toContain('PodSecurityPolicy');
    });
  });
}
