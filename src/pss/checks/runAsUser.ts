// Restricted (from 1.23): neither the pod nor a container may set runAsUser=0; from 1.35 pods
// in their own user namespace (hostUsers: false) are exempt.
import type { Check, CheckFn } from '../check.js';
import { inUserNamespace, visitContainers } from '../visitor.js';
import { v } from '../version.js';
import { joinQuote, pluralize } from '../wording.js';

const v1_23: CheckFn = ({ spec }) => {
  const setters: string[] = [];
  if (spec.securityContext?.runAsUser === 0) setters.push('pod');
  const bad: string[] = [];
  visitContainers(spec, (c) => {
    if (c.securityContext?.runAsUser === 0) bad.push(c.name);
  });
  if (bad.length > 0) setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
  return setters.length === 0 ? null : { reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0` };
};

const v1_35: CheckFn = (pod) => (inUserNamespace(pod.spec) ? null : v1_23(pod));

export const runAsUser: Check = {
  id: 'runAsUser',
  level: 'restricted',
  versions: [
    { since: v(1, 23), check: v1_23 },
    { since: v(1, 35), check: v1_35 },
  ],
};
