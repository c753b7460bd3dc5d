// Restricted: containers must set allowPrivilegeEscalation=false (field exists from 1.8;
// Windows pods, where the field cannot be set, are exempt from 1.25).
import type { Check, CheckFn } from '../check.js';
import { isWindowsPod, visitContainers } from '../visitor.js';
import { v } from '../version.js';
import { joinQuote, pluralize } from '../wording.js';

const v1_8: CheckFn = ({ spec }) => {
  const bad: string[] = [];
  visitContainers(spec, (c) => {
    if (c.securityContext?.allowPrivilegeEscalation !== false) bad.push(c.name);
  });
  if (bad.length === 0) return null;
  return {
    reason: 'allowPrivilegeEscalation != false',
    detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must set securityContext.allowPrivilegeEscalation=false`,
  };
};

const v1_25: CheckFn = (pod) => (isWindowsPod(pod.spec) ? null : v1_8(pod));

export const allowPrivilegeEscalation: Check = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  versions: [
    { since: v(1, 8), check: v1_8 },
    { since: v(1, 25), check: v1_25 },
  ],
};
