// Maps pg / socket errors to StorageErrors that name the server (host:port/db) but never the
// user's password or any row data.
import { StorageError } from '../errors.js';

export function sqlError(e: unknown, display: string, object?: { namespace?: string; key?: string }): StorageError {
  if (e instanceof StorageError) return e;
  const err = e as { code?: string; message?: string; routine?: string };
  const code = err.code ?? '';
  const where = object?.key ? ` (${object.namespace}/${object.key})` : object?.namespace ? ` (namespace ${object.namespace})` : '';
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EAI_AGAIN':
    case 'ECONNRESET':
      return new StorageError('unreachable', `cannot reach ${display}: ${code}${where}`, object);
    case 'ETIMEDOUT':
      return new StorageError('timeout', `${display} did not answer in time${where}`, object);
    case '28P01':
    case '28000':
      return new StorageError('unauthorized', `${display} refused the login: ${code === '28P01' ? 'password authentication failed' : 'no pg_hba.conf entry / role not allowed'} (check HELM_DRIVER_SQL_CONNECTION_STRING)${where}`, object);
    case '3D000':
      return new StorageError('config', `${display}: database does not exist (check HELM_DRIVER_SQL_CONNECTION_STRING)`, object);
    case '42501':
      return new StorageError('forbidden', `${display}: permission denied on Helm's release tables${where}`, object);
    case '57014':
      return new StorageError('timeout', `${display}: statement timed out${where}`, object);
    case '42P01':
      return new StorageError('config', `${display}: Helm's SQL tables (releases_v1, custom_labels_v1) do not exist; run a helm command with HELM_DRIVER=sql once to create them${where}`, object);
  }
  const msg = err.message ?? String(e);
  if (/timeout/i.test(msg)) return new StorageError('timeout', `${display} did not answer in time${where}`, object);
  if (/does not support SSL/i.test(msg)) {
    return new StorageError('unreachable', `${display} does not support TLS, and lib/pq (Helm) defaults to sslmode=require: add sslmode=disable to HELM_DRIVER_SQL_CONNECTION_STRING${where}`, object);
  }
  if (/SSL|ssl|certificate/.test(msg)) return new StorageError('unreachable', `${display}: TLS problem: ${msg.split('\n')[0]}${where}`, object);
  // pg messages carry SQL error text, never parameter values; keep the first line only.
  return new StorageError('server', `${display}: ${code ? `${code} ` : ''}${msg.split('\n')[0]}${where}`, object);
}
