// Shared set-up for the clean end-to-end tests: kube-sim + an isolated real Helm with the
// built plugin installed, for the secret, configmap or sql driver.
import { join } from 'node:path';
import { startKubeSim, type KubeSim } from '../kube-sim/index.js';
import { createHelmEnv, type HelmEnv, type HelmMajor } from '../helpers/helm-env.js';
import { installBuiltPlugin } from '../helpers/plugin.js';
import { createTestDatabase, withClient, type TestDatabase } from '../helpers/postgres.js';
import { REPO_ROOT } from '../helpers/paths.js';

export type DriverName = 'secret' | 'configmap' | 'sql';

export const CHARTS = join(REPO_ROOT, 'test', 'fixtures', 'charts');
export const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

export interface Cluster {
  sim: KubeSim;
  h: HelmEnv;
  db?: TestDatabase;
  driver: DriverName;
  close(): Promise<void>;
}

export async function startCluster(major: HelmMajor, driver: DriverName, kubeVersion = 'v1.24.17', forbid: string[] = []): Promise<Cluster> {
  const sim = await startKubeSim({ kubeVersion, forbid });
  const db = driver === 'sql' ? await createTestDatabase() : undefined;
  const h = await createHelmEnv(major, { kubeconfig: sim.kubeconfigPath, driver, ...(db ? { sqlConnectionString: db.helmUrl } : {}) });
  await installBuiltPlugin(h);
  return {
    sim, h, db, driver,
    async close() {
      h.cleanup();
      await sim.stop();
      await db?.drop();
    },
  };
}

/** Everything the store holds for releases, as comparable text (objects' data+labels, or SQL rows). */
export async function storeSnapshot(c: Cluster): Promise<string> {
  if (c.driver === 'sql') {
    return withClient(c.db!.url, async (pg) => {
      const rows = await pg.query('SELECT key, namespace, type, body, name, version, status, owner, createdat, modifiedat FROM releases_v1 ORDER BY namespace, key');
      const labels = await pg.query('SELECT * FROM custom_labels_v1 ORDER BY releasenamespace, releasekey, key');
      return JSON.stringify({ rows: rows.rows, labels: labels.rows });
    });
  }
  const resource = c.driver === 'secret' ? 'secrets' : 'configmaps';
  const objs = c.sim.listObjects({ resource, labelSelector: 'owner=helm' });
  return JSON.stringify(
    objs
      .map((o) => ({ ns: o.metadata.namespace, name: o.metadata.name, labels: o.metadata.labels, data: o.data, type: o.type }))
      .sort((a, b) => `${a.ns}/${a.name}`.localeCompare(`${b.ns}/${b.name}`)),
  );
}

export function writesIn(c: Cluster): string[] {
  return c.sim.requests().filter((r) => WRITE_METHODS.includes(r.method)).map((r) => `${r.method} ${r.path}`);
}
