// Whole PSPs: the Kubernetes docs' example policies and PSPs Rancher shipped. Expected levels
// are worked out by hand from psp-to-pss.md §3 (comments name the deciding rules).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditManifests, pspLevelsInManifest } from '../../src/audit/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

const fixture = (f: string): string => readFileSync(join(REPO_ROOT, 'test/fixtures/psp', f), 'utf8');

const cases: Array<{ file: string; name: string; strict: string; practical: string; practicalFields: string[] }> = [
  // privileged, host namespaces, hostPorts, * capabilities/volumes/seccomp.
  { file: 'k8s-docs-privileged-psp.yaml', name: 'privileged', strict: 'privileged', practical: 'privileged',
    practicalFields: ['allowPrivilegeEscalation', 'allowedCapabilities', 'hostIPC', 'hostNetwork', 'hostPID', 'hostPorts', 'privileged', 'requiredDropCapabilities', 'runAsUser', 'seccomp', 'volumes'] },
  // The docs' "baseline" allows seccomp '*' (so Unconfined): privileged even in practice.
  { file: 'k8s-docs-baseline-psp.yaml', name: 'baseline', strict: 'privileged', practical: 'privileged',
    practicalFields: ['allowPrivilegeEscalation', 'allowedCapabilities', 'requiredDropCapabilities', 'runAsUser', 'seccomp', 'volumes'] },
  // Only seLinux RunAsAny keeps it from restricted under the strict reading.
  { file: 'k8s-docs-restricted-psp.yaml', name: 'restricted', strict: 'privileged', practical: 'restricted', practicalFields: [] },
  // volumes '*'.
  { file: 'k8s-docs-example-psp.yaml', name: 'example', strict: 'privileged', practical: 'privileged',
    practicalFields: ['allowPrivilegeEscalation', 'requiredDropCapabilities', 'runAsUser', 'seccomp', 'volumes'] },
  // seLinux RunAsAny and no AppArmor annotation: strict only.
  { file: 'rke2-global-restricted-psp.yaml', name: 'global-restricted-psp', strict: 'privileged', practical: 'restricted', practicalFields: [] },
  { file: 'rancher-system-unrestricted-psp.yaml', name: 'system-unrestricted-psp', strict: 'privileged', practical: 'privileged',
    practicalFields: ['allowPrivilegeEscalation', 'allowedCapabilities', 'hostIPC', 'hostNetwork', 'hostPID', 'hostPorts', 'privileged', 'requiredDropCapabilities', 'runAsUser', 'seccomp', 'volumes'] },
  // runAsUser RunAsAny and no seccomp annotation: baseline.
  { file: 'rancher-restricted-psp.yaml', name: 'restricted-psp', strict: 'privileged', practical: 'baseline', practicalFields: ['runAsUser', 'seccomp'] },
];

const short = (field: string): string => (field.startsWith('seccomp.') ? 'seccomp' : field.startsWith('apparmor.') ? 'apparmor' : field);

describe('whole-PSP fixtures', () => {
  it.each(cases)('$file: strict $strict, practical $practical', ({ file, name, strict, practical, practicalFields }) => {
    const text = fixture(file);
    const s = pspLevelsInManifest(text, 'strict');
    const p = pspLevelsInManifest(text, 'practical');
    expect(s.map((x) => [x.name, x.level])).toEqual([[name, strict]]);
    expect(p.map((x) => [x.name, x.level])).toEqual([[name, practical]]);
    expect([...new Set(p[0].reasons.map((r) => short(r.field)))].sort()).toEqual([...practicalFields].sort());
  });

  it('rancher-monitoring release: levels, who uses each PSP, the namespace suggestion and the Rancher exemption', () => {
    const input = { release: 'rancher-monitoring', namespace: 'cattle-monitoring-system', manifest: fixture('rancher-monitoring-chart-psp.yaml'), values: { global: { cattle: { psp: { enabled: true } } } } };
    const r = auditManifests([input], { reading: 'practical', rancher: false });
    const byName = Object.fromEntries(r.policies.map((p) => [p.name, p]));
    // node-exporter: hostNetwork, hostPID, hostPath volume, hostPorts.
    expect(byName['rancher-monitoring-prometheus-node-exporter']).toMatchObject({ strict: 'privileged', practical: 'privileged', governs: ['cattle-monitoring-system'] });
    expect(byName['rancher-monitoring-prometheus-node-exporter'].usedBy).toEqual([
      { kind: 'ServiceAccount', namespace: 'cattle-monitoring-system', name: 'rancher-monitoring-prometheus-node-exporter', via: 'ClusterRoleBinding psp-rancher-monitoring-prometheus-node-exporter', governs: ['cattle-monitoring-system'], podServiceAccounts: true },
    ]);
    // grafana: runAsUser RunAsAny -> baseline; seLinux RunAsAny strict only.
    expect(byName['rancher-monitoring-grafana']).toMatchObject({ strict: 'privileged', practical: 'baseline', governs: ['cattle-monitoring-system'] });
    expect(byName['rancher-monitoring-grafana'].usedBy.map((u) => u.via)).toEqual(['RoleBinding cattle-monitoring-system/rancher-monitoring-grafana']);
    expect(r.namespaces).toEqual([
      expect.objectContaining({ name: 'cattle-monitoring-system', suggested: 'privileged', current: null, policies: ['rancher-monitoring-grafana', 'rancher-monitoring-prometheus-node-exporter'],
        command: 'kubectl label --overwrite ns cattle-monitoring-system pod-security.kubernetes.io/enforce=privileged pod-security.kubernetes.io/enforce-version=latest pod-security.kubernetes.io/audit=privileged pod-security.kubernetes.io/audit-version=latest pod-security.kubernetes.io/warn=privileged pod-security.kubernetes.io/warn-version=latest' }),
    ]);
    expect(r.rancherPspValues).toEqual([expect.objectContaining({ namespace: 'cattle-monitoring-system', release: 'rancher-monitoring' })]);
    expect(r.rancherPspValues[0].hint).toContain('--set global.cattle.psp.enabled=false');

    const rr = auditManifests([input], { reading: 'practical', rancher: true });
    expect(rr.namespaces).toEqual([expect.objectContaining({ name: 'cattle-monitoring-system', exempt: true, command: null })]);
    expect(rr.rancher?.version).toBe('v2.14');
  });
});
