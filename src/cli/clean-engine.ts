// The per-release part of `clean`'s wiring: the planning context, the audit hooks and the
// dry run's diff rendering, built from plain data. The main thread and the dry run's worker
// threads (clean-worker.ts) both build theirs here, so a release gets the same functions
// with the same settings wherever it runs.
import { rewriteManifest } from '../manifest/index.js';
import { pspLevelsInManifest, workloadsFailing } from '../audit/index.js';
import type { Reading } from '../audit/index.js';
import { pspLevelsInValue } from '../audit/psp-values.js';
import { renderUnifiedDiff } from '../report/diff.js';
import { diffLabels } from '../report/labels.js';
import type { ReleaseOutcome } from '../report/model.js';
import type { KubeVersion, MappingTable } from '../mapping/types.js';
import type { BatchDeps } from '../clean/batch.js';

/** Plain data (structured-clone safe): what a thread needs besides the mapping table. */
export interface EngineSetup {
  target: KubeVersion;
  /** True when the target came from --kube-version. */
  preClean: boolean;
  reading: Reading;
  /**
   * Dry run: each release's texts are dropped as soon as it is final, after its diffs are
   * rendered (unless `render` is false: --summary prints none).
   */
  diffs?: { render: boolean; showSecrets: boolean; context: number; color: boolean };
}

export type ReleaseEngine = Pick<BatchDeps, 'planCtx' | 'pspLevels' | 'pspLevelsInValue' | 'workloadsFailing' | 'onOutcome'>;

export function releaseEngine(table: MappingTable, s: EngineSetup): ReleaseEngine {
  const levels = (ps: Array<{ name: string; level: string; reasons: Array<{ field: string; detail: string }> }>) =>
    ps.map((p) => ({ name: p.name, level: p.level, reasons: p.reasons.map((r) => `${r.field}: ${r.detail}`) }));
  const diffs = s.diffs;
  return {
    planCtx: { table, target: s.target, preClean: s.preClean, rewrite: rewriteManifest },
    pspLevels: (manifest) => levels(pspLevelsInManifest(manifest, s.reading)),
    pspLevelsInValue: (value) => levels(pspLevelsInValue(value, s.reading)),
    workloadsFailing: (manifests, level) => workloadsFailing(manifests, level, `v${s.target.major}.${s.target.minor}`),
    // Render each diff when its release is done and drop the two texts: a dry run of
    // thousands of releases otherwise holds every changed manifest twice until the end
    // (bench 2000 x 10: 596 changed releases, ~94 MB of text).
    ...(diffs ? { onOutcome: (out: ReleaseOutcome) => {
      for (const c of out.changes) {
        if (diffs.render) c.rendered = renderUnifiedDiff({
          oldText: c.before, newText: c.after, ...diffLabels(out, c), showSecrets: diffs.showSecrets, context: diffs.context, color: diffs.color,
        });
        c.before = '';
        c.after = '';
      }
    } } : {}),
  };
}
