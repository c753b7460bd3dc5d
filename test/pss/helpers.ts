// Test helpers for the Pod Security Standards engine: build pods the way a manifest would say
// them, run one check's rule at a version (as upstream's check tests call e.g. runAsUser1_35
// directly), or a whole level through the public API.
import { expect, it } from 'vitest';
import { checkPod, parsePolicyVersion } from '../../src/pss/index.js';
import { ALL_CHECKS } from '../../src/pss/registry.js';
import { readPod } from '../../src/pss/shape.js';
import { olderThan } from '../../src/pss/version.js';
import type { Finding } from '../../src/pss/check.js';

export interface RawPod {
  metadata?: { annotations?: Record<string, string> };
  spec: Record<string, unknown>;
  /** As extractPod sets it: '' or absent for a Pod, e.g. 'spec.template' for a Deployment. */
  templatePath?: string;
}

export const CONTAINER_FIELDS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
export type ContainerField = (typeof CONTAINER_FIELDS)[number];

/** A container with a name and, if given, a securityContext. */
export function ctr(name: string, securityContext?: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return securityContext === undefined ? { name, ...extra } : { name, securityContext, ...extra };
}

/** A pod whose only container of interest sits in `field` (others in the spec stay as given). */
export function podWith(field: ContainerField, container: Record<string, unknown>, spec: Record<string, unknown> = {}): RawPod {
  return { spec: { ...spec, [field]: [container] } };
}

/** The rule of check `id` in force at `version`, applied to `pod`; null = allowed. */
export function ruleFinding(id: string, version: string, pod: RawPod): Finding | null {
  const check = ALL_CHECKS.find((c) => c.id === id);
  if (!check) throw new Error(`no check ${id}`);
  const at = parsePolicyVersion(version);
  const rule = check.versions.filter((r) => !olderThan(at, r.since)).at(-1);
  if (!rule) throw new Error(`${id} is not in force at ${version}`);
  return rule.check(readPod(pod));
}

/** IDs of the checks that fail at a level and version, through the public API. */
export function failing(level: 'baseline' | 'restricted', version: string, pod: RawPod): string[] {
  return checkPod(level, pod, parsePolicyVersion(version)).map((v) => v.check);
}

export interface UpstreamCase {
  name: string;
  pod: RawPod;
  /** undefined: upstream expects the pod to be allowed. */
  reason?: string;
  detail?: string;
}

/** One `it` per case of an upstream check_*_test.go table, run against the rule at `version`. */
export function upstreamTable(id: string, version: string, cases: UpstreamCase[]): void {
  for (const c of cases) {
    it(`${id} ${version}: ${c.name}`, () => {
      const finding = ruleFinding(id, version, c.pod);
      if (c.reason === undefined) expect(finding).toBeNull();
      else expect(finding).toEqual({ reason: c.reason, detail: c.detail ?? '' });
    });
  }
}
