// The API resources kube-sim serves, with the Kubernetes minor versions that serve each
// group-version (from Kubernetes' deprecation guide, see shared/docs/deprecations.md).
// Objects are stored per storage group + resource, like a real API server stores them in
// etcd, so the same PodDisruptionBudget is visible through policy/v1beta1 and policy/v1, and
// an Ingress through extensions/v1beta1, networking.k8s.io/v1beta1 and v1. kube-sim does no
// field conversion between versions: it only rewrites apiVersion (see README).

export interface ResourceDef {
  group: string; // "" for the core group
  version: string;
  resource: string; // plural, the URL segment
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Group the objects are stored under when it differs from `group`. */
  storageGroup?: string;
  /** First minor version serving this group-version (inclusive). */
  since: number;
  /** First minor version NOT serving it any more (exclusive); absent = still served. */
  removedIn?: number;
}

const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function r(gv: string, resource: string, kind: string, namespaced: boolean, since: number, removedIn?: number, extra: Partial<ResourceDef> = {}): ResourceDef {
  const [group, version] = gv.includes('/') ? gv.split('/') : ['', gv];
  const singular = kind.toLowerCase();
  return { group, version, resource, singular, kind, namespaced, since, removedIn, ...extra };
}

export const CATALOG: ResourceDef[] = [
  r('v1', 'namespaces', 'Namespace', false, 0, undefined, { shortNames: ['ns'] }),
  r('v1', 'secrets', 'Secret', true, 0),
  r('v1', 'configmaps', 'ConfigMap', true, 0, undefined, { shortNames: ['cm'] }),
  r('v1', 'serviceaccounts', 'ServiceAccount', true, 0, undefined, { shortNames: ['sa'] }),
  r('v1', 'services', 'Service', true, 0, undefined, { shortNames: ['svc'] }),
  r('v1', 'pods', 'Pod', true, 0, undefined, { shortNames: ['po'] }),
  r('v1', 'endpoints', 'Endpoints', true, 0, undefined, { singular: 'endpoints', shortNames: ['ep'] }),
  r('v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, 0, undefined, { shortNames: ['pvc'] }),
  r('v1', 'persistentvolumes', 'PersistentVolume', false, 0, undefined, { shortNames: ['pv'] }),
  r('v1', 'events', 'Event', true, 0, undefined, { shortNames: ['ev'] }),
  r('v1', 'limitranges', 'LimitRange', true, 0),
  r('v1', 'resourcequotas', 'ResourceQuota', true, 0, undefined, { shortNames: ['quota'] }),
  r('v1', 'nodes', 'Node', false, 0, undefined, { shortNames: ['no'] }),

  r('apps/v1', 'deployments', 'Deployment', true, 9, undefined, { shortNames: ['deploy'] }),
  r('apps/v1', 'statefulsets', 'StatefulSet', true, 9, undefined, { shortNames: ['sts'] }),
  r('apps/v1', 'daemonsets', 'DaemonSet', true, 9, undefined, { shortNames: ['ds'] }),
  r('apps/v1', 'replicasets', 'ReplicaSet', true, 9, undefined, { shortNames: ['rs'] }),
  r('extensions/v1beta1', 'deployments', 'Deployment', true, 0, 16, { storageGroup: 'apps' }),
  r('extensions/v1beta1', 'daemonsets', 'DaemonSet', true, 0, 16, { storageGroup: 'apps' }),
  r('extensions/v1beta1', 'replicasets', 'ReplicaSet', true, 0, 16, { storageGroup: 'apps' }),
  r('extensions/v1beta1', 'networkpolicies', 'NetworkPolicy', true, 0, 16, { storageGroup: 'networking.k8s.io' }),
  r('extensions/v1beta1', 'podsecuritypolicies', 'PodSecurityPolicy', false, 0, 16, { storageGroup: 'policy' }),
  r('extensions/v1beta1', 'ingresses', 'Ingress', true, 0, 22, { storageGroup: 'networking.k8s.io' }),
  r('apps/v1beta1', 'deployments', 'Deployment', true, 0, 16),
  r('apps/v1beta1', 'statefulsets', 'StatefulSet', true, 0, 16),
  r('apps/v1beta2', 'deployments', 'Deployment', true, 8, 16),
  r('apps/v1beta2', 'statefulsets', 'StatefulSet', true, 8, 16),
  r('apps/v1beta2', 'daemonsets', 'DaemonSet', true, 8, 16),
  r('apps/v1beta2', 'replicasets', 'ReplicaSet', true, 8, 16),

  r('batch/v1', 'jobs', 'Job', true, 0),
  r('batch/v1', 'cronjobs', 'CronJob', true, 21, undefined, { shortNames: ['cj'] }),
  r('batch/v1beta1', 'cronjobs', 'CronJob', true, 8, 25, { storageGroup: 'batch' }),

  r('autoscaling/v1', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, 0, undefined, { shortNames: ['hpa'] }),
  r('autoscaling/v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, 23, undefined, { shortNames: ['hpa'] }),
  r('autoscaling/v2beta1', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, 8, 25),
  r('autoscaling/v2beta2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, 12, 26),

  r('policy/v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, 21, undefined, { shortNames: ['pdb'] }),
  r('policy/v1beta1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, 5, 25, { shortNames: ['pdb'] }),
  r('policy/v1beta1', 'podsecuritypolicies', 'PodSecurityPolicy', false, 10, 25, { shortNames: ['psp'] }),

  r('rbac.authorization.k8s.io/v1', 'roles', 'Role', true, 8),
  r('rbac.authorization.k8s.io/v1', 'rolebindings', 'RoleBinding', true, 8),
  r('rbac.authorization.k8s.io/v1', 'clusterroles', 'ClusterRole', false, 8),
  r('rbac.authorization.k8s.io/v1', 'clusterrolebindings', 'ClusterRoleBinding', false, 8),
  r('rbac.authorization.k8s.io/v1beta1', 'roles', 'Role', true, 6, 22),
  r('rbac.authorization.k8s.io/v1beta1', 'rolebindings', 'RoleBinding', true, 6, 22),
  r('rbac.authorization.k8s.io/v1beta1', 'clusterroles', 'ClusterRole', false, 6, 22),
  r('rbac.authorization.k8s.io/v1beta1', 'clusterrolebindings', 'ClusterRoleBinding', false, 6, 22),

  r('networking.k8s.io/v1', 'ingresses', 'Ingress', true, 19, undefined, { shortNames: ['ing'] }),
  r('networking.k8s.io/v1', 'ingressclasses', 'IngressClass', false, 19),
  r('networking.k8s.io/v1', 'networkpolicies', 'NetworkPolicy', true, 7, undefined, { shortNames: ['netpol'] }),
  r('networking.k8s.io/v1beta1', 'ingresses', 'Ingress', true, 14, 22),
  r('networking.k8s.io/v1beta1', 'ingressclasses', 'IngressClass', false, 18, 22),

  r('apiextensions.k8s.io/v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, 16, undefined, { shortNames: ['crd', 'crds'] }),
  r('apiextensions.k8s.io/v1beta1', 'customresourcedefinitions', 'CustomResourceDefinition', false, 7, 22),
  r('admissionregistration.k8s.io/v1', 'mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', false, 16),
  r('admissionregistration.k8s.io/v1', 'validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', false, 16),
  r('admissionregistration.k8s.io/v1beta1', 'mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', false, 9, 22),
  r('admissionregistration.k8s.io/v1beta1', 'validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', false, 9, 22),
  r('scheduling.k8s.io/v1', 'priorityclasses', 'PriorityClass', false, 14, undefined, { shortNames: ['pc'] }),
  r('scheduling.k8s.io/v1beta1', 'priorityclasses', 'PriorityClass', false, 11, 22),
  r('storage.k8s.io/v1', 'storageclasses', 'StorageClass', false, 6, undefined, { shortNames: ['sc'] }),
  r('storage.k8s.io/v1', 'csistoragecapacities', 'CSIStorageCapacity', true, 24),
  r('storage.k8s.io/v1beta1', 'storageclasses', 'StorageClass', false, 4, 22),
  r('storage.k8s.io/v1beta1', 'csistoragecapacities', 'CSIStorageCapacity', true, 21, 27),
  r('coordination.k8s.io/v1', 'leases', 'Lease', true, 14),
  r('discovery.k8s.io/v1', 'endpointslices', 'EndpointSlice', true, 21),
  r('discovery.k8s.io/v1beta1', 'endpointslices', 'EndpointSlice', true, 17, 25),
  r('events.k8s.io/v1', 'events', 'Event', true, 19, undefined, { storageGroup: '' }),
  r('events.k8s.io/v1beta1', 'events', 'Event', true, 8, 25, { storageGroup: '' }),
  r('node.k8s.io/v1', 'runtimeclasses', 'RuntimeClass', false, 20),
  r('node.k8s.io/v1beta1', 'runtimeclasses', 'RuntimeClass', false, 14, 25),
  r('flowcontrol.apiserver.k8s.io/v1', 'flowschemas', 'FlowSchema', false, 29),
  r('flowcontrol.apiserver.k8s.io/v1', 'prioritylevelconfigurations', 'PriorityLevelConfiguration', false, 29),
  r('flowcontrol.apiserver.k8s.io/v1beta3', 'flowschemas', 'FlowSchema', false, 26, 32),
  r('flowcontrol.apiserver.k8s.io/v1beta3', 'prioritylevelconfigurations', 'PriorityLevelConfiguration', false, 26, 32),
  r('flowcontrol.apiserver.k8s.io/v1beta2', 'flowschemas', 'FlowSchema', false, 23, 29),
  r('flowcontrol.apiserver.k8s.io/v1beta2', 'prioritylevelconfigurations', 'PriorityLevelConfiguration', false, 23, 29),
  r('flowcontrol.apiserver.k8s.io/v1beta1', 'flowschemas', 'FlowSchema', false, 20, 26),
  r('flowcontrol.apiserver.k8s.io/v1beta1', 'prioritylevelconfigurations', 'PriorityLevelConfiguration', false, 20, 26),
];

export const VERBS = ALL;

export function gvString(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** The group an object of this resource is stored under. */
export function storageGroupOf(def: ResourceDef): string {
  return def.storageGroup ?? def.group;
}

/** Group-version -> ordered preference: GA before beta before alpha, then higher numbers. */
export function versionPriority(v: string): number {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (!m) return 0;
  const major = Number(m[1]);
  const stage = m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2;
  return stage * 1_000_000 + major * 1000 + Number(m[3] ?? 0);
}
