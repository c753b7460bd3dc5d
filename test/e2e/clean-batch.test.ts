// `helm psa-clean -A` over a mixed cluster (issue 6 acceptance 2 and 3): PSP, PSP hook,
// clean, pending-upgrade, failed latest, corrupt record, forbidden namespace; summary, exit
// codes, JSON Schema; idempotence, --all-revisions, restore to the exact bytes, redaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { decodeRelease, encodeRelease } from '../../src/helm/codec.js';
import type { KubeObject } from '../kube-sim/index.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { CHARTS, startCluster, storeSnapshot, writesIn, type Cluster } from './clean-helpers.js';

const SECRET_VALUE = 'Sup3r-S3cret-Pa55word-7f3a';
const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'clean-output.schema.json'), 'utf8'));
const validate = new (Ajv as unknown as typeof Ajv.default)({ allErrors: true, strict: true }).compile(schema);

function secretPath(ns: string, name: string, rev: number): string {
  return `/api/v1/namespaces/${ns}/secrets/sh.helm.release.v1.${name}.v${rev}`;
}
function readRelease(o: KubeObject): Record<string, unknown> {
  return decodeRelease(Buffer.from(o.data.release, 'base64').toString('utf8'));
}
/** Stores `release` as revision `rev` next to `base` (a Helm Secret), with the given status. */
function putRevision(c: Cluster, base: KubeObject, release: Record<string, unknown>, rev: number, status: string, rawData?: string): void {
  const ns = base.metadata.namespace;
  const name = base.metadata.labels.name;
  release.version = rev;
  (release.info as Record<string, unknown>).status = status;
  c.sim.putObject({
    apiVersion: 'v1', kind: 'Secret', type: base.type,
    metadata: { name: `sh.helm.release.v1.${name}.v${rev}`, namespace: ns, labels: { ...base.metadata.labels, status, version: String(rev) } },
    data: { release: rawData ?? Buffer.from(encodeRelease(release)).toString('base64') },
  });
}

for (const major of [3, 4] as const) describe(`helm psa-clean -A over a mixed cluster (Helm ${major}, secret driver)`, () => {
  let c: Cluster;
  const outputs: string[] = [];
  const psa = async (args: string[]) => {
    const r = await c.h.helm(['psa-clean', ...args]);
    outputs.push(r.stdout, r.stderr);
    return r;
  };

  beforeAll(async () => {
    c = await startCluster(major, 'secret');
    const h = c.h;
    const ok = async (args: string[]) => {
      const r = await h.helm(args);
      if (r.code !== 0) throw new Error(`helm ${args.join(' ')}: ${r.stderr}`);
    };
    const psp = join(CHARTS, 'psp-chart');
    await ok(['install', 'psp', psp, '-n', 'ns-a', '--create-namespace']);
    await ok(['install', 'hook', join(CHARTS, 'psp-hook-chart'), '-n', 'ns-a']);
    await ok(['install', 'clean', join(CHARTS, 'clean-chart'), '-n', 'ns-b', '--create-namespace', '--set', `password=${SECRET_VALUE}`]);
    await ok(['install', 'pending', psp, '-n', 'ns-b']);
    await ok(['install', 'failed', psp, '-n', 'ns-c', '--create-namespace']);
    await ok(['install', 'corrupt', join(CHARTS, 'clean-chart'), '-n', 'ns-c']);
    await ok(['install', 'locked', psp, '-n', 'ns-d', '--create-namespace']);
    await ok(['install', 'mixed', join(CHARTS, 'clean-chart'), '-n', 'ns-a', '--set', `password=${SECRET_VALUE}`]);
    // pending-upgrade latest revision 2
    const p1 = c.sim.getObject(secretPath('ns-b', 'pending', 1))!;
    putRevision(c, p1, readRelease(p1), 2, 'pending-upgrade');
    // failed latest revision 2 over deployed revision 1 (whose manifest has the PSP)
    const f1 = c.sim.getObject(secretPath('ns-c', 'failed', 1))!;
    putRevision(c, f1, readRelease(f1), 2, 'failed');
    // corrupt revision 2, labelled deployed; revision 1 superseded
    const k1 = c.sim.getObject(secretPath('ns-c', 'corrupt', 1))!;
    putRevision(c, k1, readRelease(k1), 2, 'deployed', Buffer.from('H4sInot-really-gzip').toString('base64'));
    c.sim.putObject({ ...k1, metadata: { ...k1.metadata, labels: { ...k1.metadata.labels, status: 'superseded' } } });
    // a release whose stored manifest holds a Secret right next to a PSP: the diff's context
    const m1 = c.sim.getObject(secretPath('ns-a', 'mixed', 1))!;
    const mr = readRelease(m1);
    mr.manifest = String(mr.manifest) + '---\n# Source: clean-chart/templates/psp.yaml\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: mixed-psp\nspec:\n  privileged: false\n';
    putRevision(c, m1, mr, 1, 'deployed');
    c.sim.setForbid(['get:secrets:ns=ns-d']);
    c.sim.setKubeVersion('v1.25.16');
  });
  afterAll(async () => {
    await c?.close();
  });

  it('dry run: every release gets the right outcome; exit codes with and without --detailed-exitcode', async () => {
    const before = await storeSnapshot(c);
    c.sim.clearLog();
    const r = await psa(['-A', '--dry-run', '-o', 'json']);
    expect(r.code).toBe(1); // errors present
    const doc = JSON.parse(r.stdout);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    const by = Object.fromEntries(doc.releases.map((x: { namespace: string; name: string; status: string }) => [`${x.namespace}/${x.name}`, x.status]));
    expect(by).toEqual({
      'ns-a/hook': 'changed', 'ns-a/mixed': 'changed', 'ns-a/psp': 'changed',
      'ns-b/clean': 'unchanged', 'ns-b/pending': 'skipped',
      'ns-c/corrupt': 'error', 'ns-c/failed': 'changed',
      'ns-d/locked': 'error',
    });
    expect(doc.summary).toEqual({ total: 8, changed: 4, unchanged: 1, skipped: 1, errors: 2 });
    const get = (id: string) => doc.releases.find((x: { namespace: string; name: string }) => `${x.namespace}/${x.name}` === id);
    expect(get('ns-c/failed')).toMatchObject({ chosenRevision: 1, latestRevision: 2, newRevision: 3 });
    expect(get('ns-c/failed').chosenReason).toContain('failed');
    expect(get('ns-b/pending').skippedReason).toContain('pending-upgrade');
    expect(get('ns-c/corrupt').error).toContain('sh.helm.release.v1.corrupt.v2');
    expect(get('ns-d/locked').error).toMatch(/forbidden/i);
    expect(get('ns-a/hook').removedHooks).toEqual(['PodSecurityPolicy/hook-hook-psp']);
    expect(get('ns-a/psp').diffs[0].diff).toContain('-kind: PodSecurityPolicy');
    expect(writesIn(c)).toEqual([]);
    expect(await storeSnapshot(c)).toBe(before);

    const text = await psa(['-A', '--dry-run']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Plan: 4 releases to update, 1 unchanged, 1 skipped, 2 errors');
    const det = await psa(['-A', '--dry-run', '--detailed-exitcode']);
    expect(det.code).toBe(1);
    const healthy = ['-A', '--namespace-exclude', 'ns-c', '--namespace-exclude', 'ns-d'];
    expect((await psa([...healthy, '--dry-run', '--detailed-exitcode'])).code).toBe(2);
    expect((await psa([...healthy, '--dry-run'])).code).toBe(0);
    // `clean` is also the (default) command's name: name it to pass a release called clean
    expect((await psa(['clean', 'clean', '-n', 'ns-b', '--detailed-exitcode'])).code).toBe(0);
    const missing = await psa(['nope', 'clean', '-n', 'ns-b']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('ns-b/nope: error: release "nope" not found in namespace "ns-b"');
    expect(missing.stdout).toContain('ns-b/clean: unchanged');
    expect(writesIn(c)).toEqual([]);
  });

  it('redacts Secret data in diffs unless --show-secrets', async () => {
    // -C 100: the whole manifest is context, so the Secret document is inside the diff
    const dry = await psa(['mixed', '-n', 'ns-a', '--dry-run', '-C', '100']);
    expect(dry.stdout).toContain('-kind: PodSecurityPolicy');
    expect(dry.stdout).toContain('kind: Secret');
    // positive control: the value is in the diff's context when asked for
    const shown = await c.h.helm(['psa-clean', 'mixed', '-n', 'ns-a', '--dry-run', '--show-secrets', '-C', '100']);
    expect(shown.stdout).toContain(SECRET_VALUE);
  });

  it('applies, is idempotent, and restore puts the store back to its exact bytes', async () => {
    const before = await storeSnapshot(c);
    const r = await psa(['-A', '-o', 'json', '--detailed-exitcode']);
    expect(r.code).toBe(1); // the corrupt and forbidden releases are errors
    const doc = JSON.parse(r.stdout);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.summary).toEqual({ total: 8, changed: 4, unchanged: 1, skipped: 1, errors: 2 });
    expect(doc.backupDir).toContain(join(c.h.root, 'data', 'psa-clean', 'backups'));
    const hist = JSON.parse((await c.h.helm(['history', 'failed', '-n', 'ns-c', '-o', 'json'])).stdout);
    expect(hist.map((x: { revision: number; status: string }) => `${x.revision}:${x.status}`)).toEqual(['1:superseded', '2:failed', '3:deployed']);
    expect((await c.h.helm(['upgrade', 'failed', join(CHARTS, 'psp-chart'), '-n', 'ns-c', '--set', 'withPsp=false'])).code).toBe(0);

    // second run writes nothing
    c.sim.clearLog();
    const again = await psa(['-A', '--namespace-exclude', 'ns-c,ns-d', '--detailed-exitcode']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Done: 0 releases updated');
    expect(writesIn(c)).toEqual([]);

    // restore refuses for ns-c/failed (upgraded since), and puts everything back when that is undone
    const refused = await psa(['restore', doc.backupDir]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('ns-c/failed: revision 4 was written after the backup');
    const v4 = c.sim.getObject(secretPath('ns-c', 'failed', 4))!;
    expect(v4).toBeDefined();
    const { h } = c;
    // delete revision 4 and give revision 3 its deployed label back, as before the upgrade
    await h.kubectl(['delete', 'secret', '-n', 'ns-c', 'sh.helm.release.v1.failed.v4']);
    const v3 = c.sim.getObject(secretPath('ns-c', 'failed', 3))!;
    const r3 = readRelease(v3);
    putRevision(c, v3, r3, 3, 'deployed');
    const dryRestore = await psa(['restore', doc.backupDir, '--dry-run']);
    expect(dryRestore.code).toBe(0);
    expect(dryRestore.stdout).toContain('would delete revision 3');
    const restored = await psa(['restore', doc.backupDir]);
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
    expect(await storeSnapshot(c)).toBe(before);
  });

  it('--all-revisions makes rollback to revision 1 work; without it rollback fails and the output names the revisions', async () => {
    const { h } = c;
    const psp = join(CHARTS, 'psp-chart');
    c.sim.setKubeVersion('v1.24.17');
    for (const rel of ['ar', 'noar']) {
      expect((await h.helm(['install', rel, psp, '-n', 'ns-e', '--create-namespace'])).code).toBe(0);
      expect((await h.helm(['upgrade', rel, psp, '-n', 'ns-e', '--set', 'message=two'])).code).toBe(0);
    }
    c.sim.setKubeVersion('v1.25.16');
    const without = await psa(['noar', '-n', 'ns-e']);
    expect(without.code).toBe(0);
    expect(without.stdout).toContain('helm rollback to revisions 1, 2 will fail');
    const rbFail = await h.helm(['rollback', 'noar', '1', '-n', 'ns-e']);
    expect(rbFail.code).toBe(1);
    expect(rbFail.stderr).toContain('Error:');

    const withAll = await psa(['ar', '-n', 'ns-e', '--all-revisions']);
    expect(withAll.code).toBe(0);
    expect(withAll.stdout).toContain('ns-e/ar: wrote revision 3 (deployed) from revision 2; marked revision 2 superseded; rewrote revisions 1, 2 in place');
    expect(withAll.stdout).not.toContain('will fail');
    const rb = await h.helm(['rollback', 'ar', '1', '-n', 'ns-e']);
    expect(rb.stderr).toBe('');
    expect(rb.code).toBe(0);
  });

  it('a pending-upgrade latest is repaired only with --force, and helm upgrade then works', async () => {
    const skip = await psa(['pending', '-n', 'ns-b', '--detailed-exitcode']);
    expect(skip.code).toBe(0);
    expect(skip.stdout).toContain('ns-b/pending: skipped: latest revision 2 is pending-upgrade');
    const forced = await psa(['pending', '-n', 'ns-b', '--force', '-o', 'json']);
    expect(forced.code).toBe(0);
    const rel = JSON.parse(forced.stdout).releases[0];
    expect(rel).toMatchObject({ status: 'changed', chosenRevision: 1, latestRevision: 2, newRevision: 3, supersededRevisions: [1] });
    const up = await c.h.helm(['upgrade', 'pending', join(CHARTS, 'psp-chart'), '-n', 'ns-b', '--set', 'withPsp=false']);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
  });

  it('no output ever carried the Secret value (without --show-secrets)', () => {
    expect(outputs.length).toBeGreaterThan(10);
    for (const o of outputs) expect(o).not.toContain(SECRET_VALUE);
  });
});
