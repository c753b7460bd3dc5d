// Secrets stay secret. Canary values sit in a chart Secret (stringData and base64 data), in
// the release values (config and chart values) and in a ConfigMap, each next to a removed
// API so diffs have them in context; the kubeconfig token is a canary too. No output of
// clean --dry-run (text/json/yaml), clean, audit, restore --dry-run, or of failing runs,
// shows any of them (plain or base64), with HELM_DEBUG=true as well; --show-secrets is the
// positive control. Backups: 0600 files in 0700 directories.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createHelmEnv } from '../helpers/helm-env.js';
import { installBuiltPlugin } from '../helpers/plugin.js';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { KubeSim } from '../kube-sim/index.js';
import { cli, cliEnv, makeRelease, seededSim, storedObject, tempDir, NS, type CliResult } from './harness.js';
import { tally } from './tally.js';

const C_SECRET = 'CANARY-secret-stringdata-5f1e';
const C_SECRET_B64 = 'CANARY-secret-data-b64-77aa';
const C_VALUES = 'CANARY-values-password-a9c3';
const C_CM = 'CANARY-configmap-value-0d4b';
const TOKEN = 'CANARY-kube-token-e3b0c44298fc1c149afbf4c8996fb924';
const CANARIES = [C_SECRET, C_SECRET_B64, C_VALUES, C_CM, TOKEN];
const forms = (c: string) => [c, Buffer.from(c).toString('base64'), Buffer.from(c).toString('base64').slice(0, 16)];

const MANIFEST = [
  `---\n# Source: app/templates/secret.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: app-secret\ntype: Opaque\nstringData:\n  password: "${C_SECRET}"\ndata:\n  token: ${Buffer.from(C_SECRET_B64).toString('base64')}\n`,
  `---\n# Source: app/templates/psp.yaml\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: app-psp\nspec:\n  privileged: false\n  seLinux:\n    rule: RunAsAny\n  runAsUser:\n    rule: RunAsAny\n  supplementalGroups:\n    rule: RunAsAny\n  fsGroup:\n    rule: RunAsAny\n  volumes:\n  - secret\n`,
  `---\n# Source: app/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  dsn: "${C_CM}"\n`,
  `---\n# Source: app/templates/pdb.yaml\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: app-pdb\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: app\n`,
].join('');

function releases() {
  const extra = { config: { password: C_VALUES } };
  const withChartValues = (r: ReturnType<typeof makeRelease>) => ({ ...r, chart: { ...(r.chart as object), values: { password: C_VALUES } } });
  return [
    withChartValues(makeRelease('app', 1, 'superseded', MANIFEST, extra)),
    withChartValues(makeRelease('app', 2, 'deployed', MANIFEST, extra)),
  ];
}

function leaks(r: CliResult): string[] {
  const text = r.stdout + r.stderr;
  return CANARIES.flatMap(forms).filter((f) => text.includes(f));
}

describe('secrets never reach output', () => {
  let sim: KubeSim;
  let backupRoot: string;
  const runs: Array<{ what: string; r: CliResult }> = [];
  const env = (extra: NodeJS.ProcessEnv = {}) => cliEnv(sim, 'secret', { HELM_KUBETOKEN: TOKEN, ...extra });

  beforeAll(async () => {
    sim = await seededSim('secret', releases(), { token: TOKEN });
    // Broken records whose bytes hold a canary: their errors must not quote them.
    const badJson = storedObject('secret', makeRelease('brokenjson', 1, 'deployed', ''), {}, gzipSync(Buffer.from(`{"name":"brokenjson","config":{"password":"${C_VALUES}"`)).toString('base64'));
    sim.putObject(badJson);
    sim.putObject(storedObject('secret', makeRelease('brokenyaml', 1, 'deployed', `---\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: [${C_SECRET}\n  password: ${C_SECRET} : : [\n`)));
    backupRoot = tempDir('psa-secrets-');
  });
  afterAll(async () => {
    await sim?.stop();
  });

  const matrix: Array<{ what: string; args: () => string[] }> = [
    { what: 'clean --dry-run (text)', args: () => ['-A', '--dry-run'] },
    { what: 'clean --dry-run -o json', args: () => ['-A', '--dry-run', '-o', 'json'] },
    { what: 'clean --dry-run -o yaml', args: () => ['-A', '--dry-run', '-o', 'yaml'] },
    { what: 'clean --dry-run -C 100 (whole documents as context)', args: () => ['-A', '--dry-run', '-C', '100'] },
    { what: 'audit -A', args: () => ['audit', '-A'] },
    { what: 'audit -A -o json', args: () => ['audit', '-A', '-o', 'json'] },
  ];
  for (const debug of [false, true]) {
    for (const m of matrix) {
      it(`${m.what}${debug ? ' with HELM_DEBUG=true' : ''}: no canary`, async () => {
        const r = await cli(m.args(), env(debug ? { HELM_DEBUG: 'true' } : {}));
        runs.push({ what: m.what, r });
        if (debug && !m.what.startsWith('audit')) expect(r.stderr).toMatch(/GET \/api\/v1\/secrets/); // the debug log is on
        expect(r.stdout.length).toBeGreaterThan(0);
        expect(leaks(r)).toEqual([]);
        tally('secrets', 'dry run / audit outputs (text, json, yaml, -C 100; with and without HELM_DEBUG)', { runs: 1, lost: 0, outcome: 'no canary in any output' });
      });
    }
  }

  it('errors for records holding canaries do not quote them', () => {
    const json = runs.find((x) => x.what === 'clean --dry-run -o json')!.r;
    const out = JSON.parse(json.stdout) as { releases: Array<{ name: string; status: string; error?: string }> };
    expect(out.releases.find((r) => r.name === 'brokenjson')?.status).toBe('error');
    expect(out.releases.find((r) => r.name === 'brokenyaml')?.status).toBe('error');
    expect(leaks(json)).toEqual([]);
    tally('secrets', 'errors on records holding canaries', { runs: 1, lost: 0, outcome: 'no canary' });
  });

  it('--show-secrets is the positive control: the Secret canary shows in the diff', async () => {
    const r = await cli(['app', '--dry-run', '--show-secrets', '-C', '100'], env());
    expect(r.stdout).toContain(C_SECRET);
  });

  it('a real run (HELM_DEBUG=true) and restore --dry-run print no canary; backups are 0600 in 0700 directories', async () => {
    const dir = join(backupRoot, 'run1');
    const r = await cli(['app', '--backup-dir', dir], env({ HELM_DEBUG: 'true' }));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(leaks(r)).toEqual([]);
    const restore = await cli(['restore', dir, '--dry-run'], env({ HELM_DEBUG: 'true' }));
    expect(leaks(restore)).toEqual([]);
    const check = (p: string) => {
      const st = statSync(p);
      if (st.isDirectory()) {
        expect((st.mode & 0o777).toString(8), p).toBe('700');
        for (const f of readdirSync(p)) check(join(p, f));
      } else {
        expect((st.mode & 0o777).toString(8), p).toBe('600');
      }
    };
    check(dir);
    expect(readdirSync(join(dir, NS)).length).toBe(1);
    // The default location too ($HELM_DATA_HOME/psa-clean/backups/<time>).
    sim.putObject(storedObject('secret', makeRelease('app2', 1, 'deployed', MANIFEST)));
    const home = tempDir('psa-secrets-home-');
    const r2 = await cli(['app2'], env({ HELM_DATA_HOME: home }));
    expect(r2.code).toBe(0);
    const base = join(home, 'psa-clean', 'backups');
    for (const d of readdirSync(base)) check(join(base, d));
    tally('secrets', 'real run + restore --dry-run with HELM_DEBUG; backup modes', { runs: 2, lost: 0, outcome: 'no canary; 0600 files, 0700 dirs' });
  });

  it('through real Helm 3 (`helm --debug psa-clean`, token from the kubeconfig file): no canary, no token', async () => {
    const h = await createHelmEnv(3, { kubeconfig: sim.kubeconfigPath, driver: 'secret' });
    try {
      await installBuiltPlugin(h);
      sim.putObject(storedObject('secret', { ...makeRelease('app3', 1, 'deployed', MANIFEST), config: { password: C_VALUES } }));
      expect(readFileSync(sim.kubeconfigPath, 'utf8')).toContain(TOKEN); // the token really is in the kubeconfig
      const outs: CliResult[] = [];
      for (const args of [['--debug', 'psa-clean', 'app3', '--dry-run', '-n', NS, '-C', '100'], ['--debug', 'psa-clean', '-A', '--dry-run', '-o', 'json'], ['--debug', 'psa-clean', 'audit', '-A']]) {
        const r = await h.helm(args);
        outs.push(r);
        expect(r.stdout.length, r.stderr).toBeGreaterThan(0);
        expect(leaks(r)).toEqual([]);
      }
      expect(outs[0].stderr).toMatch(/GET \/api\/v1\/namespaces\/demo\/secrets/); // HELM_DEBUG reached the plugin
      expect(outs[0].stdout).toContain('-kind: PodSecurityPolicy'); // a real diff, with the canary documents as context
      expect(outs[0].stdout).toContain('app-config');
      tally('secrets', 'real Helm 3 with --debug (token from kubeconfig)', { runs: 3, lost: 0, outcome: 'no canary, no token' });
    } finally {
      h.cleanup();
    }
  });

  it('a rejected token is never printed (401 with HELM_DEBUG=true)', async () => {
    const wrong = 'CANARY-wrong-token-1234567890abcdef';
    const r = await cli(['app', '--dry-run'], env({ HELM_KUBETOKEN: wrong, HELM_DEBUG: 'true' }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('401');
    expect(r.stdout + r.stderr).not.toContain(wrong);
    expect(leaks(r)).toEqual([]);
    tally('secrets', 'rejected token, HELM_DEBUG', { runs: 1, lost: 0, outcome: 'token not printed' });
  });
});
