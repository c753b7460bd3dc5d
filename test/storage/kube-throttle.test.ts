// HELM_QPS reaches every Kubernetes API request: the storage driver's lists, GETs and writes,
// retries, GET /version and the audit's cluster reads all take a token from the one limiter
// the command's StorageConfig carries. Counted against kube-sim's own request log; the
// limiter here only counts (timing is measured, never asserted: see the report of issue 15).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchServerVersion, openDriver } from '../../src/storage/index.js';
import { readClusterView } from '../../src/audit/cluster.js';
import type { RequestLimiter } from '../../src/storage/kube/rate-limit.js';
import { startKubeSim, type KubeSim } from '../kube-sim/index.js';
import { helm3Release } from '../helm/sample-releases.js';
import { releaseObject } from './kube-fixtures.js';
import { collect } from './driver-helpers.js';

class CountingLimiter implements RequestLimiter {
  takes = 0;
  async take(): Promise<void> {
    this.takes++;
  }
}

describe('every Kubernetes API request takes a token', () => {
  let sim: KubeSim;
  beforeEach(async () => {
    sim = await startKubeSim({ kubeVersion: 'v1.25.16' });
    sim.putObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
    for (let v = 1; v <= 3; v++) sim.putObject(releaseObject('secret', helm3Release('web', v, v === 3 ? 'deployed' : 'superseded', 'apps')));
    sim.clearLog();
  });
  afterEach(async () => {
    await sim.stop();
  });

  it('storage driver (list pages, GETs, a write, retries) and GET /version', async () => {
    const limiter = new CountingLimiter();
    const config = { driver: 'secret' as const, kubeconfig: sim.kubeconfigPath, pageSize: 1, limiter };
    expect(await fetchServerVersion(config)).toBe('v1.25.16');
    // Two 503s on the body GET: each retry is a request of its own.
    sim.setFaults([{ method: 'GET', pathRegex: '/secrets/sh\\.helm\\.release\\.v1\\.web\\.v3$', status: 503, count: 2, retryAfterSeconds: 0 }]);
    const driver = await openDriver(config);
    try {
      const heads = await collect(driver.listHeads({}));
      expect(heads).toHaveLength(3);
      const stored = await driver.get('apps', 'web', 3);
      await driver.update(stored.head, stored.release, stored.head.labels);
    } finally {
      await driver.close();
    }
    const log = sim.requests();
    expect(log.filter((r) => r.status === 503)).toHaveLength(2);
    expect(log.some((r) => r.method === 'PUT')).toBe(true);
    expect(limiter.takes).toBe(log.length);
  });

  it("the audit's cluster reads", async () => {
    const limiter = new CountingLimiter();
    const view = await readClusterView({ driver: 'secret', kubeconfig: sim.kubeconfigPath, limiter }, ['apps'], true, () => ['apps']);
    expect(view.namespaceLabels).toHaveProperty('apps');
    expect(sim.requests().length).toBeGreaterThan(1);
    expect(limiter.takes).toBe(sim.requests().length);
  });
});
