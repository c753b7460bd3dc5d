// The one stand-in controller that has to create objects: Deployment -> ReplicaSet. Helm 3's
// `--wait` finds a Deployment's current ReplicaSet (listed by selector, owned by the
// Deployment, template equal but for the pod-template-hash label) and checks its readiness;
// without one it waits until the timeout. Status-only readiness lives in readiness.ts.
import { createHash } from 'node:crypto';
import { bucketOf, type Store, type StoreEvent } from './store.js';
import type { KubeObject } from './types.js';

const DEPLOYMENTS = bucketOf('apps', 'deployments');
const REPLICASETS = bucketOf('apps', 'replicasets');

function templateHash(template: unknown): string {
  return createHash('sha256').update(JSON.stringify(template ?? {})).digest('hex').slice(0, 10);
}

function ownedBy(rs: KubeObject, uid: string): boolean {
  return (rs.metadata?.ownerReferences ?? []).some((o: any) => o.uid === uid && o.controller);
}

function reconcile(store: Store, dep: KubeObject): void {
  const ns = dep.metadata.namespace ?? '';
  const template = dep.spec?.template ?? {};
  const hash = templateHash(template);
  const name = `${dep.metadata.name}-${hash}`;
  const replicas = typeof dep.spec?.replicas === 'number' ? dep.spec.replicas : 1;
  const owned = store.list(REPLICASETS, ns).filter((r) => ownedBy(r.obj, dep.metadata.uid));
  const revision = String(owned.length + (owned.some((r) => r.obj.metadata.name === name) ? 0 : 1));
  const labels = { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash };
  const rs: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: ns,
      labels,
      annotations: { 'deployment.kubernetes.io/revision': revision },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: dep.metadata.name, uid: dep.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      replicas,
      selector: { ...(dep.spec?.selector ?? {}), matchLabels: { ...(dep.spec?.selector?.matchLabels ?? {}), 'pod-template-hash': hash } },
      template: { ...template, metadata: { ...(template.metadata ?? {}), labels } },
    },
  };
  for (const old of owned) {
    if (old.obj.metadata.name !== name && old.obj.spec?.replicas !== 0) store.update(REPLICASETS, old, { ...old.obj, spec: { ...old.obj.spec, replicas: 0 } });
  }
  const current = store.get(REPLICASETS, ns, name);
  if (!current) store.create(REPLICASETS, rs);
  else if (current.obj.spec?.replicas !== replicas) {
    store.update(REPLICASETS, current, { ...rs, metadata: { ...rs.metadata, annotations: current.obj.metadata.annotations } });
  }
}

/** Subscribes the Deployment controller to the store; returns the unsubscribe function. */
export function startControllers(store: Store): () => void {
  return store.subscribe((e: StoreEvent) => {
    if (e.bucket !== DEPLOYMENTS) return;
    if (e.type === 'DELETED') {
      // Garbage collection of the Deployment's ReplicaSets (foreground/background alike).
      for (const r of store.list(REPLICASETS, e.namespace)) if (ownedBy(r.obj, e.obj.metadata.uid)) store.delete(REPLICASETS, r);
    } else reconcile(store, e.obj);
  });
}
