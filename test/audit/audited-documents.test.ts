// auditedDocuments: the cluster audit keeps only documents that may be PSPs, RBAC objects,
// Namespaces or Lists of them, and must read exactly what it read from the whole manifest.
import { describe, expect, it } from 'vitest';
import { auditedDocuments, parseManifest } from '../../src/audit/parse.js';

const DEPLOY = '---\n# Source: app/templates/deploy.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n';
const CM = '---\n# Source: app/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "1"\n';
const PSP = '---\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: psp\nspec:\n  privileged: true\n';
const ROLE_JSON = '---\n{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "use-psp"}, "rules": []}\n';
const LIST = '---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: rbac.authorization.k8s.io/v1\n    kind: ClusterRoleBinding\n    metadata:\n      name: crb\n';
const NS = '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n';
const BROKEN_PSP = '---\nkind: PodSecurityPolicy\nmetadata: {name: [oops\n';

describe('auditedDocuments', () => {
  it('reads the same objects and warnings (with the same document numbers) as the whole manifest', () => {
    // No leading `---` on the first document, a broken PSP after dropped documents, CRLF.
    const manifest = DEPLOY.slice(4) + CM + PSP + DEPLOY + ROLE_JSON + CM.replace(/\n/g, '\r\n') + LIST + BROKEN_PSP + NS + CM;
    const whole = parseManifest(manifest, 'rel-ns', 'release r');
    const cut = auditedDocuments(manifest);
    expect(cut.length).toBeLessThan(manifest.length);
    expect(cut).not.toContain('kind: Deployment');
    expect(cut).not.toContain('kind: ConfigMap');
    const part = parseManifest(cut, 'rel-ns', 'release r');
    expect(part).toEqual(whole);
    expect(whole.objects.map((o) => o.kind)).toEqual(['PodSecurityPolicy', 'Role', 'ClusterRoleBinding', 'Namespace']);
    expect(whole.warnings).toEqual([expect.stringMatching(/^release r: document 7 skipped/)]);
  });

  it('returns the manifest itself when every document may matter, and an empty one unchanged', () => {
    const m = PSP + ROLE_JSON;
    expect(auditedDocuments(m)).toBe(m);
    expect(auditedDocuments('')).toBe('');
  });
});
