// Exit codes CI can branch on (README "Exit codes").
export const EXIT = {
  OK: 0,
  ERROR: 1,
  /** With --detailed-exitcode: changes made, or pending with --dry-run. */
  CHANGES: 2,
  /** Usage errors (unknown flag, bad value). Commander's own code. */
  USAGE: 1,
} as const;
