// Baseline: AppArmor may only be the runtime default or a localhost profile, whether set by the
// beta annotations or by the appArmorProfile fields (the check reads both at every version:
// upstream treats the fields, added later, as one more way to set the same thing).
import type { TypedProfile } from '../model.js';
import type { Check, CheckFn } from '../check.js';
import { visitContainers } from '../visitor.js';
import { v } from '../version.js';
import { goQuote, joinQuote, pluralize, sortedSet } from '../wording.js';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAnnotationValue(value: string): boolean {
  return value === '' || value === 'runtime/default' || value.startsWith('localhost/');
}

function badType(profile: TypedProfile | undefined): boolean {
  return profile !== undefined && profile.type !== 'RuntimeDefault' && profile.type !== 'Localhost';
}

const v1_0: CheckFn = ({ annotations, spec }) => {
  const setters: string[] = [];
  const badValues: string[] = [];
  if (badType(spec.securityContext?.appArmorProfile)) {
    setters.push('pod');
    badValues.push(spec.securityContext!.appArmorProfile!.type);
  }
  const badContainers: string[] = [];
  visitContainers(spec, (c) => {
    if (badType(c.securityContext?.appArmorProfile)) {
      badContainers.push(c.name);
      badValues.push(c.securityContext!.appArmorProfile!.type);
    }
  });
  if (badContainers.length > 0) {
    setters.push(`${pluralize('container', 'containers', badContainers.length)} ${joinQuote(badContainers)}`);
  }
  const forbiddenAnnotations: string[] = [];
  for (const [key, value] of annotations) {
    if (key.startsWith(ANNOTATION_PREFIX) && !allowedAnnotationValue(value)) forbiddenAnnotations.push(`${key}=${goQuote(value)}`);
  }
  // Distinct profile types first (sorted), then every forbidden annotation (sorted).
  const values = [...sortedSet(badValues), ...sortedSet(forbiddenAnnotations)];
  if (forbiddenAnnotations.length > 0) setters.push(pluralize('annotation', 'annotations', forbiddenAnnotations.length));
  if (setters.length === 0) return null;
  return {
    reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', values.length),
    detail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(values)}`,
  };
};

export const appArmorProfile: Check = {
  id: 'appArmorProfile',
  level: 'baseline',
  versions: [{ since: v(1, 0), check: v1_0 }],
};
