// The diff renderer the reports use (src/report/diff.ts renderUnifiedDiff), injected so the
// renderers stay testable on their own.
export interface DiffArgs {
  oldText: string;
  newText: string;
  oldLabel: string;
  newLabel: string;
  color: boolean;
  showSecrets: boolean;
  context?: number;
}
export type DiffRenderer = (args: DiffArgs) => string;

export interface RenderOptions {
  renderDiff: DiffRenderer;
  color: boolean;
  showSecrets: boolean;
  /** Include diffs (text: always with --dry-run; machine formats: with --dry-run). */
  diffs: boolean;
  context?: number;
}
