// Restricted (from 1.22): containers must drop ALL and may add only NET_BIND_SERVICE. Replaces
// the baseline capabilities check at the restricted level. Windows pods exempt from 1.25.
import type { Check, CheckFn } from '../check.js';
import { isWindowsPod, visitContainers } from '../visitor.js';
import { v } from '../version.js';
import { joinQuote, pluralize, sortedSet } from '../wording.js';
import { CAPABILITIES_BASELINE_ID } from './capabilitiesBaseline.js';

const v1_22: CheckFn = ({ spec }) => {
  const missingDropAll: string[] = [];
  const addingForbidden: string[] = [];
  const forbidden: string[] = [];
  visitContainers(spec, (c) => {
    const caps = c.securityContext?.capabilities;
    if (caps === undefined) {
      missingDropAll.push(c.name);
      return;
    }
    if (!caps.drop.includes('ALL')) missingDropAll.push(c.name);
    const extra = caps.add.filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (extra.length > 0) {
      addingForbidden.push(c.name);
      forbidden.push(...extra);
    }
  });
  const details: string[] = [];
  if (missingDropAll.length > 0) {
    details.push(`${pluralize('container', 'containers', missingDropAll.length)} ${joinQuote(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  }
  if (addingForbidden.length > 0) {
    details.push(
      `${pluralize('container', 'containers', addingForbidden.length)} ${joinQuote(addingForbidden)} must not include ${joinQuote(sortedSet(forbidden))} in securityContext.capabilities.add`,
    );
  }
  return details.length === 0 ? null : { reason: 'unrestricted capabilities', detail: details.join('; ') };
};

const v1_25: CheckFn = (pod) => (isWindowsPod(pod.spec) ? null : v1_22(pod));

export const capabilitiesRestricted: Check = {
  id: 'capabilities_restricted',
  level: 'restricted',
  versions: [
    { since: v(1, 22), check: v1_22, overrides: [CAPABILITIES_BASELINE_ID] },
    { since: v(1, 25), check: v1_25, overrides: [CAPABILITIES_BASELINE_ID] },
  ],
};
