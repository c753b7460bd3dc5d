import { describe, expect, it } from 'vitest';
import { PssVersionError, formatPolicyVersion, parsePolicyVersion, policyVersionForKube } from '../../src/pss/index.js';

describe('parsePolicyVersion: exactly what upstream api.ParseVersion accepts', () => {
  it.each([
    ['v1.0', 0],
    ['v1.9', 9],
    ['v1.25', 25],
    ['v1.37', 37],
    ['v1.10000', 10000],
  ])('%s', (text, minor) => {
    expect(parsePolicyVersion(text)).toEqual({ major: 1, minor, latest: false });
  });
  it('latest', () => expect(parsePolicyVersion('latest')).toMatchObject({ latest: true }));
  it.each(['', 'Latest', 'v1', 'v1.', '1.25', 'v1.025', 'v1.00', 'v2.0', 'v1.25.0', ' v1.25', 'v1.25 ', 'v1.25\n', 'v1.-1', 'v1.x', 'v1.99999999999999999999'])(
    'rejects %j with a clear error',
    (text) => {
      expect(() => parsePolicyVersion(text)).toThrow(PssVersionError);
      expect(() => parsePolicyVersion(text)).toThrow(`invalid Pod Security policy version ${JSON.stringify(text)}: must be "latest" or "v1.x"`);
    },
  );
  it('formats back', () => {
    for (const text of ['latest', 'v1.0', 'v1.25', 'v1.40']) expect(formatPolicyVersion(parsePolicyVersion(text))).toBe(text);
  });
});

describe('policyVersionForKube: the version the API server of that release evaluates', () => {
  it.each([
    ['v1.25.16', 'v1.25'],
    ['1.25', 'v1.25'],
    ['v1.24', 'v1.24'],
    ['v1.27.3-eks-a5565ad', 'v1.27'],
    ['1.29+', 'v1.29'],
    ['v1.30.1+k3s1', 'v1.30'],
    ['v1.41.0', 'v1.41'],
  ])('%s -> %s', (kube, policy) => expect(formatPolicyVersion(policyVersionForKube(kube))).toBe(policy));
  it.each(['', 'latest', 'v1', 'one.two', '1.x.3'])('rejects %j', (kube) => {
    expect(() => policyVersionForKube(kube)).toThrow(PssVersionError);
  });
});
