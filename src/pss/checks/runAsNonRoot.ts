// Restricted: every container must run as non-root, set on the pod or on each container; from
// 1.35 pods in their own user namespace (hostUsers: false) are exempt.
import type { Check, CheckFn } from '../check.js';
import { inUserNamespace, visitContainers } from '../visitor.js';
import { v } from '../version.js';
import { joinQuote, pluralize } from '../wording.js';

const REASON = 'runAsNonRoot != true';

const v1_0: CheckFn = ({ spec }) => {
  const setters: string[] = [];
  const podValue = spec.securityContext?.runAsNonRoot;
  if (podValue === false) setters.push('pod');
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  visitContainers(spec, (c) => {
    const value = c.securityContext?.runAsNonRoot;
    if (value === false) explicitlyBad.push(c.name);
    else if (value === undefined && podValue !== true) implicitlyBad.push(c.name);
  });
  if (explicitlyBad.length > 0) setters.push(`${pluralize('container', 'containers', explicitlyBad.length)} ${joinQuote(explicitlyBad)}`);
  if (setters.length > 0) return { reason: REASON, detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false` };
  if (implicitlyBad.length > 0) {
    return {
      reason: REASON,
      detail: `pod or ${pluralize('container', 'containers', implicitlyBad.length)} ${joinQuote(implicitlyBad)} must set securityContext.runAsNonRoot=true`,
    };
  }
  return null;
};

const v1_35: CheckFn = (pod) => (inUserNamespace(pod.spec) ? null : v1_0(pod));

export const runAsNonRoot: Check = {
  id: 'runAsNonRoot',
  level: 'restricted',
  versions: [
    { since: v(1, 0), check: v1_0 },
    { since: v(1, 35), check: v1_35 },
  ],
};
