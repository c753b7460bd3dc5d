// Exit codes CI can branch on (pluto/helm-diff precedent):
//   --detailed-exitcode: 0 nothing to change, 2 changes made (or pending with --dry-run), 1 errors
//   default:             0 success, 1 any error
// An interrupted run (timeout, signal) is always an error.
import type { CleanReport } from './model.js';

export function cleanExitCode(result: Pick<CleanReport, 'summary' | 'interrupted'>, detailed: boolean): number {
  if (result.summary.errors > 0 || result.interrupted) return 1;
  if (detailed && result.summary.changed > 0) return 2;
  return 0;
}
