// Baseline: no sharing of the host's network, PID or IPC namespace.
import type { Check, CheckFn } from '../check.js';
import { v } from '../version.js';

const v1_0: CheckFn = ({ spec }) => {
  const shared: string[] = [];
  if (spec.hostNetwork) shared.push('hostNetwork=true');
  if (spec.hostPID) shared.push('hostPID=true');
  if (spec.hostIPC) shared.push('hostIPC=true');
  return shared.length === 0 ? null : { reason: 'host namespaces', detail: shared.join(', ') };
};

export const hostNamespaces: Check = {
  id: 'hostNamespaces',
  level: 'baseline',
  versions: [{ since: v(1, 0), check: v1_0 }],
};
