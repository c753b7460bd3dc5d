// HELM_QPS / HELM_BURST_LIMIT as Helm passes them (helm env: HELM_QPS="0.00",
// HELM_BURST_LIMIT="100"), the limiter they make, and what a bad value says.
import { describe, expect, it } from 'vitest';
import { readHelmSettings, SettingsError } from '../../src/cli/settings.js';
import { requestLimiter, storageConfigFrom } from '../../src/cli/options.js';
import { TokenBucket } from '../../src/storage/kube/rate-limit.js';
import { Readable, Writable } from 'node:stream';
import { runCli } from '../../src/cli/program.js';
import { REPO_ROOT } from '../helpers/paths.js';

const settings = (env: Record<string, string>) => readHelmSettings({ HOME: '/nonexistent', ...env });

describe('HELM_QPS and HELM_BURST_LIMIT', () => {
  it("Helm's defaults (and unset): no throttling, requests bounded by concurrency only", () => {
    for (const env of [{ HELM_QPS: '0.00', HELM_BURST_LIMIT: '100' }, {}] as Array<Record<string, string>>) {
      const s = settings(env);
      expect([s.qps, s.burstLimit]).toEqual([0, 100]);
      expect(requestLimiter(s)).toBeUndefined();
      expect(storageConfigFrom(s).limiter).toBeUndefined();
    }
  });

  it('HELM_QPS above 0: one token bucket of that rate and HELM_BURST_LIMIT size, shared by every config of the run', () => {
    const s = settings({ HELM_QPS: '5.00', HELM_BURST_LIMIT: '5' });
    const l = requestLimiter(s);
    expect(l).toBeInstanceOf(TokenBucket);
    expect([(l as TokenBucket).qps, (l as TokenBucket).burst]).toEqual([5, 5]);
    expect(storageConfigFrom(s).limiter).toBe(l);
    expect(storageConfigFrom(s).limiter).toBe(storageConfigFrom(s).limiter);
  });

  it("a burst of 0 is client-go's default burst of 10 (rest.Config: Burst 0 -> DefaultBurst)", () => {
    const l = requestLimiter(settings({ HELM_QPS: '2.5', HELM_BURST_LIMIT: '0' })) as TokenBucket;
    expect([l.qps, l.burst]).toEqual([2.5, 10]);
  });

  it('a negative HELM_QPS disables throttling, as in client-go', () => {
    expect(requestLimiter(settings({ HELM_QPS: '-1' }))).toBeUndefined();
  });

  it.each([
    ['HELM_QPS', 'fast'], ['HELM_QPS', '5/s'], ['HELM_QPS', 'Inf'], ['HELM_QPS', '1e999'],
    ['HELM_BURST_LIMIT', '-1'], ['HELM_BURST_LIMIT', '2.5'], ['HELM_BURST_LIMIT', 'lots'],
  ])('%s=%s is an error naming the variable', (name, value) => {
    expect(() => settings({ [name]: value })).toThrow(SettingsError);
    expect(() => settings({ [name]: value })).toThrow(`${name}="${value}"`);
  });

  it('a bad value stops clean, audit and restore with exit 1 and the variable named', async () => {
    for (const args of [['-A', '--dry-run'], ['audit', '-A'], ['restore', '/nonexistent-backup']]) {
      let err = '';
      const sink = (f: (t: string) => void) => new Writable({ write: (c: Buffer, _e, cb) => (f(c.toString()), cb()) });
      const code = await runCli(args, {
        stdout: sink(() => undefined), stderr: sink((t) => (err += t)), stdin: Readable.from([]),
        env: { HOME: '/nonexistent', KUBECONFIG: '/nonexistent/kubeconfig', HELM_QPS: '5 per second' }, cwd: REPO_ROOT, pluginRoot: REPO_ROOT,
      });
      expect(code, args.join(' ')).toBe(1);
      expect(err).toContain('HELM_QPS="5 per second" is not a number');
    }
  });

  it("accepts Helm's --qps and --burst-limit in argv on every command (Helm passes them through)", async () => {
    const run = async (args: string[], input = '') => {
      let out = '';
      let err = '';
      const sink = (f: (t: string) => void) => new Writable({ write: (c: Buffer, _e, cb) => (f(c.toString()), cb()) });
      const code = await runCli(args, {
        stdout: sink((t) => (out += t)), stderr: sink((t) => (err += t)), stdin: Readable.from([input]),
        env: { HOME: '/nonexistent', KUBECONFIG: '/nonexistent/kubeconfig', HELM_QPS: '5.00', HELM_BURST_LIMIT: '5' }, cwd: REPO_ROOT, pluginRoot: REPO_ROOT,
      });
      return { code, out, err };
    };
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';
    const m = await run(['manifest', '-', '--kube-version', '1.25', '--qps', '5.00', '--burst-limit', '5'], cm);
    expect(m.code, m.err).toBe(0);
    expect(m.out).toBe(cm);
    expect((await run(['mappings', '--qps=5.00', '--burst-limit=5'])).code).toBe(0);
    // The argv value is the one used: a bad one is reported under the variable's name.
    const bad = await run(['-A', '--dry-run', '--qps', 'fast']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('HELM_QPS="fast" is not a number');
  });
});
