import { describe, expect, it } from 'vitest';
import { compareKubeVersions, formatKubeVersion, parseKubeVersion } from '../../src/mapping/index.js';

describe('parseKubeVersion', () => {
  it.each([
    ['1.25', 1, 25],
    ['v1.25', 1, 25],
    ['v1.25.0', 1, 25],
    ['v1.25.16-eks-3af4770', 1, 25],
    ['v1.25.8-gke.1000', 1, 25],
    ['v1.26.3+k3s1', 1, 26],
    ['v1.25.9+rke2r1', 1, 25],
    ['v1.25.0-dirty', 1, 25],
    ['v1.25.0-2786+abc-dirty', 1, 25],
    [' v1.9 ', 1, 9],
    ['1.25+', 1, 25],
  ])('%s -> %i.%i', (text, major, minor) => {
    const v = parseKubeVersion(text);
    expect([v.major, v.minor]).toEqual([major, minor]);
    expect(v.raw).toBe(text.trim());
  });

  it.each(['', 'junk', '1', 'v1', '1.x', 'v1.25.0.1', 'latest', 'v1..25', '1.25 extra'])('rejects %j', (text) => {
    expect(() => parseKubeVersion(text)).toThrow(/invalid Kubernetes version/);
  });
});

describe('compareKubeVersions (helm-mapkubeapis#111: integers, never floats or semver pre-release order)', () => {
  const cmp = (a: string, b: string) => Math.sign(compareKubeVersions(parseKubeVersion(a), parseKubeVersion(b)));
  it('orders minor versions as integers: 1.9 < 1.16', () => expect(cmp('1.9', '1.16')).toBe(-1));
  it('a pre-release build of 1.25.0 is at 1.25', () => expect(cmp('v1.25.0-2786+abc-dirty', 'v1.25')).toBe(0));
  it('patch and build metadata do not matter', () => {
    expect(cmp('v1.25.16-eks-3af4770', '1.25.0')).toBe(0);
    expect(cmp('v1.26.3+k3s1', 'v1.25.16')).toBe(1);
  });
  it('formats as vMAJOR.MINOR', () => expect(formatKubeVersion(parseKubeVersion('v1.25.16-eks-3af4770'))).toBe('v1.25'));
});
