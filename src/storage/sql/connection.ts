// Helm's SQL driver connects through lib/pq, which takes a URL (`postgres://u:p@h:5432/db?
// sslmode=disable`) or a key=value string (`host=h port=5432 user=u password=p dbname=db
// sslmode=disable`). lib/pq defaults to sslmode=require (encrypt, no verification); the
// same string must reach the same server the same way here, so this mirrors lib/pq.
import { readFileSync } from 'node:fs';
import type { ClientConfig } from 'pg';
import { StorageError } from '../errors.js';

export interface ParsedConnection {
  config: ClientConfig;
  /** host:port/database, safe to print (no user secrets). */
  display: string;
}

function parseKeyValue(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  // key = value pairs; values may be single-quoted with \' and \\ escapes (libpq rules).
  const re = /\s*([A-Za-z_]+)\s*=\s*(?:'((?:\\.|[^'\\])*)'|(\S*))/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(text)) !== null) {
    out[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
    consumed = re.lastIndex;
    if (consumed >= text.length) break;
  }
  if (text.slice(consumed).trim() !== '') {
    throw new StorageError('config', 'HELM_DRIVER_SQL_CONNECTION_STRING is neither a postgres:// URL nor key=value pairs');
  }
  return out;
}

function sslFor(mode: string, rootCert?: string, cert?: string, key?: string): ClientConfig['ssl'] {
  const files = {
    ...(rootCert ? { ca: readFileSync(rootCert, 'utf8') } : {}),
    ...(cert ? { cert: readFileSync(cert, 'utf8') } : {}),
    ...(key ? { key: readFileSync(key, 'utf8') } : {}),
  };
  switch (mode) {
    case 'disable':
      return false;
    case 'require':
      // lib/pq: require with a root cert behaves like verify-ca.
      return rootCert ? { ...files, checkServerIdentity: () => undefined } : { ...files, rejectUnauthorized: false };
    case 'verify-ca':
      return { ...files, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ...files };
    default:
      throw new StorageError('config', `unsupported sslmode "${mode}" in HELM_DRIVER_SQL_CONNECTION_STRING (lib/pq accepts disable, require, verify-ca, verify-full)`);
  }
}

export function parseConnectionString(text: string): ParsedConnection {
  const trimmed = text.trim();
  if (trimmed === '') throw new StorageError('config', 'HELM_DRIVER_SQL_CONNECTION_STRING is empty (HELM_DRIVER=sql needs it)');
  let kv: Record<string, string>;
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new StorageError('config', 'HELM_DRIVER_SQL_CONNECTION_STRING is not a valid postgres:// URL');
    }
    kv = {};
    if (url.hostname) kv.host = decodeURIComponent(url.hostname.replace(/^\[|\]$/g, ''));
    if (url.port) kv.port = url.port;
    if (url.username) kv.user = decodeURIComponent(url.username);
    if (url.password) kv.password = decodeURIComponent(url.password);
    const db = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (db) kv.dbname = db;
    for (const [k, v] of url.searchParams) kv[k.toLowerCase()] = v;
  } else {
    kv = parseKeyValue(trimmed);
  }
  const host = kv.host || 'localhost';
  const port = kv.port ? Number(kv.port) : 5432;
  const database = kv.dbname || kv.user || 'postgres';
  const config: ClientConfig = {
    host,
    port,
    user: kv.user,
    password: kv.password,
    database,
    ssl: sslFor(kv.sslmode || 'require', kv.sslrootcert, kv.sslcert, kv.sslkey),
    ...(kv.connect_timeout ? { connectionTimeoutMillis: Number(kv.connect_timeout) * 1000 } : {}),
    ...(kv.application_name ? { application_name: kv.application_name } : {}),
  };
  return { config, display: `postgres ${host}:${port}/${database}` };
}
