// The words the API server prints when a pod fails (upstream policy/checks.go
// AggregateCheckResult and admission/admission.go).
import type { Violation } from './evaluate.js';
import { formatPolicyVersion, type PolicyVersion } from './version.js';

/** Each failure as "reason (detail)", or just "reason" when there is no detail, joined by ", ". */
export function forbiddenDetail(violations: readonly Violation[]): string {
  return violations
    .map(({ reason, detail }) => {
      const r = reason === '' ? 'unknown forbidden reason' : reason;
      return detail === '' ? r : `${r} (${detail})`;
    })
    .join(', ');
}

/** enforce: violates PodSecurity "restricted:v1.25": …; warn/audit: would violate PodSecurity … */
export function admissionMessage(
  mode: 'enforce' | 'warn' | 'audit',
  level: 'baseline' | 'restricted',
  version: PolicyVersion,
  violations: readonly Violation[],
): string {
  const verb = mode === 'enforce' ? 'violates' : 'would violate';
  return `${verb} PodSecurity "${level}:${formatPolicyVersion(version)}": ${forbiddenDetail(violations)}`;
}
