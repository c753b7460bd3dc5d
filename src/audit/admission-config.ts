// The API server's admission configuration for Pod Security Admission
// (`--admission-control-config-file`), generated from the namespace verdicts. Pure.
//
// - defaults: the most permissive enforce/audit/warn verdict over the namespaces that are not
//   exempt, so a namespace not labelled yet is admitted as its verdict says; the `*-version`
//   fields pin the policy version the verdicts were made at.
// - exemptions.namespaces: namespaces whose verdict is privileged (their workloads or PSPs need
//   it), plus, with --rancher, the namespaces Rancher's rancher-restricted template exempts.
// - apiVersion of PodSecurityConfiguration by the target Kubernetes minor version: v1 from 1.25,
//   v1beta1 on 1.23-1.24, v1alpha1 on 1.22 (PodSecurity feature gate required); below 1.22 the
//   API server has no PodSecurity plugin, which is an error.
import { maxLevel, type PssLevel } from './levels.js';
import type { NamespaceSuggestion } from './namespaces.js';

export interface AdmissionConfiguration {
  apiVersion: 'apiserver.config.k8s.io/v1';
  kind: 'AdmissionConfiguration';
  plugins: Array<{
    name: 'PodSecurity';
    configuration: {
      apiVersion: string;
      kind: 'PodSecurityConfiguration';
      defaults: Record<'enforce' | 'enforce-version' | 'audit' | 'audit-version' | 'warn' | 'warn-version', string>;
      exemptions: { usernames: string[]; runtimeClasses: string[]; namespaces: string[] };
    };
  }>;
}

export class AdmissionConfigError extends Error {}

/** PodSecurityConfiguration's apiVersion for a Kubernetes minor version (undefined = newest). */
export function podSecurityConfigApiVersion(kubeMinor: number | undefined): string {
  const g = 'pod-security.admission.config.k8s.io';
  if (kubeMinor === undefined || kubeMinor >= 25) return `${g}/v1`;
  if (kubeMinor >= 23) return `${g}/v1beta1`;
  if (kubeMinor === 22) return `${g}/v1alpha1`;
  throw new AdmissionConfigError(`Kubernetes 1.${kubeMinor} has no PodSecurity admission plugin (alpha in 1.22, beta from 1.23): no admission configuration to write`);
}

export interface AdmissionInput {
  namespaces: NamespaceSuggestion[];
  /** Policy version of the verdicts ('latest' or 'vX.Y'). */
  version: string;
  /** Target Kubernetes minor version; undefined when unknown (offline). */
  kubeMinor?: number;
  /** Extra namespaces to exempt (Rancher's list). */
  exempt?: Iterable<string>;
}

export function admissionConfiguration(input: AdmissionInput): AdmissionConfiguration {
  const apiVersion = podSecurityConfigApiVersion(input.kubeMinor);
  const exempt = new Set(input.exempt ?? []);
  for (const n of input.namespaces) if (n.enforce === 'privileged') exempt.add(n.name);
  let enforce: PssLevel = 'restricted';
  let audit: PssLevel = 'restricted';
  let warn: PssLevel = 'restricted';
  for (const n of input.namespaces) {
    if (exempt.has(n.name)) continue;
    enforce = maxLevel(enforce, n.enforce);
    audit = maxLevel(audit, n.audit);
    warn = maxLevel(warn, n.warn);
  }
  const v = input.version;
  return {
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AdmissionConfiguration',
    plugins: [
      {
        name: 'PodSecurity',
        configuration: {
          apiVersion,
          kind: 'PodSecurityConfiguration',
          defaults: { enforce, 'enforce-version': v, audit, 'audit-version': v, warn, 'warn-version': v },
          exemptions: { usernames: [], runtimeClasses: [], namespaces: [...exempt].sort() },
        },
      },
    ],
  };
}
