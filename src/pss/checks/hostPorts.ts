// Baseline: containers must not bind host ports.
import type { Check, CheckFn } from '../check.js';
import { visitContainers } from '../visitor.js';
import { v } from '../version.js';
import { joinQuote, pluralize, sortedSet } from '../wording.js';

const v1_0: CheckFn = ({ spec }) => {
  const bad: string[] = [];
  const ports: string[] = [];
  visitContainers(spec, (c) => {
    const used = c.ports.filter((p) => p.hostPort !== 0).map((p) => String(p.hostPort));
    if (used.length > 0) {
      bad.push(c.name);
      ports.push(...used);
    }
  });
  if (bad.length === 0) return null;
  // Upstream sorts the port numbers as strings ("10" before "9").
  const distinct = sortedSet(ports);
  return {
    reason: 'hostPort',
    detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', distinct.length)} ${distinct.join(', ')}`,
  };
};

export const hostPorts: Check = {
  id: 'hostPorts',
  level: 'baseline',
  versions: [{ since: v(1, 0), check: v1_0 }],
};
