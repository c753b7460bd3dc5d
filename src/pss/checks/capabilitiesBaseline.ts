// Baseline: containers may add only capabilities from the container runtime's default set.
import type { Check, CheckFn } from '../check.js';
import { visitContainers } from '../visitor.js';
import { v } from '../version.js';
import { joinQuote, pluralize, sortedSet } from '../wording.js';

export const CAPABILITIES_BASELINE_ID = 'capabilities_baseline';

const DEFAULT_SET = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID',
  'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

const v1_0: CheckFn = ({ spec }) => {
  const bad: string[] = [];
  const added: string[] = [];
  visitContainers(spec, (c) => {
    const extra = (c.securityContext?.capabilities?.add ?? []).filter((cap) => !DEFAULT_SET.has(cap));
    if (extra.length > 0) {
      bad.push(c.name);
      added.push(...extra);
    }
  });
  if (bad.length === 0) return null;
  return {
    reason: 'non-default capabilities',
    detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not include ${joinQuote(sortedSet(added))} in securityContext.capabilities.add`,
  };
};

export const capabilitiesBaseline: Check = {
  id: CAPABILITIES_BASELINE_ID,
  level: 'baseline',
  versions: [{ since: v(1, 0), check: v1_0 }],
};
