// Baseline: only sysctls that are namespaced and isolated per pod; the allowed set grows with
// the policy version as more are proven safe.
import type { Check, CheckFn } from '../check.js';
import { v } from '../version.js';

const ALLOWED_1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'];
const ALLOWED_1_27 = [...ALLOWED_1_0, 'net.ipv4.ip_local_reserved_ports'];
const ALLOWED_1_29 = [...ALLOWED_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const ALLOWED_1_32 = [...ALLOWED_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const ALLOWED_1_37 = [...ALLOWED_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];

function sysctlCheck(allowed: readonly string[]): CheckFn {
  const set = new Set(allowed);
  return ({ spec }) => {
    // In the pod's order, repeats kept, as upstream prints them.
    const forbidden = (spec.securityContext?.sysctls ?? []).map((s) => s.name).filter((name) => !set.has(name));
    return forbidden.length === 0 ? null : { reason: 'forbidden sysctls', detail: forbidden.join(', ') };
  };
}

export const sysctls: Check = {
  id: 'sysctls',
  level: 'baseline',
  versions: [
    { since: v(1, 0), check: sysctlCheck(ALLOWED_1_0) },
    { since: v(1, 27), check: sysctlCheck(ALLOWED_1_27) },
    { since: v(1, 29), check: sysctlCheck(ALLOWED_1_29) },
    { since: v(1, 32), check: sysctlCheck(ALLOWED_1_32) },
    { since: v(1, 37), check: sysctlCheck(ALLOWED_1_37) },
  ],
};
