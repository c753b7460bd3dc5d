// Typed storage errors. Every message names the object (namespace/key) and the problem,
// and never contains release data.

export type StorageErrorCode =
  | 'decode' // bad base64/gzip/JSON, missing fields, body disagrees with name/labels
  | 'not-found'
  | 'already-exists' // create met an existing key (e.g. a concurrent helm upgrade)
  | 'conflict' // precondition failed (stale resourceVersion)
  | 'forbidden' // 403
  | 'unauthorized' // 401
  | 'unreachable' // connection refused, DNS, TLS
  | 'timeout'
  | 'server' // 5xx after retries, 429 after retries
  | 'config'; // kubeconfig / connection string problems

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    readonly object?: { namespace?: string; key?: string },
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

export function isStorageError(e: unknown): e is StorageError {
  return e instanceof StorageError;
}
