// Pod Security Standards policy engine: what the PodSecurity admission plugin
// (k8s.io/pod-security-admission, policy package) decides about a pod, at any policy version,
// with the same check IDs and words. Pure: no I/O, no imports from other src folders.
export type { PolicyVersion } from './version.js';
export { PssVersionError, parsePolicyVersion, formatPolicyVersion, policyVersionForKube, LATEST } from './version.js';
export type { PssLevel, Violation, Evaluation, PodInput } from './evaluate.js';
export { evaluatePod, checkPod } from './evaluate.js';
export { forbiddenDetail, admissionMessage } from './messages.js';
export type { ExtractedPod } from './extract.js';
export { extractPod } from './extract.js';
export { PodShapeError } from './shape.js';
export { CHECK_IDS } from './registry.js';
