// Evaluating a pod: validate its shape once, run the rules in force, name the strictest level it
// meets.
import { activeChecks } from './registry.js';
import type { PodView } from './model.js';
import { PodShapeError, readPod } from './shape.js';
import type { PolicyVersion } from './version.js';

export type PssLevel = 'privileged' | 'baseline' | 'restricted';

export interface Violation {
  /** Upstream's check ID, e.g. 'allowPrivilegeEscalation'. */
  check: string;
  reason: string;
  detail: string;
}

export type Evaluation =
  | { ok: true; strictest: PssLevel; baseline: Violation[]; restricted: Violation[] }
  | { ok: false; error: string };

/** A pod as given, or as extractPod returns it (templatePath prefixes error paths). */
export interface PodInput {
  metadata?: unknown;
  spec: unknown;
  templatePath?: string;
}

function run(level: 'baseline' | 'restricted', pod: PodView, version: PolicyVersion): Violation[] {
  const violations: Violation[] = [];
  for (const { id, check } of activeChecks(level, version)) {
    const finding = check(pod);
    if (finding) violations.push({ check: id, reason: finding.reason, detail: finding.detail });
  }
  return violations;
}

/** The failing checks of one level. Throws PodShapeError if the pod cannot be read. */
export function checkPod(level: 'baseline' | 'restricted', pod: PodInput, version: PolicyVersion): Violation[] {
  return run(level, readPod(pod, pod.templatePath), version);
}

/** Both levels at once. Never throws for a bad pod: it is reported as not evaluable. */
export function evaluatePod(pod: PodInput, version: PolicyVersion): Evaluation {
  let view: PodView;
  try {
    view = readPod(pod, pod.templatePath);
  } catch (err) {
    if (err instanceof PodShapeError) return { ok: false, error: err.message };
    throw err;
  }
  const baseline = run('baseline', view, version);
  const restricted = run('restricted', view, version);
  const strictest: PssLevel = restricted.length === 0 ? 'restricted' : baseline.length === 0 ? 'baseline' : 'privileged';
  return { ok: true, strictest, baseline, restricted };
}
