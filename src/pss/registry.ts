// Every check, and which rules are in force for a level at a policy version — in the order the
// API server evaluates them (upstream policy/registry.go): baseline check IDs sorted, then
// restricted check IDs sorted; at the restricted level a restricted rule drops the baseline
// checks it overrides. (version.ts NEWEST_KNOWN must equal NEWEST_RULE_VERSION; a test says so.)
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
import { olderThan, type PolicyVersion } from './version.js';

export const ALL_CHECKS: readonly Check[] = [
  allowPrivilegeEscalation, appArmorProfile, capabilitiesBaseline, capabilitiesRestricted, hostNamespaces,
  hostPathVolumes, hostPorts, hostProbesAndHostLifecycle, privileged, procMountBaseline, procMountRestricted,
  restrictedVolumes, runAsNonRoot, runAsUser, seccompProfileBaseline, seccompProfileRestricted, seLinuxOptions,
  sysctls, windowsHostProcess,
];

export interface ActiveCheck {
  readonly id: string;
  readonly check: CheckFn;
}

export interface Registry {
  /** The newest version any rule starts at: later versions (and latest) evaluate as this one. */
  readonly newest: PolicyVersion;
  readonly ids: readonly string[];
  /** The rules in force for a level at a version, in evaluation order. */
  active(level: CheckLevel, version: PolicyVersion): readonly ActiveCheck[];
}

export function createRegistry(checks: readonly Check[]): Registry {
  const byId = (level: CheckLevel) => checks.filter((c) => c.level === level).sort((a, b) => compareCodePoints(a.id, b.id));
  const ordered = [...byId('baseline'), ...byId('restricted')];
  let newest: PolicyVersion = { major: 1, minor: 0, latest: false };
  for (const c of checks) {
    const last = c.versions[c.versions.length - 1].since;
    if (olderThan(newest, last)) newest = last;
  }
  const cache = new Map<string, readonly ActiveCheck[]>();
  return {
    newest,
    ids: ordered.map((c) => c.id),
    active(level, version) {
      const effective = version.latest || olderThan(newest, version) ? newest : version;
      const key = `${level}:${effective.major}.${effective.minor}`;
      let active = cache.get(key);
      if (!active) {
        active = select(ordered, level, effective);
        cache.set(key, active);
      }
      return active;
    },
  };
}

function select(ordered: readonly Check[], level: CheckLevel, version: PolicyVersion): readonly ActiveCheck[] {
  const inForce = ordered.flatMap((c) => {
    if (level === 'baseline' && c.level !== 'baseline') return [];
    // The last rule whose version has been reached; none before the check exists.
    const rule = c.versions.filter((r) => !olderThan(version, r.since)).at(-1);
    return rule ? [{ id: c.id, rule }] : [];
  });
  const overridden = new Set(inForce.flatMap(({ rule }) => rule.overrides ?? []));
  return Object.freeze(inForce.filter(({ id }) => !overridden.has(id)).map(({ id, rule }) => ({ id, check: rule.check })));
}

const DEFAULT = createRegistry(ALL_CHECKS);

/** Every check ID, baseline then restricted, each sorted: the order violations come in. */
export const CHECK_IDS: readonly string[] = Object.freeze(DEFAULT.ids);

/** The rules in force for the real checks. Versions newer than known evaluate as the newest. */
export function activeChecks(level: CheckLevel, version: PolicyVersion): readonly ActiveCheck[] {
  return DEFAULT.active(level, version);
}

export const NEWEST_RULE_VERSION: PolicyVersion = DEFAULT.newest;
