// The storage package's public surface. Backends load lazily (`await import`), so commands
// that need no cluster never pay for @kubernetes/client-node or pg at startup.
import type { StorageConfig } from './config.js';
import type { Driver } from './driver.js';

export type { StorageConfig } from './config.js';
export type { Driver, DriverKind, ListOptions, RawRecord, ReleaseHead, StoredRevision } from './driver.js';
export { storageKey } from './driver.js';
export { StorageError, isStorageError } from './errors.js';
export type { StorageErrorCode } from './errors.js';

export async function openDriver(config: StorageConfig): Promise<Driver> {
  switch (config.driver) {
    case 'secret':
    case 'configmap': {
      const { openKubeDriver } = await import('./kube/driver.js');
      return openKubeDriver(config);
    }
    case 'sql': {
      const { SqlDriver } = await import('./sql/driver.js');
      return new SqlDriver(config);
    }
    default:
      throw new Error(`unknown storage driver ${String((config as { driver: unknown }).driver)}`);
  }
}

/** The cluster's `/version` gitVersion (e.g. "v1.25.16"), through the same kubeconfig/auth. */
export async function fetchServerVersion(config: StorageConfig): Promise<string> {
  const { fetchKubeServerVersion } = await import('./kube/driver.js');
  return fetchKubeServerVersion(config);
}
