// Seccomp. Baseline: an explicit profile may only be RuntimeDefault or Localhost — before 1.19
// read from the alpha annotations, from 1.19 from the seccompProfile fields. Restricted (from
// 1.19, replacing the baseline rule): a profile must be set, on the pod or on every container;
// Windows pods exempt from 1.25.
import type { PodSpecView, TypedProfile } from '../model.js';
import type { Check, CheckFn, Finding } from '../check.js';
import { isWindowsPod, visitContainers } from '../visitor.js';
import { v } from '../version.js';
import { goQuote, joinQuote, pluralize, sortedSet } from '../wording.js';

const SECCOMP_BASELINE_ID = 'seccompProfile_baseline';
const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

function validAnnotationValue(value: string): boolean {
  return value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/');
}

function validType(profile: TypedProfile): boolean {
  return profile.type === 'Localhost' || profile.type === 'RuntimeDefault';
}

const baseline1_0: CheckFn = ({ annotations, spec }) => {
  const forbidden: string[] = [];
  const inspect = (key: string) => {
    const value = annotations.get(key);
    if (value !== undefined && !validAnnotationValue(value)) forbidden.push(`${key}=${goQuote(value)}`);
  };
  inspect(POD_ANNOTATION);
  visitContainers(spec, (c) => inspect(CONTAINER_ANNOTATION_PREFIX + c.name));
  if (forbidden.length === 0) return null;
  const distinct = sortedSet(forbidden);
  return {
    reason: 'seccompProfile',
    detail: `forbidden ${pluralize('annotation', 'annotations', distinct.length)} ${distinct.join(', ')}`,
  };
};

/** Who explicitly set a forbidden type; shared by the baseline and restricted rules. */
function explicitlyForbidden(spec: PodSpecView): Finding | null {
  const setters: string[] = [];
  const badValues: string[] = [];
  const podProfile = spec.securityContext?.seccompProfile;
  if (podProfile && !validType(podProfile)) {
    setters.push('pod');
    badValues.push(podProfile.type);
  }
  const bad: string[] = [];
  visitContainers(spec, (c) => {
    const profile = c.securityContext?.seccompProfile;
    if (profile && !validType(profile)) {
      bad.push(c.name);
      badValues.push(profile.type);
    }
  });
  if (bad.length > 0) setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
  if (setters.length === 0) return null;
  return {
    reason: 'seccompProfile',
    detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}`,
  };
}

const baseline1_19: CheckFn = ({ spec }) => explicitlyForbidden(spec);

const restricted1_19: CheckFn = ({ spec }) => {
  const explicit = explicitlyForbidden(spec);
  if (explicit) return explicit;
  const podProfile = spec.securityContext?.seccompProfile;
  const podSet = podProfile !== undefined && validType(podProfile);
  const unset: string[] = [];
  visitContainers(spec, (c) => {
    if (c.securityContext?.seccompProfile === undefined && !podSet) unset.push(c.name);
  });
  if (unset.length === 0) return null;
  return {
    reason: 'seccompProfile',
    detail: `pod or ${pluralize('container', 'containers', unset.length)} ${joinQuote(unset)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
  };
};

const restricted1_25: CheckFn = (pod) => (isWindowsPod(pod.spec) ? null : restricted1_19(pod));

export const seccompProfileBaseline: Check = {
  id: SECCOMP_BASELINE_ID,
  level: 'baseline',
  versions: [
    { since: v(1, 0), check: baseline1_0 },
    { since: v(1, 19), check: baseline1_19 },
  ],
};

export const seccompProfileRestricted: Check = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  versions: [
    { since: v(1, 19), check: restricted1_19, overrides: [SECCOMP_BASELINE_ID] },
    { since: v(1, 25), check: restricted1_25, overrides: [SECCOMP_BASELINE_ID] },
  ],
};
