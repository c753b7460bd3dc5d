// Stand-ins for the controllers a real cluster runs: workloads become ready the moment they
// are written, so Helm's hook waits and `--wait` (both versions' readiness checks) succeed
// at once. Pods that run to completion report Succeeded, like a finished hook or test pod.
import type { KubeObject } from './types.js';

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export function settle(obj: KubeObject): void {
  const gen = obj.metadata?.generation;
  const replicas = typeof obj.spec?.replicas === 'number' ? obj.spec.replicas : 1;
  const t = now();
  switch (obj.kind) {
    case 'Namespace':
      obj.spec = { finalizers: ['kubernetes'], ...obj.spec };
      obj.status = { phase: 'Active' };
      break;
    case 'Job':
      obj.status = {
        startTime: obj.status?.startTime ?? t,
        completionTime: obj.status?.completionTime ?? t,
        succeeded: 1,
        conditions: [{ type: 'Complete', status: 'True', lastProbeTime: t, lastTransitionTime: t }],
      };
      break;
    case 'Deployment':
      obj.status = {
        observedGeneration: gen, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas,
        conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', lastUpdateTime: t, lastTransitionTime: t },
          { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', lastUpdateTime: t, lastTransitionTime: t },
        ],
      };
      break;
    case 'ReplicaSet':
      obj.status = { observedGeneration: gen, replicas, readyReplicas: replicas, availableReplicas: replicas, fullyLabeledReplicas: replicas };
      break;
    case 'StatefulSet':
      obj.status = {
        observedGeneration: gen, replicas, readyReplicas: replicas, currentReplicas: replicas, updatedReplicas: replicas,
        availableReplicas: replicas, currentRevision: `${obj.metadata.name}-sim`, updateRevision: `${obj.metadata.name}-sim`,
      };
      break;
    case 'DaemonSet':
      obj.status = { observedGeneration: gen, currentNumberScheduled: 1, desiredNumberScheduled: 1, numberReady: 1, updatedNumberScheduled: 1, numberAvailable: 1, numberMisscheduled: 0 };
      break;
    case 'Pod': {
      const finishes = obj.spec?.restartPolicy === 'Never' || obj.spec?.restartPolicy === 'OnFailure';
      obj.status = finishes
        ? { phase: 'Succeeded', startTime: t }
        : { phase: 'Running', startTime: t, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: t }] };
      break;
    }
    case 'PersistentVolumeClaim':
      obj.status = { phase: 'Bound' };
      break;
    case 'Service':
      if (obj.spec && obj.spec.type !== 'ExternalName' && !obj.spec.clusterIP) obj.spec.clusterIP = '10.96.0.10';
      // Helm 3's --wait waits for a load balancer address.
      if (obj.spec?.type === 'LoadBalancer') obj.status = { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } };
      break;
    case 'CustomResourceDefinition':
      obj.status = { conditions: [{ type: 'Established', status: 'True', lastTransitionTime: t }, { type: 'NamesAccepted', status: 'True', lastTransitionTime: t }] };
      break;
    default:
      break;
  }
}
