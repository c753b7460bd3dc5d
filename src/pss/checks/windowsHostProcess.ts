// Baseline: no Windows HostProcess containers (they run with the node's full privileges).
import type { Check, CheckFn } from '../check.js';
import { visitContainers } from '../visitor.js';
import { v } from '../version.js';
import { joinQuote, pluralize } from '../wording.js';

const v1_0: CheckFn = ({ spec }) => {
  const bad: string[] = [];
  visitContainers(spec, (c) => {
    if (c.securityContext?.windowsOptions?.hostProcess === true) bad.push(c.name);
  });
  const setters: string[] = [];
  if (spec.securityContext?.windowsOptions?.hostProcess === true) setters.push('pod');
  if (bad.length > 0) setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
  if (setters.length === 0) return null;
  return { reason: 'hostProcess', detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true` };
};

export const windowsHostProcess: Check = {
  id: 'windowsHostProcess',
  level: 'baseline',
  versions: [{ since: v(1, 0), check: v1_0 }],
};
