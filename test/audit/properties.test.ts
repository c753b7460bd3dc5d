// Properties of assessPsp over random PSPs built from the values the mapping table names.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assessPsp, APPARMOR_ALLOWED, SECCOMP_ALLOWED } from '../../src/audit/assess.js';
import { levelRank } from '../../src/audit/levels.js';

const caps = fc.subarray(['NET_BIND_SERVICE', 'CHOWN', 'KILL', 'SYS_ADMIN', 'NET_RAW', '*']);
const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });

const pspArb = fc.record({
  spec: fc.record({
    privileged: maybe(fc.boolean()),
    hostNetwork: maybe(fc.boolean()),
    hostPID: maybe(fc.boolean()),
    hostIPC: maybe(fc.boolean()),
    hostPorts: maybe(fc.constantFrom([], [{ min: 80, max: 80 }])),
    allowedCapabilities: maybe(caps),
    defaultAddCapabilities: maybe(caps),
    requiredDropCapabilities: maybe(fc.subarray(['ALL', 'NET_RAW'])),
    volumes: maybe(fc.subarray(['configMap', 'secret', 'nfs', 'hostPath', '*'])),
    seLinux: maybe(fc.constantFrom({ rule: 'RunAsAny' }, { rule: 'MustRunAs' }, { rule: 'MustRunAs', seLinuxOptions: { type: 'spc_t' } })),
    runAsUser: maybe(fc.constantFrom({ rule: 'RunAsAny' }, { rule: 'MustRunAsNonRoot' })),
    allowPrivilegeEscalation: maybe(fc.boolean()),
    allowedUnsafeSysctls: maybe(fc.constantFrom([], ['kernel.msg*'])),
    allowedProcMountTypes: maybe(fc.constantFrom(['Default'], ['Unmasked'])),
  }, { requiredKeys: [] }),
  metadata: fc.record({
    annotations: fc.record({
      [SECCOMP_ALLOWED]: fc.constantFrom('runtime/default', 'runtime/default,', '*', 'unconfined', 'docker/default'),
      [APPARMOR_ALLOWED]: fc.constantFrom('runtime/default', 'runtime/default,', 'unconfined'),
    }, { requiredKeys: [] }),
  }),
});

describe('assessPsp properties', () => {
  it('the level is the highest level among its reasons (restricted when none), for both readings', () => {
    fc.assert(fc.property(pspArb, (psp) => {
      for (const reading of ['strict', 'practical'] as const) {
        const a = assessPsp(psp, reading);
        const top = a.reasons.reduce((m, r) => Math.max(m, levelRank(r.level)), 0);
        expect(levelRank(a.level)).toBe(top);
      }
    }));
  });

  it('the practical reading never rates a PSP above the strict reading', () => {
    fc.assert(fc.property(pspArb, (psp) => {
      expect(levelRank(assessPsp(psp, 'practical').level)).toBeLessThanOrEqual(levelRank(assessPsp(psp, 'strict').level));
    }));
  });

  it('granting more never lowers the level (privileged: true, hostPath, a wider capability)', () => {
    fc.assert(fc.property(pspArb, fc.constantFrom('privileged', 'hostPath', 'cap'), (psp, extra) => {
      const before = levelRank(assessPsp(psp, 'practical').level);
      const more = structuredClone(psp) as { spec: Record<string, unknown> };
      if (extra === 'privileged') more.spec.privileged = true;
      if (extra === 'hostPath') more.spec.volumes = [...((more.spec.volumes as string[]) ?? []), 'hostPath'];
      if (extra === 'cap') more.spec.allowedCapabilities = [...((more.spec.allowedCapabilities as string[]) ?? []), 'CHOWN'];
      expect(levelRank(assessPsp(more, 'practical').level)).toBeGreaterThanOrEqual(before);
    }));
  });
});
