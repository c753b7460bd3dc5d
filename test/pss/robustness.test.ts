import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PodShapeError, evaluatePod, extractPod, parsePolicyVersion } from '../../src/pss/index.js';

// Whatever a stored manifest holds, evaluation answers (ok or not evaluable) and never throws;
// the extractor returns a pod, null, or a PodShapeError.
const versions = ['v1.0', 'v1.19', 'v1.25', 'v1.35', 'latest'].map(parsePolicyVersion);

// Pods that are close to valid, with any subtree possibly replaced by anything.
const container = fc.record(
  {
    name: fc.oneof(fc.string(), fc.anything()),
    securityContext: fc.oneof(
      fc.record({ privileged: fc.anything(), capabilities: fc.oneof(fc.record({ add: fc.anything(), drop: fc.array(fc.string()) }), fc.anything()), runAsUser: fc.anything() }, { requiredKeys: [] }),
      fc.anything(),
    ),
    ports: fc.oneof(fc.array(fc.record({ hostPort: fc.anything(), containerPort: fc.integer() }, { requiredKeys: [] })), fc.anything()),
  },
  { requiredKeys: [] },
);
const spec = fc.oneof(
  fc.record(
    {
      containers: fc.oneof(fc.array(container), fc.anything()),
      initContainers: fc.array(container),
      volumes: fc.oneof(fc.array(fc.dictionary(fc.constantFrom('name', 'hostPath', 'emptyDir', 'nfs'), fc.anything())), fc.anything()),
      securityContext: fc.anything(),
      hostNetwork: fc.anything(),
    },
    { requiredKeys: [] },
  ),
  fc.anything(),
);

describe('robustness', () => {
  it('evaluatePod never throws; containers that are not a list are never ok; errors start with a field path', () => {
    fc.assert(
      fc.property(fc.anything(), spec, fc.constantFrom(...versions), (metadata, s, version) => {
        const result = evaluatePod({ metadata, spec: s }, version);
        expect(typeof result.ok).toBe('boolean');
        const containers = typeof s === 'object' && s !== null ? (s as Record<string, unknown>).containers : undefined;
        if (containers !== undefined && containers !== null && !Array.isArray(containers)) expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error).toMatch(/^[\w.[\]"\-/]+: /);
      }),
      { numRuns: 2000, seed: 14 },
    );
  });
  it('extractPod returns a pod, null, or throws PodShapeError', () => {
    const kinds = fc.constantFrom('Pod', 'Deployment', 'CronJob', 'ReplicationController', 'Service');
    fc.assert(
      fc.property(kinds, fc.anything(), (kind, body) => {
        try {
          const pod = extractPod({ apiVersion: kind === 'CronJob' ? 'batch/v1' : kind === 'Deployment' ? 'apps/v1' : 'v1', kind, spec: body });
          if (pod) evaluatePod(pod, versions[4]);
        } catch (err) {
          expect(err).toBeInstanceOf(PodShapeError);
        }
      }),
      { numRuns: 1000, seed: 14 },
    );
  });
});
