// The Kubernetes core/v1 fields of every object the checks read. A field not listed here is
// "unknown": the API server (and Helm's schema validation) would reject it, and a typo such as
// `privilegd: true` must not pass silently, so shape.ts reports it instead of ignoring it.
// Fields the checks never read are only listed ('any'): their values are not examined.
// test/pss/schema.test.ts checks these lists against the API models of @kubernetes/client-node.

export type FieldShape =
  | 'bool' // Go bool: absent/null -> false
  | 'bool?' // Go *bool: absent/null -> undefined
  | 'string' // Go string: absent/null -> ''
  | 'string?' // Go *string
  | 'int32' // Go int32: absent/null -> 0
  | 'int64?' // Go *int64
  | 'source' // a volume source: an object or null; only whether it is set matters
  | 'any' // not read by any check
  | { readonly object: ObjectShape } // Go *struct: absent/null -> undefined
  | { readonly list: ObjectShape | 'string' }; // Go slice: absent/null -> []

export type ObjectShape = Readonly<Record<string, FieldShape>>;

function fields(shaped: ObjectShape, unread: readonly string[]): ObjectShape {
  return { ...Object.fromEntries(unread.map((name) => [name, 'any' as const])), ...shaped };
}

const seLinuxOptions: ObjectShape = fields({ type: 'string', user: 'string', role: 'string' }, ['level']);
const seccompProfile: ObjectShape = fields({ type: 'string' }, ['localhostProfile']);
const appArmorProfile: ObjectShape = fields({ type: 'string' }, ['localhostProfile']);
const windowsOptions: ObjectShape = fields({ hostProcess: 'bool?' }, ['gmsaCredentialSpec', 'gmsaCredentialSpecName', 'runAsUserName']);

const podSecurityContext: ObjectShape = fields(
  {
    runAsNonRoot: 'bool?',
    runAsUser: 'int64?',
    seLinuxOptions: { object: seLinuxOptions },
    seccompProfile: { object: seccompProfile },
    appArmorProfile: { object: appArmorProfile },
    windowsOptions: { object: windowsOptions },
    sysctls: { list: fields({ name: 'string' }, ['value']) },
  },
  ['fsGroup', 'fsGroupChangePolicy', 'runAsGroup', 'seLinuxChangePolicy', 'supplementalGroups', 'supplementalGroupsPolicy'],
);

const securityContext: ObjectShape = fields(
  {
    privileged: 'bool?',
    allowPrivilegeEscalation: 'bool?',
    capabilities: { object: { add: { list: 'string' }, drop: { list: 'string' } } },
    procMount: 'string?',
    runAsNonRoot: 'bool?',
    runAsUser: 'int64?',
    seLinuxOptions: { object: seLinuxOptions },
    seccompProfile: { object: seccompProfile },
    appArmorProfile: { object: appArmorProfile },
    windowsOptions: { object: windowsOptions },
  },
  ['readOnlyRootFilesystem', 'runAsGroup'],
);

const httpGet: ObjectShape = fields({ host: 'string' }, ['httpHeaders', 'path', 'port', 'scheme']);
const tcpSocket: ObjectShape = fields({ host: 'string' }, ['port']);
const probe: ObjectShape = fields(
  { httpGet: { object: httpGet }, tcpSocket: { object: tcpSocket } },
  ['exec', 'grpc', 'failureThreshold', 'initialDelaySeconds', 'periodSeconds', 'successThreshold', 'terminationGracePeriodSeconds', 'timeoutSeconds'],
);
const lifecycleHandler: ObjectShape = fields({ httpGet: { object: httpGet }, tcpSocket: { object: tcpSocket } }, ['exec', 'sleep']);
const lifecycle: ObjectShape = fields(
  { postStart: { object: lifecycleHandler }, preStop: { object: lifecycleHandler } },
  ['stopSignal'],
);

const containerUnread = [
  'args', 'command', 'env', 'envFrom', 'image', 'imagePullPolicy', 'resizePolicy', 'resources', 'restartPolicy',
  'restartPolicyRules', 'stdin', 'stdinOnce', 'terminationMessagePath', 'terminationMessagePolicy', 'tty',
  'volumeDevices', 'volumeMounts', 'workingDir',
];
const containerShaped: ObjectShape = {
  name: 'string',
  securityContext: { object: securityContext },
  ports: { list: fields({ hostPort: 'int32', containerPort: 'int32' }, ['hostIP', 'name', 'protocol']) },
  livenessProbe: { object: probe },
  readinessProbe: { object: probe },
  startupProbe: { object: probe },
  lifecycle: { object: lifecycle },
};
const container = fields(containerShaped, containerUnread);
const ephemeralContainer = fields(containerShaped, [...containerUnread, 'targetContainerName']);

/** Inline volume sources; restrictedVolumes names them, hostPathVolumes looks for hostPath. */
export const VOLUME_SOURCES = [
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'configMap', 'csi', 'downwardAPI', 'emptyDir',
  'ephemeral', 'fc', 'flexVolume', 'flocker', 'gcePersistentDisk', 'gitRepo', 'glusterfs', 'hostPath', 'image',
  'iscsi', 'nfs', 'persistentVolumeClaim', 'photonPersistentDisk', 'portworxVolume', 'projected', 'quobyte', 'rbd',
  'scaleIO', 'secret', 'storageos', 'vsphereVolume',
] as const;

const volume: ObjectShape = { name: 'string', ...Object.fromEntries(VOLUME_SOURCES.map((s) => [s, 'source' as const])) };

export const POD_SPEC: ObjectShape = fields(
  {
    hostNetwork: 'bool',
    hostPID: 'bool',
    hostIPC: 'bool',
    hostUsers: 'bool?',
    os: { object: { name: 'string' } },
    securityContext: { object: podSecurityContext },
    volumes: { list: volume },
    initContainers: { list: container },
    containers: { list: container },
    ephemeralContainers: { list: ephemeralContainer },
  },
  [
    'activeDeadlineSeconds', 'affinity', 'automountServiceAccountToken', 'dnsConfig', 'dnsPolicy', 'enableServiceLinks',
    'hostAliases', 'hostname', 'hostnameOverride', 'imagePullSecrets', 'nodeName', 'nodeSelector', 'overhead',
    'preemptionPolicy', 'priority', 'priorityClassName', 'readinessGates', 'resourceClaims', 'resources',
    'restartPolicy', 'runtimeClassName', 'schedulerName', 'schedulingGates', 'serviceAccount', 'serviceAccountName',
    'setHostnameAsFQDN', 'shareProcessNamespace', 'subdomain', 'terminationGracePeriodSeconds', 'tolerations',
    'topologySpreadConstraints',
  ],
);
