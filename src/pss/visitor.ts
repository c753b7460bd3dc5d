// Walking a pod spec the way upstream's checks do (policy/visitor.go, helpers.go).
import type { ContainerView, PodSpecView } from './model.js';

/** Init containers, then containers, then ephemeral containers: upstream's visiting order. */
export function visitContainers(spec: PodSpecView, visit: (c: ContainerView) => void): void {
  for (const c of spec.initContainers) visit(c);
  for (const c of spec.containers) visit(c);
  for (const c of spec.ephemeralContainers) visit(c);
}

/** Windows pods are exempt from some restricted checks from v1.25: the fields do not apply. */
export function isWindowsPod(spec: PodSpecView): boolean {
  return spec.os?.name === 'windows';
}

/** Pods in their own user namespace (hostUsers: false) get relaxed rules from v1.35. */
export function inUserNamespace(spec: PodSpecView): boolean {
  return spec.hostUsers === false;
}
