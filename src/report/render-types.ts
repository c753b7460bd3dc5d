// The diff renderer the reports use (src/report/diff.ts renderUnifiedDiff), injected so the
// renderers stay testable on their own. Type-only import: no diff code is loaded by it.
import type { DiffOptions } from './diff.js';

export type DiffArgs = DiffOptions;
export type DiffRenderer = (args: DiffArgs) => string;

export interface RenderOptions {
  renderDiff: DiffRenderer;
  color: boolean;
  showSecrets: boolean;
  /** Include diffs (text: always with --dry-run; machine formats: with --dry-run). */
  diffs: boolean;
  context?: number;
  /** Text only (--summary): per release the plan line and the PSP level lines; no findings, diffs or warnings. */
  summary?: boolean;
}
