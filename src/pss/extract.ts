// Which objects carry a pod, and where (upstream admission.go DefaultPodSpecExtractor): the pod
// metadata (AppArmor and seccomp annotations) comes from the pod template, not the workload.
import { PodShapeError } from './shape.js';

export interface ExtractedPod {
  kind: string;
  metadata: unknown;
  /** undefined when the workload has no pod template; evaluatePod then reports it as missing. */
  spec: unknown;
  /** Where metadata/spec sit in the object ('' for a Pod, 'spec.template' for a Deployment). */
  templatePath: string;
}

// kind -> [API groups it is served from, path to the pod template]. extensions/* is the
// pre-1.16 home of the apps kinds, still found in old stored manifests; the template is the same.
const WORKLOADS: Readonly<Record<string, readonly [readonly string[], readonly string[]]>> = {
  Pod: [[''], []],
  PodTemplate: [[''], ['template']],
  ReplicationController: [[''], ['spec', 'template']],
  ReplicaSet: [['apps', 'extensions'], ['spec', 'template']],
  Deployment: [['apps', 'extensions'], ['spec', 'template']],
  StatefulSet: [['apps'], ['spec', 'template']],
  DaemonSet: [['apps', 'extensions'], ['spec', 'template']],
  Job: [['batch'], ['spec', 'template']],
  CronJob: [['batch'], ['spec', 'jobTemplate', 'spec', 'template']],
};

/**
 * The pod inside a workload object, or null when the object is not one of the kinds the
 * PodSecurity admission plugin evaluates (matched by kind and, when apiVersion is given, API
 * group — a custom resource named "Deployment" is not a Deployment), or when a
 * ReplicationController has no template (upstream skips those: the template is optional there).
 * Throws PodShapeError when something on the way to the template is not an object.
 */
export function extractPod(obj: unknown): ExtractedPod | null {
  if (!isObject(obj) || typeof obj.kind !== 'string' || !Object.hasOwn(WORKLOADS, obj.kind)) return null;
  const [groups, templatePath] = WORKLOADS[obj.kind];
  if (typeof obj.apiVersion === 'string' && !groups.includes(apiGroup(obj.apiVersion))) return null;

  let template: unknown = obj;
  for (let i = 0; i < templatePath.length; i++) {
    const next = (template as Record<string, unknown>)[templatePath[i]];
    if (next === undefined || next === null) {
      if (obj.kind === 'ReplicationController') return null;
      return { kind: obj.kind, metadata: undefined, spec: undefined, templatePath: templatePath.join('.') };
    }
    if (!isObject(next)) {
      throw new PodShapeError(templatePath.slice(0, i + 1).join('.'), `expected an object, got ${Array.isArray(next) ? 'a list' : typeof next}`);
    }
    template = next;
  }
  const pod = template as Record<string, unknown>;
  return { kind: obj.kind, metadata: pod.metadata, spec: pod.spec, templatePath: templatePath.join('.') };
}

function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
