import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/pss/check.js';
import { CHECK_IDS, parsePolicyVersion } from '../../src/pss/index.js';
import { ALL_CHECKS, NEWEST_RULE_VERSION, createRegistry } from '../../src/pss/registry.js';
import { NEWEST_KNOWN } from '../../src/pss/version.js';
import type { PodView } from '../../src/pss/model.js';

// Upstream registry_test.go: synthetic checks whose result names the check and the rule's
// version, so the list of results shows which rules are in force and in what order.
function synthetic(id: string, level: 'baseline' | 'restricted', versions: string[], overrides: string[][] = []): Check {
  return {
    id,
    level,
    versions: versions.map((text, i) => ({
      since: parsePolicyVersion(text),
      check: () => ({ reason: `${id}:${text}`, detail: '' }),
      ...(overrides[i] ? { overrides: overrides[i] } : {}),
    })),
  };
}

const EMPTY_POD: PodView = {
  annotations: new Map(),
  spec: { hostNetwork: false, hostPID: false, hostIPC: false, volumes: [], initContainers: [], containers: [], ephemeralContainers: [] },
};

function reasons(checks: Check[], level: 'baseline' | 'restricted', version: string): string[] {
  return createRegistry(checks).active(level, parsePolicyVersion(version)).map(({ check }) => check(EMPTY_POD)!.reason);
}

describe('registry: upstream TestCheckRegistry cases', () => {
  const baseline = [
    synthetic('a', 'baseline', ['v1.0']),
    synthetic('b', 'baseline', ['v1.10']),
    synthetic('c', 'baseline', ['v1.0', 'v1.5', 'v1.10']),
    synthetic('d', 'baseline', ['v1.11', 'v1.15', 'v1.20']),
  ];
  const restricted = [
    synthetic('e', 'restricted', ['v1.0']),
    synthetic('f', 'restricted', ['v1.12', 'v1.16', 'v1.21']),
    synthetic('g', 'restricted', ['v1.10'], [['a']]),
    synthetic('h', 'restricted', ['v1.0'], [['b']]),
  ];
  const all = [...baseline, ...restricted, synthetic('i', 'restricted', ['v1.10', 'v1.21'], [['c'], ['d']])];
  const cases: [string, string, string[]][] = [
    ['baseline', 'v1.0', ['a:v1.0', 'c:v1.0']],
    ['baseline', 'v1.4', ['a:v1.0', 'c:v1.0']],
    ['baseline', 'v1.5', ['a:v1.0', 'c:v1.5']],
    ['baseline', 'v1.10', ['a:v1.0', 'b:v1.10', 'c:v1.10']],
    ['baseline', 'v1.11', ['a:v1.0', 'b:v1.10', 'c:v1.10', 'd:v1.11']],
    ['baseline', 'latest', ['a:v1.0', 'b:v1.10', 'c:v1.10', 'd:v1.20']],
    ['restricted', 'v1.0', ['a:v1.0', 'c:v1.0', 'e:v1.0', 'h:v1.0']],
    ['restricted', 'v1.4', ['a:v1.0', 'c:v1.0', 'e:v1.0', 'h:v1.0']],
    ['restricted', 'v1.5', ['a:v1.0', 'c:v1.5', 'e:v1.0', 'h:v1.0']],
    ['restricted', 'v1.10', ['e:v1.0', 'g:v1.10', 'h:v1.0', 'i:v1.10']],
    ['restricted', 'v1.11', ['d:v1.11', 'e:v1.0', 'g:v1.10', 'h:v1.0', 'i:v1.10']],
    ['restricted', 'latest', ['c:v1.10', 'e:v1.0', 'f:v1.21', 'g:v1.10', 'h:v1.0', 'i:v1.21']],
    ['restricted', 'v1.10000', ['c:v1.10', 'e:v1.0', 'f:v1.21', 'g:v1.10', 'h:v1.0', 'i:v1.21']],
  ];
  for (const [level, version, expected] of cases) {
    it(`${level}:${version}`, () => expect(reasons(all, level as 'baseline', version)).toEqual(expected));
  }
  it('no baseline checks: restricted alone (TestCheckRegistry_NoBaseline)', () => {
    expect(reasons(restricted, 'baseline', 'latest')).toEqual([]);
    expect(reasons(restricted, 'restricted', 'v1.0')).toEqual(['e:v1.0', 'h:v1.0']);
    expect(reasons(restricted, 'restricted', 'v1.10')).toEqual(['e:v1.0', 'g:v1.10', 'h:v1.0']);
    expect(reasons(restricted, 'restricted', 'v1.10000')).toEqual(['e:v1.0', 'f:v1.21', 'g:v1.10', 'h:v1.0']);
  });
  it('no restricted checks: restricted equals baseline (TestCheckRegistry_NoRestricted)', () => {
    for (const version of ['v1.0', 'v1.4', 'v1.5', 'v1.10', 'v1.11', 'latest']) {
      expect(reasons(baseline, 'restricted', version)).toEqual(reasons(baseline, 'baseline', version));
    }
  });
});

describe('registry: the real checks', () => {
  it('knows the 19 upstream check IDs, baseline ones sorted first, then restricted ones sorted', () => {
    expect(CHECK_IDS).toEqual([
      'appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPathVolumes', 'hostPorts', 'hostProbesAndHostLifecycle',
      'privileged', 'procMount', 'seLinuxOptions', 'seccompProfile_baseline', 'sysctls', 'windowsHostProcess',
      'allowPrivilegeEscalation', 'capabilities_restricted', 'procMount_restricted', 'restrictedVolumes', 'runAsNonRoot', 'runAsUser',
      'seccompProfile_restricted',
    ]);
  });
  it('"latest" is the newest version any rule starts at (upstream maxVersion)', () => {
    expect(NEWEST_RULE_VERSION).toEqual(NEWEST_KNOWN);
    expect(parsePolicyVersion('latest')).toEqual({ ...NEWEST_KNOWN, latest: true });
  });
  it('every rule starts at a version, strictly increasing; overrides name baseline checks', () => {
    const baselineIds = new Set(ALL_CHECKS.filter((c) => c.level === 'baseline').map((c) => c.id));
    for (const check of ALL_CHECKS) {
      check.versions.forEach((rule, i) => {
        if (i > 0) expect(rule.since.minor).toBeGreaterThan(check.versions[i - 1].since.minor);
        for (const id of rule.overrides ?? []) {
          expect(check.level).toBe('restricted');
          expect(baselineIds.has(id)).toBe(true);
        }
      });
    }
  });
});
