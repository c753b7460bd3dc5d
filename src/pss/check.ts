// What a check is (upstream policy/checks.go): an ID, the level it belongs to, and the rule in
// force from each policy version on.
import type { PodView } from './model.js';
import type { PolicyVersion } from './version.js';

export type CheckLevel = 'baseline' | 'restricted';

/** A failed check's words, as the API server prints them. */
export interface Finding {
  readonly reason: string;
  readonly detail: string;
}

/** null: the pod passes. */
export type CheckFn = (pod: PodView) => Finding | null;

export interface VersionedRule {
  /** The first policy version this rule applies to; it holds until the next rule's version. */
  readonly since: PolicyVersion;
  readonly check: CheckFn;
  /** Baseline check IDs this restricted rule replaces at the restricted level. */
  readonly overrides?: readonly string[];
}

export interface Check {
  readonly id: string;
  readonly level: CheckLevel;
  readonly versions: readonly VersionedRule[];
}
