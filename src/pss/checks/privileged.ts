// Baseline: no privileged containers.
import type { Check, CheckFn } from '../check.js';
import { visitContainers } from '../visitor.js';
import { v } from '../version.js';
import { joinQuote, pluralize } from '../wording.js';

const v1_0: CheckFn = ({ spec }) => {
  const bad: string[] = [];
  visitContainers(spec, (c) => {
    if (c.securityContext?.privileged === true) bad.push(c.name);
  });
  if (bad.length === 0) return null;
  return {
    reason: 'privileged',
    detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.privileged=true`,
  };
};

export const privileged: Check = {
  id: 'privileged',
  level: 'baseline',
  versions: [{ since: v(1, 0), check: v1_0 }],
};
