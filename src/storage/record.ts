// Shared rules for turning a stored record (Secret, ConfigMap or SQL row) into a head and a
// decoded release, and for checking that the body agrees with where it is stored. Pure.
import { CodecError, decodeRelease } from '../helm/codec.js';
import type { ReleaseJson } from '../helm/release.js';
import type { ReleaseHead } from './driver.js';
import { storageKey } from './driver.js';
import { StorageError } from './errors.js';

export const SYSTEM_LABELS = ['name', 'owner', 'status', 'version', 'createdAt', 'modifiedAt'] as const;
export const HELM_STATUSES = new Set(['unknown', 'deployed', 'uninstalled', 'superseded', 'failed', 'uninstalling', 'pending-install', 'pending-upgrade', 'pending-rollback']);
const KEY_RE = /^sh\.helm\.release\.v1\.(.+)\.v(\d+)$/;

export function parseKey(key: string): { name: string; revision: number } | undefined {
  const m = KEY_RE.exec(key);
  if (!m) return undefined;
  return { name: m[1], revision: Number(m[2]) };
}

function where(namespace: string, key: string): string {
  return `${namespace}/${key}`;
}

/**
 * Builds a head from an object's labels, or a 'decode' StorageError saying which label is
 * missing or disagrees with the object name. `what` names the object kind for messages.
 */
export function headFromLabels(
  what: string,
  namespace: string,
  key: string,
  resourceVersion: string,
  labels: Record<string, string>,
): ReleaseHead | StorageError {
  const bad = (problem: string) =>
    new StorageError('decode', `${what} ${where(namespace, key)}: ${problem}`, { namespace, key });
  const name = labels.name;
  if (!name) return bad('has no "name" label');
  const versionText = labels.version;
  if (!versionText || !/^\d+$/.test(versionText)) return bad(`has no usable "version" label (${JSON.stringify(versionText ?? null)})`);
  const revision = Number(versionText);
  if (key !== storageKey(name, revision)) {
    return bad(`labels name=${name},version=${versionText} do not match the object name (expected ${storageKey(name, revision)})`);
  }
  return { name, namespace, revision, status: labels.status ?? '', key, resourceVersion, labels: { ...labels } };
}

/**
 * Decodes Helm's base64 text and checks the body against the head: name, namespace and
 * version must agree, info.status must exist. Throws a 'decode' StorageError naming the object.
 */
export function decodeChecked(what: string, head: ReleaseHead, helmBase64: string): ReleaseJson {
  const bad = (problem: string) =>
    new StorageError('decode', `${what} ${where(head.namespace, head.key)}: ${problem}`, { namespace: head.namespace, key: head.key });
  let release: ReleaseJson;
  try {
    release = decodeRelease(helmBase64);
  } catch (e) {
    if (e instanceof CodecError) throw bad(e.message);
    throw e;
  }
  if (typeof release.name !== 'string' || release.name === '') throw bad('release body has no "name"');
  if (typeof release.version !== 'number' || !Number.isInteger(release.version)) throw bad('release body has no integer "version"');
  const info = release.info;
  if (info === null || typeof info !== 'object' || Array.isArray(info)) throw bad('release body has no "info" object');
  const status = (info as Record<string, unknown>).status;
  if (typeof status !== 'string') throw bad('release body has no "info.status"');
  // Helm's release.Status values (pkg/release/status.go, same in Helm 4). Anything else is a
  // record no Helm wrote: never plan from it or overwrite its status.
  if (!HELM_STATUSES.has(status)) throw bad(`release body has unknown info.status ${JSON.stringify(status.slice(0, 40))}`);
  if (release.name !== head.name) throw bad(`release body name "${release.name}" disagrees with the label/key name "${head.name}"`);
  if (release.version !== head.revision) throw bad(`release body version ${release.version} disagrees with the label/key revision ${head.revision}`);
  if (typeof release.namespace === 'string' && release.namespace !== '' && release.namespace !== head.namespace) {
    throw bad(`release body namespace "${release.namespace}" disagrees with the stored namespace "${head.namespace}"`);
  }
  return release;
}

/**
 * The system labels a write must carry, derived from the body (Helm sets them on every write):
 * name, owner=helm, status = info.status, version. Custom labels in `labels` are kept;
 * system labels in `labels` that disagree with the body are corrected.
 */
export function labelsForWrite(release: ReleaseJson, labels: Record<string, string>): Record<string, string> {
  const info = (release.info ?? {}) as Record<string, unknown>;
  return {
    ...labels,
    name: String(release.name),
    owner: 'helm',
    status: String(info.status ?? ''),
    version: String(release.version),
  };
}

/** Refuses to write a body that Helm could not read back under this key. */
export function checkWritable(what: string, namespace: string, release: ReleaseJson): string {
  const problems: string[] = [];
  if (typeof release.name !== 'string' || release.name === '') problems.push('no "name"');
  if (typeof release.version !== 'number' || !Number.isInteger(release.version) || release.version < 1) problems.push('no positive integer "version"');
  const info = release.info as Record<string, unknown> | undefined;
  if (!info || typeof info.status !== 'string' || info.status === '') problems.push('no "info.status"');
  if (typeof release.namespace === 'string' && release.namespace !== '' && release.namespace !== namespace) {
    problems.push(`body namespace "${release.namespace}" is not "${namespace}"`);
  }
  const key = problems.length === 0 ? storageKey(release.name as string, release.version as number) : '(invalid)';
  if (problems.length > 0) {
    throw new StorageError('decode', `refusing to write ${what} ${namespace}/${key}: release has ${problems.join(', ')}`, { namespace, key });
  }
  return key;
}
