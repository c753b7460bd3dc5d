// Baseline: SELinux type only from the container types (container_engine_t joins at 1.31), and
// no custom user or role.
import type { SELinuxOptionsView } from '../model.js';
import type { Check, CheckFn } from '../check.js';
import { visitContainers } from '../visitor.js';
import { v } from '../version.js';
import { joinQuote, pluralize, sortedSet } from '../wording.js';

const TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const TYPES_1_31 = [...TYPES_1_0, 'container_engine_t'];

function seLinuxCheck(allowedTypes: readonly string[]): CheckFn {
  return ({ spec }) => {
    const badTypes: string[] = [];
    let setUser = false;
    let setRole = false;
    const valid = (opts: SELinuxOptionsView): boolean => {
      let ok = true;
      if (!allowedTypes.includes(opts.type)) {
        ok = false;
        badTypes.push(opts.type);
      }
      if (opts.user !== '') {
        ok = false;
        setUser = true;
      }
      if (opts.role !== '') {
        ok = false;
        setRole = true;
      }
      return ok;
    };
    const setters: string[] = [];
    const podOptions = spec.securityContext?.seLinuxOptions;
    if (podOptions && !valid(podOptions)) setters.push('pod');
    const bad: string[] = [];
    visitContainers(spec, (c) => {
      const options = c.securityContext?.seLinuxOptions;
      if (options && !valid(options)) bad.push(c.name);
    });
    if (bad.length > 0) setters.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
    if (setters.length === 0) return null;
    const problems: string[] = [];
    const types = sortedSet(badTypes);
    if (types.length > 0) problems.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
    if (setUser) problems.push('user may not be set');
    if (setRole) problems.push('role may not be set');
    return {
      reason: 'seLinuxOptions',
      detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${problems.join('; ')}`,
    };
  };
}

export const seLinuxOptions: Check = {
  id: 'seLinuxOptions',
  level: 'baseline',
  versions: [
    { since: v(1, 0), check: seLinuxCheck(TYPES_1_0) },
    { since: v(1, 31), check: seLinuxCheck(TYPES_1_31) },
  ],
};
