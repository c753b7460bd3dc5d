// Hostile and broken input. Stored records: each bad release sits in one batch next to a
// good one; the bad one ends with an error naming the object, nothing is written for it,
// the good one is repaired. Configuration and connection problems: a clear error naming
// the file/context/address/namespace+verb, exit 1, nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { encodeRelease } from '../../src/helm/codec.js';
import type { ReleaseJson } from '../../src/helm/release.js';
import { startKubeSim, type KubeSim } from '../kube-sim/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { cli, cliEnv, history, makeRelease, NS, PSP_DOC, CM_DOC, records, seededSim, storedObject, tempDir } from './harness.js';
import { tally } from './tally.js';

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');
const gz = (s: string) => gzipSync(Buffer.from(s, 'utf8'));
const key = (name: string, rev = 1) => `sh.helm.release.v1.${name}.v${rev}`;

interface BadRecord {
  kind: string;
  name: string;
  /** Object as stored (secret driver). */
  object: () => Record<string, unknown>;
  /** The error must contain each of these. */
  expect: Array<string | RegExp>;
  /** Listed but not processed (labels unusable): an error without a release name. */
  status?: 'error' | 'skipped' | 'changed';
}

function withRaw(name: string, helmText: string | undefined, secretData?: string): Record<string, unknown> {
  const o = storedObject('secret', makeRelease(name, 1, 'deployed', PSP_DOC));
  (o.data as Record<string, string>).release = secretData ?? b64(helmText!);
  return o;
}
function withManifest(name: string, manifest: string, extra: Partial<ReleaseJson> = {}): Record<string, unknown> {
  return storedObject('secret', { ...makeRelease(name, 1, 'deployed', ''), manifest, ...extra });
}

const deep = (n: number) => `${'a:\n'.replace('a', 'x')}${Array.from({ length: n }, (_, i) => `${' '.repeat(i + 1)}x:`).join('\n')} 1\n`;
const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
for (let i = 1; i < 10; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);

const BAD: BadRecord[] = [
  { kind: 'Secret data not base64', name: 'b64outer', object: () => withRaw('b64outer', undefined, '%%%not base64%%%'), expect: [`Secret ${NS}/${key('b64outer')}`, 'not valid base64 (Secret layer)'] },
  { kind: 'Helm text not base64', name: 'b64inner', object: () => withRaw('b64inner', '@@@ definitely not base64 @@@!'), expect: [`Secret ${NS}/${key('b64inner')}`, 'not valid base64'] },
  { kind: 'corrupt gzip', name: 'badgzip', object: () => withRaw('badgzip', b64(Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0]), Buffer.from('garbage-garbage-garbage')]))), expect: [`Secret ${NS}/${key('badgzip')}`, 'not valid gzip'] },
  { kind: 'corrupt JSON', name: 'badjson', object: () => withRaw('badjson', b64(gz('{"name": "badjson", "version": 1, '))), expect: [`Secret ${NS}/${key('badjson')}`, 'not valid JSON'] },
  { kind: 'JSON not an object', name: 'jsonarray', object: () => withRaw('jsonarray', b64(gz('[1,2,3]'))), expect: [`Secret ${NS}/${key('jsonarray')}`, 'not a JSON object'] },
  {
    kind: 'gzip bomb (80 KiB decompressing to 80 MiB)', name: 'gzbomb',
    object: () => withRaw('gzbomb', b64(gzipSync(Buffer.concat([Buffer.from('{"name":"gzbomb","x":"'), Buffer.alloc(80 * 1024 * 1024, 0x61), Buffer.from('"}')]), { level: 9 }))),
    expect: [`Secret ${NS}/${key('gzbomb')}`, /decompress/],
  },
  {
    kind: 'body name disagrees with labels', name: 'namemix',
    object: () => { const o = storedObject('secret', { ...makeRelease('namemix', 1, 'deployed', PSP_DOC), name: 'someone-else' }, { name: 'namemix' }); (o.metadata as Record<string, unknown>).name = key('namemix'); return o; },
    expect: [`Secret ${NS}/${key('namemix')}`, 'release body name "someone-else" disagrees with the label/key name "namemix"'] },
  {
    kind: 'body version disagrees with labels', name: 'vermix',
    object: () => { const o = storedObject('secret', makeRelease('vermix', 7, 'deployed', PSP_DOC)); (o.metadata as Record<string, unknown>).name = key('vermix'); (o.metadata as { labels: Record<string, string> }).labels.version = '1'; return o; },
    expect: [`Secret ${NS}/${key('vermix')}`, 'release body version 7 disagrees with the label/key revision 1'],
  },
  {
    kind: 'labels disagree with object name', name: 'labelmix',
    object: () => { const o = storedObject('secret', makeRelease('labelmix', 1, 'deployed', PSP_DOC)); (o.metadata as { labels: Record<string, string> }).labels.version = '2'; return o; },
    expect: [`Secret ${NS}/${key('labelmix')}`, 'do not match the object name'],
  },
  {
    kind: '1 MiB+ body (new revision over the Secret size limit)', name: 'huge',
    // 2.5 M hex digits (1.25 MB gzipped): the record Helm could never have stored, and a new revision the API would refuse.
    object: () => withManifest('huge', PSP_DOC.replaceAll('NAME', 'huge') + `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: filler\ndata:\n  x: "${randomText(2_500_000)}"\n`),
    // Refused when its first write is built (the create of v2, or the dry-run supersede of
    // v1 when it is the first in its namespace), before anything is sent.
    expect: [/^Secret demo\/sh\.helm\.release\.v1\.huge\.v[12]: refusing to write: the encoded release is \d+ bytes; Kubernetes stores at most 1 MiB/],
  },
  { kind: 'manifest is not YAML', name: 'notyaml', object: () => withManifest('notyaml', '---\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: [unclosed\n  : : :\n'), expect: ['manifest: document', 'is not valid YAML'] },
  { kind: 'YAML bomb: deep nesting (20,000 levels)', name: 'deepyaml', object: () => withManifest('deepyaml', `---\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: deep\nspec: ${'['.repeat(20000)}${']'.repeat(20000)}\n`), expect: ['manifest'] },
  // Aliases are never expanded (the rewriter edits the parsed tree in place; the advisory
  // PSS audit expands with maxAliasCount 100 and skips what it cannot read): the bomb is
  // harmless, the PSP document is removed like any other, in bounded time and memory.
  { kind: 'YAML bomb: billion laughs aliases', name: 'laughs', object: () => withManifest('laughs', `---\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: lol\n${laughs.join('\n')}\nspec:\n  x: *j\n`), expect: [], status: 'changed' },
  { kind: 'unknown info.status in body', name: 'weirdstatus', object: () => storedObject('secret', makeRelease('weirdstatus', 1, 'exploded', PSP_DOC), { status: 'deployed' }), expect: [`Secret ${NS}/${key('weirdstatus')}`, 'unknown info.status "exploded"'] },
  { kind: 'unknown status label', name: 'weirdlabel', object: () => storedObject('secret', makeRelease('weirdlabel', 1, 'deployed', PSP_DOC), { status: 'exploded' }), expect: ['exploded'], status: 'skipped' },
];

/** Deterministic incompressible text (hex of a SHA-256 chain). */
function randomText(n: number): string {
  const parts: string[] = [];
  let len = 0;
  for (let i = 0; len < n; i++) {
    const h = createHash('sha256').update(String(i)).digest('hex');
    parts.push(h);
    len += h.length;
  }
  return parts.join('').slice(0, n);
}

describe('bad stored records: clear error per record, nothing written for it, the batch goes on', () => {
  let sim: KubeSim;
  let result: { code: number; stdout: string; stderr: string };
  let before: ReturnType<typeof records>;
  beforeAll(async () => {
    sim = await seededSim('secret', history('good', 2));
    for (const b of BAD) sim.putObject(b.object());
    before = records(sim, 'secret');
    result = await cli(['-A', '-o', 'json', '--no-backup'], cliEnv(sim, 'secret'));
  }, 120_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('the good release is repaired and the run exits 1', () => {
    expect(result.code).toBe(1);
    const out = JSON.parse(result.stdout) as { releases: Array<{ name: string; status: string }> };
    expect(out.releases.find((r) => r.name === 'good')?.status).toBe('changed');
  });

  for (const b of BAD) {
    it(`${b.kind}: error names the object, nothing written for it`, () => {
      const out = JSON.parse(result.stdout) as { releases: Array<{ name: string | null; namespace: string; status: string; error?: string; skippedReason?: string }> };
      const mine = out.releases.filter((r) => r.name === b.name || (r.error ?? '').includes(key(b.name)));
      expect(mine.length, JSON.stringify(out.releases.map((r) => [r.name, r.status, r.error ?? r.skippedReason]))).toBe(1);
      expect(mine[0].status).toBe(b.status ?? 'error');
      const text = mine[0].error ?? mine[0].skippedReason ?? '';
      for (const e of b.expect) expect(text).toMatch(typeof e === 'string' ? new RegExp(e.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : e);
      expect(text.length).toBeLessThan(400); // a message, not a dump of the record
      if (b.status === 'changed') {
        const v2 = sim.getObject(`/api/v1/namespaces/${NS}/secrets/${key(b.name, 2)}`);
        expect(v2).toBeDefined();
        expect(Buffer.from(v2!.data.release, 'base64').length).toBeLessThan(10_000);
        tally('bad-input', b.kind, { runs: 1, lost: 0, outcome: 'harmless: aliases never expanded, PSP doc removed' });
        return;
      }
      // Nothing written: no request wrote to this release's records, and they are byte-identical.
      expect(sim.requests().filter((r) => r.method !== 'GET' && r.path.includes(`.${b.name}.v`))).toEqual([]);
      const after = records(sim, 'secret');
      for (const [id, rec] of before) if (id.includes(`.${b.name}.v`)) expect(after.get(id)).toEqual(rec);
      tally('bad-input', b.kind, { runs: 1, lost: 0, outcome: 'clear error, nothing written' });
    });
  }
});

describe('bad configuration and connections: clear error, exit 1, nothing written', () => {
  let sim: KubeSim;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir('psa-badcfg-');
    sim = await seededSim('secret', history('app', 2), { token: 'the-right-token-0123456789', forbid: ['update:secrets:ns=locked', 'list:secrets:ns=hidden'] });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  const env = (extra: NodeJS.ProcessEnv) => cliEnv(sim, 'secret', { HELM_KUBETOKEN: 'the-right-token-0123456789', ...extra });
  const noWrites = () => expect(sim.requests().filter((r) => r.method !== 'GET')).toEqual([]);
  const row = (kind: string) => tally('bad-input', kind, { runs: 1, lost: 0, outcome: 'clear error, exit 1, nothing written' });

  it('invalid mapfile: file, entry and field in the message', async () => {
    const f = join(dir, 'bad-map.yaml');
    writeFileSync(f, 'mappings:\n  - deprecated: {group: policy, version: v1beta1, kind: PodSecurityPolicy}\n    replacement: null\n    removedIn: "1.25"\n  - deprecated: {group: apps, version: v1beta1, kind: Deployment}\n    replacement: {group: apps, version: v1}\n    removedIn: "banana"\n');
    const r = await cli(['app', '--mapfile', f], env({}));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(f);
    expect(r.stderr).toMatch(/mappings\[1\]/);
    expect(r.stderr).toContain('removedIn');
    noWrites();
    row('invalid mapfile');
  });

  it('missing kubeconfig file', async () => {
    const r = await cli(['app'], env({ KUBECONFIG: join(dir, 'nope.yaml'), HELM_KUBETOKEN: '' }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(dir, 'nope.yaml'));
    noWrites();
    row('missing kubeconfig');
  });

  it('unreadable kubeconfig (a directory) and kubeconfig that is not YAML', async () => {
    const d = join(dir, 'kube-dir');
    mkdirSync(d, { recursive: true });
    const r1 = await cli(['app'], env({ KUBECONFIG: d }));
    expect(r1.code).toBe(1);
    expect(r1.stderr).toContain(d);
    const f = join(dir, 'garbage.yaml');
    writeFileSync(f, 'clusters: [unclosed\n  : :\n');
    const r2 = await cli(['app'], env({ KUBECONFIG: f }));
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(f);
    noWrites();
    row('unreadable / non-YAML kubeconfig');
  });

  it('unknown context', async () => {
    const r = await cli(['app'], env({ HELM_KUBECONTEXT: 'no-such-context' }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no-such-context');
    noWrites();
    row('unknown kube context');
  });

  it('expired token (401)', async () => {
    const r = await cli(['app'], env({ HELM_KUBETOKEN: 'expired-token-abcdef' }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/401 Unauthorized/);
    expect(r.stderr + r.stdout).not.toContain('expired-token-abcdef');
    noWrites();
    row('expired token (401)');
  });

  it('forbidden (403): namespace and verb named, other namespaces go on', async () => {
    sim.putObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'locked' } });
    sim.putObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'hidden' } });
    for (const ns of ['locked', 'hidden']) for (const r of history('app', 2, undefined, { namespace: ns })) sim.putObject(storedObject('secret', r));
    const r1 = await cli(['app', '-o', 'json', '--no-backup'], env({ HELM_NAMESPACE: 'hidden' }));
    expect(r1.code).toBe(1);
    const e1 = JSON.parse(r1.stdout).releases[0].error as string;
    expect(e1).toMatch(/^list secrets in namespace "hidden": forbidden \(403\)/);
    sim.clearLog();
    const r2 = await cli(['app', '-o', 'json', '--no-backup'], env({ HELM_NAMESPACE: 'locked' }));
    expect(r2.code).toBe(1);
    const e2 = JSON.parse(r2.stdout).releases[0].error as string;
    expect(e2).toContain('in namespace "locked"');
    expect(e2).toMatch(/forbidden \(403\)/);
    // Nothing half-written in "locked": the create was refused? no - create is allowed, update is not.
    const objs = sim.listObjects({ resource: 'secrets', namespace: 'locked', labelSelector: 'owner=helm' });
    expect(objs.length).toBeGreaterThanOrEqual(2);
    row('forbidden (403)');
  });

  it('unreachable API server: fails fast with the address', async () => {
    const s = await startKubeSim();
    const kc = s.kubeconfigPath;
    const url = s.url;
    await s.stop();
    const r = await cli(['app'], cliEnv({ kubeconfigPath: kc }, 'secret'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(url.replace(/\/$/, ''));
    expect(r.stderr).toMatch(/unreachable \(ECONNREFUSED/);
    row('unreachable API server');
  });
});

describe('SQL driver connection problems', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('connection refused names host and port', async () => {
    const r = await cli(['app', '--kube-version', '1.25.16'], cliEnv(undefined, 'sql', { HELM_DRIVER_SQL_CONNECTION_STRING: 'postgres://postgres:pw@127.0.0.1:1/helm?sslmode=disable' }));
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/127\.0\.0\.1:1\b|ECONNREFUSED/);
    expect(r.stdout + r.stderr).not.toContain(':pw@');
    tally('bad-input', 'SQL connection refused', { runs: 1, lost: 0, outcome: 'clear error, exit 1' });
  });

  it('wrong password: clear error, the password never printed', async () => {
    const u = new URL(db.helmUrl);
    u.password = 'wrong-password-xyz';
    const r = await cli(['app', '--kube-version', '1.25.16'], cliEnv(undefined, 'sql', { HELM_DRIVER_SQL_CONNECTION_STRING: u.toString() }));
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/password authentication failed|authentication/i);
    expect(r.stderr + r.stdout).not.toContain('wrong-password-xyz');
    tally('bad-input', 'SQL wrong password', { runs: 1, lost: 0, outcome: 'clear error, exit 1, password not shown' });
  });
});

// keep imports used (encodeRelease for fixtures built elsewhere)
void encodeRelease;
void CM_DOC;
