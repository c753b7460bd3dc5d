// The built-in database against the Kubernetes deprecation guide, as transcribed by hand from
// ../shared/docs/deprecations.md §1 (NOT generated from mapfiles/builtin.yaml).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { applicability, loadMappingTable, parseKubeVersion } from '../../src/mapping/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

const table = loadMappingTable({ builtinDir: join(REPO_ROOT, 'mapfiles') });
const v = parseKubeVersion;
const FC = 'flowcontrol.apiserver.k8s.io';

// [removed, old apiVersion, kind, deprecatedIn, successor apiVersion AT the removal version (null = drop)]
const GUIDE: [string, string, string, string, string | null][] = [
  ['1.32', `${FC}/v1beta3`, 'FlowSchema', '1.29', `${FC}/v1`],
  ['1.32', `${FC}/v1beta3`, 'PriorityLevelConfiguration', '1.29', `${FC}/v1`],
  ['1.29', `${FC}/v1beta2`, 'FlowSchema', '1.26', `${FC}/v1`],
  ['1.29', `${FC}/v1beta2`, 'PriorityLevelConfiguration', '1.26', `${FC}/v1`],
  ['1.27', 'storage.k8s.io/v1beta1', 'CSIStorageCapacity', '1.24', 'storage.k8s.io/v1'],
  ['1.26', `${FC}/v1beta1`, 'FlowSchema', '1.23', `${FC}/v1beta3`],
  ['1.26', `${FC}/v1beta1`, 'PriorityLevelConfiguration', '1.23', `${FC}/v1beta3`],
  ['1.26', 'autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.23', 'autoscaling/v2'],
  ['1.25', 'batch/v1beta1', 'CronJob', '1.21', 'batch/v1'],
  ['1.25', 'discovery.k8s.io/v1beta1', 'EndpointSlice', '1.21', 'discovery.k8s.io/v1'],
  ['1.25', 'events.k8s.io/v1beta1', 'Event', '1.22', 'events.k8s.io/v1'],
  ['1.25', 'autoscaling/v2beta1', 'HorizontalPodAutoscaler', '1.22', 'autoscaling/v2'],
  ['1.25', 'policy/v1beta1', 'PodDisruptionBudget', '1.21', 'policy/v1'],
  ['1.25', 'policy/v1beta1', 'PodSecurityPolicy', '1.21', null],
  ['1.25', 'node.k8s.io/v1beta1', 'RuntimeClass', '1.22', 'node.k8s.io/v1'],
  ['1.22', 'admissionregistration.k8s.io/v1beta1', 'MutatingWebhookConfiguration', '1.16', 'admissionregistration.k8s.io/v1'],
  ['1.22', 'admissionregistration.k8s.io/v1beta1', 'ValidatingWebhookConfiguration', '1.16', 'admissionregistration.k8s.io/v1'],
  ['1.22', 'apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', '1.16', 'apiextensions.k8s.io/v1'],
  ['1.22', 'apiregistration.k8s.io/v1beta1', 'APIService', '1.19', 'apiregistration.k8s.io/v1'],
  ['1.22', 'authentication.k8s.io/v1beta1', 'TokenReview', '1.19', 'authentication.k8s.io/v1'],
  ['1.22', 'authorization.k8s.io/v1beta1', 'LocalSubjectAccessReview', '1.19', 'authorization.k8s.io/v1'],
  ['1.22', 'authorization.k8s.io/v1beta1', 'SelfSubjectAccessReview', '1.19', 'authorization.k8s.io/v1'],
  ['1.22', 'authorization.k8s.io/v1beta1', 'SubjectAccessReview', '1.19', 'authorization.k8s.io/v1'],
  ['1.22', 'authorization.k8s.io/v1beta1', 'SelfSubjectRulesReview', '1.19', 'authorization.k8s.io/v1'],
  ['1.22', 'certificates.k8s.io/v1beta1', 'CertificateSigningRequest', '1.19', 'certificates.k8s.io/v1'],
  ['1.22', 'coordination.k8s.io/v1beta1', 'Lease', '1.19', 'coordination.k8s.io/v1'],
  ['1.22', 'extensions/v1beta1', 'Ingress', '1.14', 'networking.k8s.io/v1'],
  ['1.22', 'networking.k8s.io/v1beta1', 'Ingress', '1.19', 'networking.k8s.io/v1'],
  ['1.22', 'networking.k8s.io/v1beta1', 'IngressClass', '1.19', 'networking.k8s.io/v1'],
  ['1.22', 'rbac.authorization.k8s.io/v1beta1', 'ClusterRole', '1.17', 'rbac.authorization.k8s.io/v1'],
  ['1.22', 'rbac.authorization.k8s.io/v1beta1', 'ClusterRoleBinding', '1.17', 'rbac.authorization.k8s.io/v1'],
  ['1.22', 'rbac.authorization.k8s.io/v1beta1', 'Role', '1.17', 'rbac.authorization.k8s.io/v1'],
  ['1.22', 'rbac.authorization.k8s.io/v1beta1', 'RoleBinding', '1.17', 'rbac.authorization.k8s.io/v1'],
  ['1.22', 'scheduling.k8s.io/v1beta1', 'PriorityClass', '1.14', 'scheduling.k8s.io/v1'],
  ['1.22', 'storage.k8s.io/v1beta1', 'CSIDriver', '1.19', 'storage.k8s.io/v1'],
  ['1.22', 'storage.k8s.io/v1beta1', 'CSINode', '1.17', 'storage.k8s.io/v1'],
  ['1.22', 'storage.k8s.io/v1beta1', 'StorageClass', '1.19', 'storage.k8s.io/v1'],
  ['1.22', 'storage.k8s.io/v1beta1', 'VolumeAttachment', '1.19', 'storage.k8s.io/v1'],
  ['1.16', 'extensions/v1beta1', 'NetworkPolicy', '1.9', 'networking.k8s.io/v1'],
  ['1.16', 'extensions/v1beta1', 'DaemonSet', '1.8', 'apps/v1'],
  ['1.16', 'apps/v1beta2', 'DaemonSet', '1.9', 'apps/v1'],
  ['1.16', 'extensions/v1beta1', 'Deployment', '1.8', 'apps/v1'],
  ['1.16', 'apps/v1beta1', 'Deployment', '1.8', 'apps/v1'],
  ['1.16', 'apps/v1beta2', 'Deployment', '1.9', 'apps/v1'],
  ['1.16', 'apps/v1beta1', 'StatefulSet', '1.8', 'apps/v1'],
  ['1.16', 'apps/v1beta2', 'StatefulSet', '1.9', 'apps/v1'],
  ['1.16', 'extensions/v1beta1', 'ReplicaSet', '1.8', 'apps/v1'],
  ['1.16', 'apps/v1beta2', 'ReplicaSet', '1.9', 'apps/v1'],
  ['1.16', 'extensions/v1beta1', 'PodSecurityPolicy', '1.11', 'policy/v1beta1'],
];

describe('built-in database covers every removal in the deprecation guide', () => {
  it.each(GUIDE)('%s: %s %s', (removed, apiVersion, kind, deprecatedIn, successor) => {
    const m = table.lookup(apiVersion, kind);
    expect(m, `${apiVersion} ${kind} missing`).toBeDefined();
    expect(`${m!.removedIn!.major}.${m!.removedIn!.minor}`).toBe(removed);
    expect(`${m!.deprecatedIn!.major}.${m!.deprecatedIn!.minor}`).toBe(deprecatedIn);
    const at = applicability(m!, v(removed), { preClean: false });
    expect(at.applies).toBe(true);
    expect(at.early).toBe(false);
    expect(at.replacement === null ? null : at.replacement!.apiVersion).toBe(successor);
    if (at.replacement) expect(at.replacement.kind).toBe(kind);
    // One minor before removal, a cluster's own version never triggers it.
    const before = parseKubeVersion(`1.${Number(removed.split('.')[1]) - 1}`);
    expect(applicability(m!, before, { preClean: false }).applies).toBe(false);
  });

  it('includes the entries helm-mapkubeapis lacks, with notes for their spec changes', () => {
    for (const [a, k] of [
      ['discovery.k8s.io/v1beta1', 'EndpointSlice'],
      ['events.k8s.io/v1beta1', 'Event'],
    ]) expect(table.lookup(a, k)!.notes.length).toBeGreaterThan(0);
    expect(table.lookup('node.k8s.io/v1beta1', 'RuntimeClass')).toBeDefined();
    expect(table.lookup('authorization.k8s.io/v1beta1', 'SelfSubjectRulesReview')!.notes.join()).toMatch(/spec\.groups/);
  });

  it('maps *List kinds (PodDisruptionBudgetList, HorizontalPodAutoscalerList, CronJobList, PodSecurityPolicyList)', () => {
    expect(table.lookup('policy/v1beta1', 'PodDisruptionBudgetList')?.replacement?.apiVersion).toBe('policy/v1');
    expect(table.lookup('autoscaling/v2beta2', 'HorizontalPodAutoscalerList')?.replacement?.kind).toBe('HorizontalPodAutoscalerList');
    expect(table.lookup('batch/v1beta1', 'CronJobList')).toBeDefined();
    expect(table.lookup('policy/v1beta1', 'PodSecurityPolicyList')?.replacement).toBeNull();
    // Review kinds are create-only: no lists.
    expect(table.lookup('authentication.k8s.io/v1beta1', 'TokenReviewList')).toBeUndefined();
  });

  it('carries the guide\'s notable spec changes as notes', () => {
    const notes = (a: string, k: string) => table.lookup(a, k)!.notes.join('\n');
    expect(notes('networking.k8s.io/v1beta1', 'Ingress')).toMatch(/serviceName -> service\.name/);
    expect(notes('policy/v1beta1', 'PodDisruptionBudget')).toMatch(/selects ALL pods/);
    expect(notes('autoscaling/v2beta1', 'HorizontalPodAutoscaler')).toMatch(/target\.averageUtilization/);
    expect(notes(`${FC}/v1beta2`, 'PriorityLevelConfiguration')).toMatch(/nominalConcurrencyShares/);
    expect(notes('admissionregistration.k8s.io/v1beta1', 'ValidatingWebhookConfiguration')).toMatch(/sideEffects/);
    // A chained rename reports the notes of every step it takes.
    const ext = applicability(table.lookup('extensions/v1beta1', 'Ingress')!, v('1.22'), { preClean: false });
    expect(ext.notes!.join('\n')).toMatch(/pathType is required/);
    expect(ext.via).toEqual(['extensions/v1beta1/Ingress', 'networking.k8s.io/v1beta1/Ingress']);
  });
});
