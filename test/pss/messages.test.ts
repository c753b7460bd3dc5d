import { describe, expect, it } from 'vitest';
import { admissionMessage, forbiddenDetail, parsePolicyVersion } from '../../src/pss/index.js';

// Upstream checks.go AggregateCheckResult.ForbiddenDetail and admission.go's messages.
const a = { check: 'x', reason: 'allowPrivilegeEscalation != false', detail: 'container "app" must set securityContext.allowPrivilegeEscalation=false' };
const b = { check: 'y', reason: 'runAsNonRoot != true', detail: '' };

describe('forbiddenDetail', () => {
  it('joins "reason (detail)", or the reason alone without a detail, with ", "', () => {
    expect(forbiddenDetail([a, b])).toBe(
      'allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), runAsNonRoot != true',
    );
    expect(forbiddenDetail([])).toBe('');
  });
  it('an empty reason is "unknown forbidden reason"', () => {
    expect(forbiddenDetail([{ check: 'z', reason: '', detail: 'd' }])).toBe('unknown forbidden reason (d)');
  });
});

describe('admissionMessage', () => {
  it('enforce: violates PodSecurity "level:version": detail', () => {
    expect(admissionMessage('enforce', 'restricted', parsePolicyVersion('v1.25'), [a])).toBe(
      'violates PodSecurity "restricted:v1.25": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false)',
    );
  });
  it('warn and audit: would violate PodSecurity ...', () => {
    for (const mode of ['warn', 'audit'] as const) {
      expect(admissionMessage(mode, 'baseline', parsePolicyVersion('latest'), [b])).toBe('would violate PodSecurity "baseline:latest": runAsNonRoot != true');
    }
  });
  it('a version newer than known is printed as given', () => {
    expect(admissionMessage('warn', 'baseline', parsePolicyVersion('v1.99'), [b])).toBe('would violate PodSecurity "baseline:v1.99": runAsNonRoot != true');
  });
});
