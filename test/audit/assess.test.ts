// Each PSP field alone, on top of a PSP that every rule rates `restricted`, moves the level
// exactly as psp-to-pss.md §2-§3 documents. Expected values are written from the doc's tables.
import { describe, expect, it } from 'vitest';
import { assessPsp, APPARMOR_ALLOWED, SECCOMP_ALLOWED } from '../../src/audit/assess.js';
import type { PssLevel } from '../../src/audit/levels.js';

const SECCOMP_DEFAULT = 'seccomp.security.alpha.kubernetes.io/defaultProfileName';
const APPARMOR_DEFAULT = 'apparmor.security.beta.kubernetes.io/defaultProfileName';

/** Satisfies every restricted rule, under both readings. */
function base(): { apiVersion: string; kind: string; metadata: { name: string; annotations: Record<string, string> }; spec: Record<string, unknown> } {
  return {
    apiVersion: 'policy/v1beta1',
    kind: 'PodSecurityPolicy',
    metadata: { name: 'p', annotations: { [SECCOMP_ALLOWED]: 'runtime/default', [APPARMOR_ALLOWED]: 'runtime/default' } },
    spec: {
      privileged: false,
      allowPrivilegeEscalation: false,
      requiredDropCapabilities: ['ALL'],
      volumes: ['configMap', 'secret'],
      hostNetwork: false,
      hostIPC: false,
      hostPID: false,
      runAsUser: { rule: 'MustRunAsNonRoot' },
      seLinux: { rule: 'MustRunAs' },
      supplementalGroups: { rule: 'RunAsAny' },
      fsGroup: { rule: 'RunAsAny' },
    },
  };
}

const R: PssLevel = 'restricted';
const B: PssLevel = 'baseline';
const P: PssLevel = 'privileged';

type Case = [title: string, field: string, value: unknown, strict: PssLevel, practical: PssLevel];

// [title, spec field (undefined value = delete it), value, strict level, practical level]
const specCases: Case[] = [
  ['privileged true', 'privileged', true, P, P],
  ['privileged unset', 'privileged', undefined, R, R],
  ['hostNetwork true', 'hostNetwork', true, P, P],
  ['hostPID true', 'hostPID', true, P, P],
  ['hostIPC true', 'hostIPC', true, P, P],
  ['hostPorts non-empty', 'hostPorts', [{ min: 8080, max: 8080 }], P, P],
  ['hostPorts empty', 'hostPorts', [], R, R],
  ['allowedUnsafeSysctls non-empty', 'allowedUnsafeSysctls', ['kernel.msg*'], P, P],
  ['allowedUnsafeSysctls empty', 'allowedUnsafeSysctls', [], R, R],
  ['allowedProcMountTypes Default', 'allowedProcMountTypes', ['Default'], R, R],
  ['allowedProcMountTypes Unmasked', 'allowedProcMountTypes', ['Default', 'Unmasked'], P, P],
  ['allowedCapabilities NET_BIND_SERVICE only', 'allowedCapabilities', ['NET_BIND_SERVICE'], R, R],
  ['allowedCapabilities baseline set member', 'allowedCapabilities', ['CHOWN'], B, B],
  ['allowedCapabilities NET_BIND_SERVICE + KILL', 'allowedCapabilities', ['NET_BIND_SERVICE', 'KILL'], B, B],
  ['allowedCapabilities whole baseline set', 'allowedCapabilities', ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'], B, B],
  ['allowedCapabilities SYS_ADMIN', 'allowedCapabilities', ['SYS_ADMIN'], P, P],
  ['allowedCapabilities NET_RAW (not in baseline)', 'allowedCapabilities', ['CHOWN', 'NET_RAW'], P, P],
  ['allowedCapabilities *', 'allowedCapabilities', ['*'], P, P],
  ['allowedCapabilities empty', 'allowedCapabilities', [], R, R],
  ['defaultAddCapabilities NET_BIND_SERVICE', 'defaultAddCapabilities', ['NET_BIND_SERVICE'], R, R],
  ['defaultAddCapabilities baseline member', 'defaultAddCapabilities', ['SETUID'], B, B],
  ['defaultAddCapabilities NET_ADMIN', 'defaultAddCapabilities', ['NET_ADMIN'], P, P],
  ['requiredDropCapabilities unset', 'requiredDropCapabilities', undefined, B, B],
  ['requiredDropCapabilities without ALL', 'requiredDropCapabilities', ['NET_RAW', 'SYS_ADMIN'], B, B],
  ['requiredDropCapabilities ALL among others', 'requiredDropCapabilities', ['NET_RAW', 'ALL'], R, R],
  ['volumes *', 'volumes', ['*'], P, P],
  ['volumes hostPath', 'volumes', ['configMap', 'hostPath'], P, P],
  ['volumes nfs', 'volumes', ['configMap', 'nfs'], B, B],
  ['volumes gitRepo', 'volumes', ['gitRepo'], B, B],
  ['volumes the whole restricted set', 'volumes', ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'], R, R],
  ['volumes unset (no volumes allowed)', 'volumes', undefined, R, R],
  ['seLinux RunAsAny', 'seLinux', { rule: 'RunAsAny' }, P, R],
  ['seLinux unset', 'seLinux', undefined, P, R],
  ['seLinux MustRunAs type container_t', 'seLinux', { rule: 'MustRunAs', seLinuxOptions: { type: 'container_t' } }, R, R],
  ['seLinux MustRunAs type container_init_t', 'seLinux', { rule: 'MustRunAs', seLinuxOptions: { type: 'container_init_t' } }, R, R],
  ['seLinux MustRunAs type container_kvm_t', 'seLinux', { rule: 'MustRunAs', seLinuxOptions: { type: 'container_kvm_t' } }, R, R],
  ['seLinux MustRunAs level only', 'seLinux', { rule: 'MustRunAs', seLinuxOptions: { level: 's0:c123,c456' } }, R, R],
  ['seLinux MustRunAs type spc_t', 'seLinux', { rule: 'MustRunAs', seLinuxOptions: { type: 'spc_t' } }, P, P],
  ['seLinux MustRunAs user', 'seLinux', { rule: 'MustRunAs', seLinuxOptions: { user: 'system_u' } }, P, P],
  ['seLinux MustRunAs role', 'seLinux', { rule: 'MustRunAs', seLinuxOptions: { role: 'system_r' } }, P, P],
  ['runAsUser RunAsAny', 'runAsUser', { rule: 'RunAsAny' }, B, B],
  ['runAsUser MustRunAs ranges', 'runAsUser', { rule: 'MustRunAs', ranges: [{ min: 1000, max: 2000 }] }, B, B],
  ['runAsUser unset', 'runAsUser', undefined, B, B],
  ['runAsGroup RunAsAny (no opinion)', 'runAsGroup', { rule: 'RunAsAny' }, R, R],
  ['supplementalGroups MustRunAs (no opinion)', 'supplementalGroups', { rule: 'MustRunAs', ranges: [{ min: 0, max: 65535 }] }, R, R],
  ['fsGroup MayRunAs (no opinion)', 'fsGroup', { rule: 'MayRunAs', ranges: [{ min: 0, max: 65535 }] }, R, R],
  ['readOnlyRootFilesystem false (no opinion)', 'readOnlyRootFilesystem', false, R, R],
  ['defaultAllowPrivilegeEscalation true (mutating, ignored)', 'defaultAllowPrivilegeEscalation', true, R, R],
  ['allowPrivilegeEscalation true', 'allowPrivilegeEscalation', true, B, B],
  ['allowPrivilegeEscalation unset (means true)', 'allowPrivilegeEscalation', undefined, B, B],
  ['allowedHostPaths (no opinion)', 'allowedHostPaths', [{ pathPrefix: '/' }], R, R],
  ['allowedFlexVolumes (no opinion)', 'allowedFlexVolumes', [{ driver: 'x/y' }], R, R],
  ['allowedCSIDrivers (no opinion)', 'allowedCSIDrivers', [{ name: 'csi.example.com' }], R, R],
  ['forbiddenSysctls (no opinion)', 'forbiddenSysctls', ['*'], R, R],
  ['runtimeClass (no opinion)', 'runtimeClass', { defaultRuntimeClassName: 'gvisor', allowedRuntimeClassNames: ['*'] }, R, R],
];

// [title, annotation key, value (undefined = delete), strict, practical]
const annotationCases: Case[] = [
  ['seccomp absent', SECCOMP_ALLOWED, undefined, B, B],
  ['seccomp runtime/default', SECCOMP_ALLOWED, 'runtime/default', R, R],
  ['seccomp trailing comma', SECCOMP_ALLOWED, 'runtime/default,', B, B],
  ['seccomp empty value (= unset allowed)', SECCOMP_ALLOWED, '', B, B],
  ['seccomp docker/default alias', SECCOMP_ALLOWED, 'docker/default', R, R],
  ['seccomp docker/default,runtime/default', SECCOMP_ALLOWED, 'docker/default,runtime/default', R, R],
  ['seccomp localhost profile', SECCOMP_ALLOWED, 'localhost/profiles/audit.json', R, R],
  ['seccomp *', SECCOMP_ALLOWED, '*', P, P],
  ['seccomp unconfined', SECCOMP_ALLOWED, 'runtime/default,unconfined', P, P],
  ['seccomp defaultProfileName unconfined (mutating, ignored)', SECCOMP_DEFAULT, 'unconfined', R, R],
  ['apparmor absent', APPARMOR_ALLOWED, undefined, P, R],
  ['apparmor runtime/default', APPARMOR_ALLOWED, 'runtime/default', R, R],
  ['apparmor localhost profile', APPARMOR_ALLOWED, 'localhost/k8s-apparmor-example-deny-write', R, R],
  ['apparmor trailing comma', APPARMOR_ALLOWED, 'runtime/default,', B, B],
  ['apparmor unconfined', APPARMOR_ALLOWED, 'unconfined', P, P],
  ['apparmor *', APPARMOR_ALLOWED, '*', P, P],
  ['apparmor defaultProfileName unconfined (mutating, ignored)', APPARMOR_DEFAULT, 'unconfined', R, R],
];

describe('assessPsp: the all-restricted base', () => {
  it('is restricted with no reasons and no warnings under both readings', () => {
    for (const reading of ['strict', 'practical'] as const) {
      expect(assessPsp(base(), reading)).toEqual({ level: 'restricted', reasons: [], warnings: [] });
    }
  });
});

describe('assessPsp: each spec field alone', () => {
  it.each(specCases)('%s', (_t, field, value, strict, practical) => {
    const psp = base();
    if (value === undefined) delete psp.spec[field];
    else psp.spec[field] = value;
    const s = assessPsp(psp, 'strict');
    const p = assessPsp(psp, 'practical');
    expect(s.level).toBe(strict);
    expect(p.level).toBe(practical);
    // The rule that raised the level names the field.
    if (strict !== 'restricted') expect(s.reasons.map((r) => r.field)).toEqual([field]);
    else expect(s.reasons).toEqual([]);
    if (practical !== strict) expect(p.warnings.join('\n')).toMatch(/practical reading/);
  });
});

describe('assessPsp: each PSP annotation alone', () => {
  it.each(annotationCases)('%s', (_t, key, value, strict, practical) => {
    const psp = base();
    if (value === undefined) delete psp.metadata.annotations[key];
    else psp.metadata.annotations[key] = value as string;
    expect(assessPsp(psp, 'strict').level).toBe(strict);
    expect(assessPsp(psp, 'practical').level).toBe(practical);
    const reasons = assessPsp(psp, 'strict').reasons;
    if (strict !== 'restricted') expect(reasons).toEqual([expect.objectContaining({ field: key, level: strict })]);
  });
});

describe('assessPsp: combinations', () => {
  it('defaultAddCapabilities merges into allowedCapabilities (the most permissive wins)', () => {
    const psp = base();
    psp.spec.allowedCapabilities = ['NET_BIND_SERVICE'];
    psp.spec.defaultAddCapabilities = ['SYS_PTRACE'];
    const a = assessPsp(psp, 'strict');
    expect(a.level).toBe('privileged');
    expect(a.reasons).toEqual([expect.objectContaining({ field: 'defaultAddCapabilities', level: 'privileged' })]);
  });

  it('the level is the highest any rule demands, and every rule is listed', () => {
    const psp = base();
    psp.spec.runAsUser = { rule: 'RunAsAny' }; // baseline
    psp.spec.hostPID = true; // privileged
    psp.spec.volumes = ['nfs']; // baseline
    const a = assessPsp(psp, 'practical');
    expect(a.level).toBe('privileged');
    expect(a.reasons.map((r) => `${r.field}:${r.level}`).sort()).toEqual(['hostPID:privileged', 'runAsUser:baseline', 'volumes:baseline']);
  });

  it('practical reading: seLinux RunAsAny plus absent AppArmor raise nothing, two warnings', () => {
    const psp = base();
    psp.spec.seLinux = { rule: 'RunAsAny' };
    delete psp.metadata.annotations[APPARMOR_ALLOWED];
    const p = assessPsp(psp, 'practical');
    expect(p.level).toBe('restricted');
    expect(p.reasons).toEqual([]);
    expect(p.warnings).toHaveLength(2);
    const s = assessPsp(psp, 'strict');
    expect(s.level).toBe('privileged');
    expect(s.reasons.map((r) => r.field).sort()).toEqual([APPARMOR_ALLOWED, 'seLinux'].sort());
    expect(s.warnings).toEqual([]);
  });

  it('tolerates garbage shapes without throwing (hostile manifests)', () => {
    for (const psp of [{}, { spec: null }, { spec: [] }, { spec: { volumes: 'hostPath', allowedCapabilities: 7, hostPorts: {} } }, { metadata: { annotations: [] } }]) {
      const a = assessPsp(psp, 'strict');
      expect(['restricted', 'baseline', 'privileged']).toContain(a.level);
    }
    // A spec with nothing set rates like an all-defaults PSP: strict privileged (seLinux, AppArmor).
    expect(assessPsp({ spec: {} }, 'strict').level).toBe('privileged');
    expect(assessPsp({ spec: {} }, 'practical').level).toBe('baseline');
  });
});
