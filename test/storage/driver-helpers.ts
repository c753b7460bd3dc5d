// Small helpers the storage driver tests share.
import type { ReleaseHead, StorageError } from '../../src/storage/index.js';

/** Drains a listHeads() stream. */
export async function collect(it: AsyncIterable<ReleaseHead | StorageError>): Promise<Array<ReleaseHead | StorageError>> {
  const out: Array<ReleaseHead | StorageError> = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The StorageError a promise rejects with; fails the test when it resolves instead. */
export async function thrown(p: Promise<unknown>): Promise<StorageError> {
  try {
    await p;
  } catch (e) {
    return e as StorageError;
  }
  throw new Error('expected a StorageError, got success');
}
