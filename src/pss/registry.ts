// Every check, and which rules are in force for a level at a policy version — in the order the
// API server evaluates them (upstream policy/registry.go): baseline check IDs sorted, then
// restricted check IDs sorted; at the restricted level a restricted rule drops the baseline
// checks it overrides.
import type { Check, CheckFn, CheckLevel } from './check.js';
import { allowPrivilegeEscalation } from './checks/allowPrivilegeEscalation.js';
import { appArmorProfile } from './checks/appArmorProfile.js';
import { capabilitiesBaseline } from './checks/capabilitiesBaseline.js';
import { capabilitiesRestricted } from './checks/capabilitiesRestricted.js';
import { hostNamespaces } from './checks/hostNamespaces.js';
import { hostPathVolumes } from './checks/hostPathVolumes.js';
import { hostPorts } from './checks/hostPorts.js';
import { hostProbesAndHostLifecycle } from './checks/hostProbesAndHostLifecycle.js';
import { privileged } from './checks/privileged.js';
import { procMountBaseline, procMountRestricted } from './checks/procMount.js';
import { restrictedVolumes } from './checks/restrictedVolumes.js';
import { runAsNonRoot } from './checks/runAsNonRoot.js';
import { runAsUser } from './checks/runAsUser.js';
import { seccompProfileBaseline, seccompProfileRestricted } from './checks/seccompProfile.js';
import { seLinuxOptions } from './checks/seLinuxOptions.js';
import { sysctls } from './checks/sysctls.js';
import { windowsHostProcess } from './checks/windowsHostProcess.js';
import { compareCodePoints } from './wording.js';
import { NEWEST_KNOWN, olderThan, type PolicyVersion } from './version.js';

export const ALL_CHECKS: readonly Check[] = [
  allowPrivilegeEscalation, appArmorProfile, capabilitiesBaseline, capabilitiesRestricted, hostNamespaces,
  hostPathVolumes, hostPorts, hostProbesAndHostLifecycle, privileged, procMountBaseline, procMountRestricted,
  restrictedVolumes, runAsNonRoot, runAsUser, seccompProfileBaseline, seccompProfileRestricted, seLinuxOptions,
  sysctls, windowsHostProcess,
];

const byId = (level: CheckLevel) => ALL_CHECKS.filter((c) => c.level === level).sort((a, b) => compareCodePoints(a.id, b.id));
const ORDERED: readonly Check[] = [...byId('baseline'), ...byId('restricted')];

export const CHECK_IDS: readonly string[] = Object.freeze(ORDERED.map((c) => c.id));

export interface ActiveCheck {
  readonly id: string;
  readonly check: CheckFn;
}

const cache = new Map<string, readonly ActiveCheck[]>();

/** The rules in force, in evaluation order. Versions newer than known evaluate as the newest. */
export function activeChecks(level: CheckLevel, version: PolicyVersion): readonly ActiveCheck[] {
  const effective = version.latest || olderThan(NEWEST_KNOWN, version) ? NEWEST_KNOWN : version;
  const key = `${level}:${effective.major}.${effective.minor}`;
  let active = cache.get(key);
  if (!active) {
    active = select(level, effective);
    cache.set(key, active);
  }
  return active;
}

function select(level: CheckLevel, version: PolicyVersion): readonly ActiveCheck[] {
  const inForce = ORDERED.flatMap((c) => {
    if (level === 'baseline' && c.level !== 'baseline') return [];
    // The last rule whose version has been reached; none before the check exists.
    const rule = c.versions.filter((r) => !olderThan(version, r.since)).at(-1);
    return rule ? [{ id: c.id, rule }] : [];
  });
  const overridden = new Set(inForce.flatMap(({ rule }) => rule.overrides ?? []));
  return Object.freeze(inForce.filter(({ id }) => !overridden.has(id)).map(({ id, rule }) => ({ id, check: rule.check })));
}
