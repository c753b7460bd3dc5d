import { describe, expect, it } from 'vitest';
import { matchesSelector, parseSelector, SelectorError } from '../../src/clean/selector.js';
import { globFilter, releaseFromKey } from '../../src/clean/batch.js';

describe('label selectors', () => {
  const labels = { team: 'a', tier: 'web', 'app.kubernetes.io/name': 'x' };
  it.each([
    ['team=a', true], ['team==a', true], ['team=b', false], ['team!=b', true], ['team!=a', false],
    ['tier', true], ['!tier', false], ['missing', false], ['!missing', true],
    ['tier in (web,db)', true], ['tier notin (web)', false], ['team=a,tier=db', false], ['app.kubernetes.io/name=x', true],
  ])('%s -> %s', (sel, want) => {
    expect(matchesSelector(parseSelector(sel), labels)).toBe(want);
  });
  it('rejects garbage', () => {
    expect(() => parseSelector('a=b=c')).toThrow(SelectorError);
    expect(() => parseSelector('a > 3')).toThrow(SelectorError);
  });
});

describe('glob filters', () => {
  it('include/exclude combine', () => {
    const f = globFilter(['team-*', 'default'], ['team-secret*']);
    expect(['default', 'team-a', 'team-secret-x', 'kube-system'].filter(f)).toEqual(['default', 'team-a']);
    expect(globFilter([], [])('anything')).toBe(true);
  });
  it('reads release names from storage keys', () => {
    expect(releaseFromKey('sh.helm.release.v1.my.app.v12')).toBe('my.app');
    expect(releaseFromKey('other')).toBeNull();
  });
});
