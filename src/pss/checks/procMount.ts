// procMount, baseline: the default /proc masks must stay (procMount unset or "Default"); from
// 1.35 any value is allowed in a pod with its own user namespace (hostUsers: false).
// procMount_restricted: from 1.35 the restricted level keeps the unconditional rule, replacing
// the relaxed baseline one.
import type { Check, CheckFn } from '../check.js';
import { inUserNamespace, visitContainers } from '../visitor.js';
import { v } from '../version.js';
import { joinQuote, pluralize, sortedSet } from '../wording.js';

const PROC_MOUNT_ID = 'procMount';

const unconditional: CheckFn = ({ spec }) => {
  const bad: string[] = [];
  const types: string[] = [];
  visitContainers(spec, (c) => {
    const procMount = c.securityContext?.procMount;
    if (procMount !== undefined && procMount !== 'Default') {
      bad.push(c.name);
      types.push(procMount);
    }
  });
  if (bad.length === 0) return null;
  return {
    reason: 'procMount',
    detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}`,
  };
};

const baseline1_35: CheckFn = (pod) => (inUserNamespace(pod.spec) ? null : unconditional(pod));

export const procMountBaseline: Check = {
  id: PROC_MOUNT_ID,
  level: 'baseline',
  versions: [
    { since: v(1, 0), check: unconditional },
    { since: v(1, 35), check: baseline1_35 },
  ],
};

export const procMountRestricted: Check = {
  id: 'procMount_restricted',
  level: 'restricted',
  versions: [{ since: v(1, 35), check: unconditional, overrides: [PROC_MOUNT_ID] }],
};
