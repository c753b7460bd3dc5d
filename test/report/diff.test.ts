import { describe, expect, it } from 'vitest';
import { renderUnifiedDiff } from '../../src/report/diff.js';
import { redactSecretPair, redactSecrets } from '../../src/report/redact.js';

const SECRET = (pw: string, token = 'c3VwZXItc2VjcmV0LXRva2Vu') =>
  `---\n# Source: c/templates/secret.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ntype: Opaque\ndata:\n  token: ${token}\nstringData:\n  password: ${pw}\n  cert: |\n    -----BEGIN CERTIFICATE-----\n    MIIBszCCAVmgAwIBAgIUPRIVATE\n    -----END CERTIFICATE-----\n`;
const PSP = '---\n# Source: c/templates/psp.yaml\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: p\n';
const CM = '---\n# Source: c/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  visible: hello-config\n';
const base = { oldLabel: 'a/release', newLabel: 'b/release', color: false, showSecrets: false };

describe('renderUnifiedDiff', () => {
  it('is empty when nothing changed', () => {
    expect(renderUnifiedDiff({ ...base, oldText: CM, newText: CM })).toBe('');
  });

  it('shows a dropped document as removed lines with file headers', () => {
    const out = renderUnifiedDiff({ ...base, oldText: CM + PSP, newText: CM });
    const lines = out.split('\n');
    expect(lines[0]).toBe('--- a/release');
    expect(lines[1]).toBe('+++ b/release');
    expect(lines).toContain('-apiVersion: policy/v1beta1');
    expect(lines).toContain('-kind: PodSecurityPolicy');
    expect(lines.filter((l) => l.startsWith('+') && !l.startsWith('+++'))).toEqual([]);
    expect(out).not.toMatch(/\u001b\[/);
    expect(out.endsWith('\n')).toBe(true);
  });

  it('honours the context size', () => {
    const old = Array.from({ length: 30 }, (_, i) => `k${i}: v`).join('\n') + '\n';
    const neu = old.replace('k15: v', 'k15: w');
    const ctx1 = renderUnifiedDiff({ ...base, oldText: old, newText: neu, context: 1 }).split('\n');
    expect(ctx1).toContain(' k14: v');
    expect(ctx1).not.toContain(' k13: v');
    expect(renderUnifiedDiff({ ...base, oldText: old, newText: neu }).split('\n')).toContain(' k12: v');
  });

  it('colours only when asked', () => {
    const out = renderUnifiedDiff({ ...base, color: true, oldText: CM + PSP, newText: CM });
    expect(out).toContain('\u001b[31m-apiVersion: policy/v1beta1\u001b[39m');
    expect(out).toMatch(/\u001b\[36m@@ /);
  });

  it('never prints Secret values by default, unchanged values marked REDACTED with their size', () => {
    const old = SECRET('hunter2') + PSP;
    const out = renderUnifiedDiff({ ...base, oldText: old, newText: SECRET('hunter2'), context: 50 });
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('c3VwZXItc2VjcmV0LXRva2Vu');
    expect(out).not.toContain('PRIVATE');
    expect(out).toContain('   password: REDACTED # (7 bytes)');
    expect(out).toContain('   token: REDACTED # (18 bytes)'); // base64 decodes to "super-secret-token"
    expect(out).toContain('-kind: PodSecurityPolicy');
  });

  it('marks changed Secret values helm-diff style without showing them', () => {
    const out = renderUnifiedDiff({ ...base, oldText: SECRET('hunter2'), newText: SECRET('swordfish1') });
    expect(out).toContain('-  password: -------- # (7 bytes)');
    expect(out).toContain('+  password: ++++++++ # (10 bytes)');
    expect(out).not.toMatch(/hunter2|swordfish1/);
  });

  it('--show-secrets shows them', () => {
    const out = renderUnifiedDiff({ ...base, showSecrets: true, oldText: SECRET('hunter2') + PSP, newText: SECRET('hunter2'), context: 50 });
    expect(out).toContain('hunter2');
  });

  it('redacts ConfigMap data too (issue 7: a ConfigMap canary never shows without --show-secrets)', () => {
    const out = renderUnifiedDiff({ ...base, oldText: CM + PSP, newText: CM, context: 50 });
    expect(out).not.toContain('hello-config');
    expect(out).toContain('visible: REDACTED # (12 bytes)');
    expect(renderUnifiedDiff({ ...base, showSecrets: true, oldText: CM + PSP, newText: CM, context: 50 })).toContain('visible: hello-config');
  });
});

describe('redactSecrets', () => {
  it('redacts Secrets inside a List and keeps every other byte', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: s}\n  stringData: {pw: "topsecret"}\n- apiVersion: v1\n  kind: ConfigMap\n  data: {pw: shown}\n';
    expect(redactSecrets(text)).toBe(text.replace('"topsecret"', 'REDACTED # (9 bytes)').replace('{pw: shown}', '{pw: REDACTED # (5 bytes)}'));
  });

  it('a Secret that does not parse is hidden whole', () => {
    const text = CM + '---\napiVersion: v1\nkind: Secret\ndata:\n  pw: [c2VjcmV0\n';
    const out = redactSecrets(text);
    expect(out).not.toContain('c2VjcmV0');
    expect(out.startsWith(redactSecrets(CM))).toBe(true);
    expect(out).toMatch(/# REDACTED: document could not be parsed/);
  });

  it('pair redaction compares by namespace/name/key', () => {
    const { oldText, newText } = redactSecretPair(SECRET('a'), SECRET('a', 'bmV3'));
    expect(oldText).toContain('token: -------- # (18 bytes)');
    expect(newText).toContain('token: ++++++++ # (3 bytes)');
    expect(newText).toContain('password: REDACTED # (1 bytes)');
  });
});
