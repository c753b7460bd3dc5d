// Which stored revision `helm upgrade` builds from (helm/helm pkg/action/upgrade.go
// prepareUpgrade; helm-storage.md §4, §8), decided from storage heads (labels) alone:
//   Last() = highest revision, any status; a pending-* Last() blocks the upgrade;
//   Last() deployed -> Last(); else Deployed() (highest revision whose *label* says
//   deployed); else Last() if failed or superseded; else "has no deployed releases".
import type { ReleaseHead } from './head.js';

export type Selection =
  | {
      kind: 'use';
      head: ReleaseHead;
      reason: string;
      latest: ReleaseHead;
      /** Highest label-deployed revision, when there is one. */
      deployed?: ReleaseHead;
      /** Every label-deployed revision, highest first (more than one is a damaged history). */
      deployedAll?: ReleaseHead[];
    }
  | { kind: 'pending'; latest: ReleaseHead; reason: string }
  | { kind: 'none'; reason: string };

export interface SelectOptions {
  /** Take a base even when the latest revision is pending-* (psa-clean --force). */
  force?: boolean;
}

export function isPending(status: string): boolean {
  return status === 'pending-install' || status === 'pending-upgrade' || status === 'pending-rollback';
}

function byRevisionDesc(a: ReleaseHead, b: ReleaseHead): number {
  return b.revision - a.revision;
}

/** Helm's Last(): the highest revision of any status. */
export function lastHead(heads: ReleaseHead[]): ReleaseHead | undefined {
  return [...heads].sort(byRevisionDesc)[0];
}

/** Helm's Deployed(): the highest revision whose status label is `deployed`. */
export function deployedHead(heads: ReleaseHead[]): ReleaseHead | undefined {
  return deployedHeads(heads)[0];
}

export function deployedHeads(heads: ReleaseHead[]): ReleaseHead[] {
  return heads.filter((h) => h.status === 'deployed').sort(byRevisionDesc);
}

function rev(h: ReleaseHead): string {
  return `revision ${h.revision}`;
}

/** Heads must belong to one release. */
export function selectRevision(heads: ReleaseHead[], opts: SelectOptions = {}): Selection {
  const latest = lastHead(heads);
  if (!latest) return { kind: 'none', reason: 'release has no stored revisions' };
  const all = deployedHeads(heads);
  const deployed = all[0];
  const extra = { deployedAll: all };
  const use = (head: ReleaseHead, reason: string): Selection => ({
    kind: 'use', head, reason, latest, ...(deployed ? { deployed } : {}), ...extra,
  });

  if (isPending(latest.status)) {
    if (!opts.force) {
      return {
        kind: 'pending',
        latest,
        reason: `latest ${rev(latest)} is ${latest.status}: another operation (install/upgrade/rollback) is in progress or was interrupted; helm upgrade refuses it too (use --force to repair anyway)`,
      };
    }
    if (deployed) return use(deployed, `latest ${rev(latest)} is ${latest.status}; --force: using deployed ${rev(deployed)}`);
    return use(latest, `latest ${rev(latest)} is ${latest.status} and no revision is deployed; --force: using ${rev(latest)}`);
  }
  if (latest.status === 'deployed') {
    return use(latest, `latest ${rev(latest)} is deployed; helm upgrade builds from it`);
  }
  if (deployed) {
    return use(deployed, `latest ${rev(latest)} is ${latest.status || 'without status'}; helm upgrade builds from deployed ${rev(deployed)}`);
  }
  if (latest.status === 'failed' || latest.status === 'superseded') {
    return use(latest, `latest ${rev(latest)} is ${latest.status} and no revision is deployed; helm upgrade builds from ${rev(latest)}`);
  }
  return {
    kind: 'none',
    reason: `latest ${rev(latest)} is ${latest.status || 'without status'} and no revision is deployed; helm upgrade reports "has no deployed releases"`,
  };
}

/**
 * What `helm rollback [REV]` parses (pkg/action/rollback.go): the current release = Last()
 * (any status, no pending check) and the target (default Last()-1). Undefined target when
 * that revision is not stored (Helm: "release has no N version").
 */
export function rollbackTargets(heads: ReleaseHead[], target?: number): { current?: ReleaseHead; target?: ReleaseHead } {
  const current = lastHead(heads);
  if (!current) return {};
  const want = target && target > 0 ? target : current.revision - 1;
  return { current, target: heads.find((h) => h.revision === want) };
}

/**
 * Helm trusts the status LABEL for Deployed() but the BODY for Last()'s pending check and for
 * history. Selection runs on labels; once a body is fetched, this says when the two disagree
 * (e.g. a body that is pending-upgrade under a `deployed` label blocks helm upgrade).
 */
export function statusMismatch(head: ReleaseHead, bodyStatus: string): string | undefined {
  if (head.status === bodyStatus) return undefined;
  return `revision ${head.revision}: status label says ${head.status || '(none)'} but the release body says ${bodyStatus || '(none)'}`;
}
