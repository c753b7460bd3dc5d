// Pod Security Standards policy engine: what the PodSecurity admission plugin
// (k8s.io/pod-security-admission, policy package) decides about a pod, at any policy version,
// with the same check IDs and words. Pure: no I/O, no imports from other src folders.
//
// Usage: extractPod(manifestObject) -> null (not a pod-carrying kind) | ExtractedPod (throws
// PodShapeError when the path to the template is not objects); evaluatePod(extracted, version)
// -> both levels, or { ok: false, error } for a pod that cannot be judged. Pass the ExtractedPod
// itself: its templatePath makes error paths point into the workload ("spec.template.spec...")
// and tells Pods (templatePath '') from templates, which the API server defaults differently.
// Conformance with upstream's fixtures: scripts/pss-conformance.ts.
export type { PolicyVersion } from './version.js';
export { PssVersionError, parsePolicyVersion, formatPolicyVersion, policyVersionForKube, LATEST } from './version.js';
export type { PssLevel, Violation, Evaluation, PodInput } from './evaluate.js';
export { evaluatePod, checkPod } from './evaluate.js';
export { forbiddenDetail, admissionMessage } from './messages.js';
export type { ExtractedPod } from './extract.js';
export { extractPod } from './extract.js';
export { PodShapeError } from './shape.js';
export { CHECK_IDS } from './registry.js';
