// API faults injected by kube-sim rules while `psa-clean -A` repairs two releases: transient
// 429 (Retry-After)/500/502/503/504/dropped connections are retried and the run ends exactly
// like an undisturbed one; persistent ones end in a per-release error naming the object,
// the other release is still repaired, and a re-run converges. After every scenario the
// store is checked object by object (untouched or intended; nothing lost or duplicated).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRule, KubeSim } from '../kube-sim/index.js';
import {
  checkObjects, cli, cliEnv, consistency, history, normalizedStore, seededSim, type KubeDriverName,
} from './harness.js';
import { tally } from './tally.js';

const RELEASES = () => [...history('app', 3), ...history('other', 2, undefined, { namespace: 'demo2' })];

interface Target {
  name: string;
  method: string;
  pathRegex: string;
}
const targets = (driver: KubeDriverName): Target[] => {
  const res = driver === 'secret' ? 'secrets' : 'configmaps';
  return [
    { name: 'list', method: 'GET', pathRegex: `^/api/v1/${res}$` },
    { name: 'get', method: 'GET', pathRegex: `/${res}/sh\\.helm\\.release\\.v1\\.app\\.v\\d+$` },
    { name: 'create', method: 'POST', pathRegex: `/namespaces/demo/${res}$` },
    { name: 'update', method: 'PUT', pathRegex: `/${res}/sh\\.helm\\.release\\.v1\\.app\\.v\\d+$` },
  ];
};
const KINDS: Array<{ kind: string; rule: Partial<FaultRule> }> = [
  { kind: '429+Retry-After', rule: { status: 429, retryAfterSeconds: 1 } },
  { kind: '500', rule: { status: 500 } },
  { kind: '502', rule: { status: 502 } },
  { kind: '503', rule: { status: 503 } },
  { kind: '504', rule: { status: 504 } },
  { kind: 'drop', rule: { drop: true } },
];

async function reference(driver: KubeDriverName): Promise<{ before: Record<string, unknown>; intended: Record<string, unknown> }> {
  const sim = await seededSim(driver, RELEASES());
  try {
    const before = normalizedStore(sim, driver);
    const r = await cli(['-A', '-o', 'json', '--no-backup'], cliEnv(sim, driver));
    if (r.code !== 0) throw new Error(`reference run failed: ${r.stderr}`);
    return { before, intended: normalizedStore(sim, driver) };
  } finally {
    await sim.stop();
  }
}

type Outcome = { name: string | null; status: string; error?: string; warnings: string[] };
function outcomes(stdout: string): Outcome[] {
  return (JSON.parse(stdout) as { releases: Outcome[] }).releases;
}

for (const driver of ['secret', 'configmap'] as const) {
  describe(`API faults (${driver} driver)`, () => {
    let ref: { before: Record<string, unknown>; intended: Record<string, unknown> };
    beforeAll(async () => {
      ref = await reference(driver);
      // The reference run really changed something: the check below can fail.
      expect(JSON.stringify(ref.intended)).not.toBe(JSON.stringify(ref.before));
    });

    // Transient: fires twice (below the 4 retries), so the run must end as if undisturbed.
    const kinds = driver === 'secret' ? KINDS : KINDS.filter((k) => k.kind !== '429+Retry-After');
    for (const t of targets(driver)) {
      for (const k of kinds) {
        it(`transient ${k.kind} on ${t.name}: retried, same final store as an undisturbed run`, async () => {
          const sim = await seededSim(driver, RELEASES(), { faults: [{ method: t.method, pathRegex: t.pathRegex, count: k.kind.startsWith('429') ? 1 : 2, ...k.rule }] });
          try {
            const r = await cli(['-A', '-o', 'json', '--no-backup'], cliEnv(sim, driver));
            expect(r.stderr).not.toMatch(/error/i);
            expect(r.code).toBe(0);
            const fired = sim.requests().filter((q) => q.method === t.method && new RegExp(t.pathRegex).test(q.path) && (q.status === -1 || q.status >= 429));
            expect(fired.length).toBeGreaterThan(0);
            const actual = normalizedStore(sim, driver);
            expect(checkObjects(ref.before, ref.intended, actual)).toEqual([]);
            expect(actual).toEqual(ref.intended);
            expect(consistency(sim, driver)).toEqual([]);
            tally('faults', `transient ${k.kind}`, { runs: 1, lost: 0, outcome: 'retried with backoff; same store as undisturbed' });
          } finally {
            await sim.stop();
          }
        });
      }
    }

    // Persistent: never stops. The release it hits fails with a message naming the object
    // and the problem; the other release is repaired; a fault-free re-run converges.
    // Each persistent case costs the whole backoff (~3-5 s), so a chosen set keeps the suite
    // bounded: every kind at least once on a read and on a write, 503 on each target, and
    // one ConfigMap case (same HTTP layer).
    const PERSISTENT: Record<string, string[]> = driver === 'configmap'
      ? { list: [], get: [], create: [], update: ['503'] }
      : { list: ['503'], get: ['429+Retry-After', '500', '502', 'drop'], create: ['503'], update: ['429+Retry-After', '503', '504', 'drop'] };
    const persistent = (t: Target) => KINDS.filter((k) => PERSISTENT[t.name].includes(k.kind));
    for (const t of targets(driver)) {
      for (const k of persistent(t)) {
        it(`persistent ${k.kind} on ${t.name}: bounded retries, clear error, nothing lost, re-run converges`, async () => {
          const sim = await seededSim(driver, RELEASES(), { faults: [{ method: t.method, pathRegex: t.pathRegex, ...k.rule }] });
          try {
            const r = await cli(['-A', '-o', 'json', '--no-backup'], cliEnv(sim, driver));
            expect(r.code).toBe(1);
            const outs = outcomes(r.stdout);
            const failed = outs.filter((o) => o.status === 'error');
            expect(failed.length).toBe(1);
            const msg = failed[0].error!;
            const attempts = sim.requests().filter((q) => q.method === t.method && new RegExp(t.pathRegex).test(q.path)).length;
            if (t.name === 'list') {
              expect(msg).toMatch(/^list (secrets|configmaps) \(all namespaces\): gave up after 5 attempts/);
              expect(attempts).toBe(5);
            } else {
              expect(failed[0].name).toBe('app');
              expect(msg).toContain('sh.helm.release.v1.app.v');
              expect(msg).toContain('in namespace "demo"');
              expect(outs.find((o) => o.name === 'other')?.status).toBe('changed');
              // Bounded: reads and 429/503 writes are sent 5 times; ambiguous writes (500/502/504,
              // drop) are checked with a GET after the first and resent only when they did not land.
              expect(attempts).toBeLessThanOrEqual(5);
            }
            if (k.kind === 'drop') expect(msg).toMatch(/connection reset/);
            else expect(msg).toContain(`HTTP ${k.rule.status}`);
            expect(checkObjects(ref.before, ref.intended, normalizedStore(sim, driver))).toEqual([]);
            sim.setFaults([]);
            const again = await cli(['-A', '-o', 'json', '--no-backup'], cliEnv(sim, driver));
            expect(again.code).toBe(0);
            expect(normalizedStore(sim, driver)).toEqual(ref.intended);
            expect(consistency(sim, driver)).toEqual([]);
            tally('faults', `persistent ${k.kind}`, { runs: 1, lost: 0, outcome: 'gave up after 5 attempts: per-release error; re-run converges' });
          } finally {
            await sim.stop();
          }
        });
      }
    }
  });
}

describe('write landed but the answer was lost (500/504 after commit is modelled by a dropped answer)', () => {
  it('create and update whose answer is dropped are verified by a GET, not sent twice', async () => {
    const driver = 'secret';
    const ref = await reference(driver);
    // killAfterWrites with onKill = no-op: the write commits, the client sees the connection die.
    const sims: KubeSim[] = [];
    for (const n of [1, 2, 3]) {
      const sim = await seededSim(driver, RELEASES(), { faults: [{ method: 'POST', killAfterWrites: n > 2 ? 1 : n }, ...(n === 3 ? [{ method: 'PUT', killAfterWrites: 1 }] : [])], onKill: () => undefined });
      sims.push(sim);
      const r = await cli(['-A', '-o', 'json', '--no-backup'], cliEnv(sim, driver));
      expect(r.code).toBe(0);
      expect(normalizedStore(sim, driver)).toEqual(ref.intended);
      const posts = sim.requests().filter((q) => q.method === 'POST');
      expect(posts.length).toBe(2); // one create per release, never re-sent after it landed
      tally('faults', 'answer lost after commit', { runs: 1, lost: 0, outcome: 'write verified by GET, never sent twice' });
    }
    for (const s of sims) await s.stop();
  });
});
