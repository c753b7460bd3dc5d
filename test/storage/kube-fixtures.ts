// Helm-shaped Secret/ConfigMap objects for kube-sim (what Helm's drivers store).
import { encodeRelease } from '../../src/helm/codec.js';
import type { ReleaseJson } from '../../src/helm/release.js';

export type KubeKind = 'secret' | 'configmap';

/** Wraps Helm's base64 text the way each driver stores it. */
export function helmObject(kind: KubeKind, namespace: string, key: string, helmText: string, labels: Record<string, string>): Record<string, unknown> {
  const metadata = { name: key, namespace, labels };
  return kind === 'secret'
    ? { apiVersion: 'v1', kind: 'Secret', metadata, type: 'helm.sh/release.v1', data: { release: Buffer.from(helmText).toString('base64') } }
    : { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { release: helmText } };
}

export function releaseObject(kind: KubeKind, r: ReleaseJson, extraLabels: Record<string, string> = {}): Record<string, unknown> {
  const status = (r.info as Record<string, string>).status;
  const key = `sh.helm.release.v1.${String(r.name)}.v${String(r.version)}`;
  return helmObject(kind, String(r.namespace), key, encodeRelease(r), {
    name: String(r.name), owner: 'helm', status, version: String(r.version), modifiedAt: '1700000000', ...extraLabels,
  });
}
