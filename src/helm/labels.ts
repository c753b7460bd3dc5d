// Storage labels for revisions psa-clean writes. Labels are not part of the release JSON
// (Helm's `json:"-"`), so custom release labels (`helm upgrade --labels k=v`) live only on
// the stored object and must be copied by whoever writes a new object (helm-storage.md §1).
//
// Choices, compared with what Helm does:
// - name/owner/status/version are derived from the body on every write, as Helm does, so the
//   `status` label (which Deployed() trusts) always equals `info.status` (which history shows).
// - A created revision gets `createdAt` = now and no `modifiedAt`. Helm's Create carries the
//   source's stale `modifiedAt` along (a quirk, never read by Helm: it orders by version), so
//   dropping it loses nothing and keeps timestamps truthful.
// - An updated revision gets `modifiedAt` = now and loses `createdAt`, exactly what Helm's
//   own Update leaves behind.
// - Every other label (custom ones) is carried unchanged.
import type { ReleaseJson } from './release.js';

export const SYSTEM_LABEL_KEYS = ['name', 'owner', 'status', 'version', 'createdAt', 'modifiedAt'] as const;

function systemFromBody(release: ReleaseJson): Record<string, string> {
  const info = (release.info ?? {}) as Record<string, unknown>;
  return {
    name: String(release.name ?? ''),
    owner: 'helm',
    status: String(info.status ?? ''),
    version: String(release.version ?? ''),
  };
}

function unixSeconds(now: Date): string {
  return String(Math.floor(now.getTime() / 1000));
}

/** Labels for a NEW revision built from `sourceLabels` (the revision it was derived from). */
export function labelsForNewRevision(sourceLabels: Record<string, string>, release: ReleaseJson, now: Date): Record<string, string> {
  const out: Record<string, string> = { ...sourceLabels };
  delete out.modifiedAt;
  return { ...out, ...systemFromBody(release), createdAt: unixSeconds(now) };
}

/** Labels for rewriting an EXISTING revision in place (e.g. marking it superseded). */
export function labelsForUpdatedRevision(currentLabels: Record<string, string>, release: ReleaseJson, now: Date): Record<string, string> {
  const out: Record<string, string> = { ...currentLabels };
  delete out.createdAt;
  return { ...out, ...systemFromBody(release), modifiedAt: unixSeconds(now) };
}

/** Custom labels only (what Helm's SQL driver keeps in custom_labels_v1). */
export function customLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (!(SYSTEM_LABEL_KEYS as readonly string[]).includes(k)) out[k] = v;
  }
  return out;
}
