// Diff file labels: a/<namespace>/<release>/<revision>/<source>.
import type { ReleaseOutcome, TextChange } from './model.js';

export function diffLabels(r: ReleaseOutcome, c: TextChange): { oldLabel: string; newLabel: string } {
  const base = `${r.namespace}/${r.name ?? ''}`;
  const oldRev = c.newRevision ? (r.chosenRevision ?? c.revision) : c.revision;
  return {
    oldLabel: `a/${base}/revision-${oldRev}/${c.source}`,
    newLabel: `b/${base}/revision-${c.revision}/${c.source}${c.removed ? ' (hook removed)' : ''}`,
  };
}
