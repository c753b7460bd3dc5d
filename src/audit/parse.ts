// Reads a manifest stream into plain objects for the audit. Manifests may be hostile: aliases
// are capped (no "billion laughs"), broken documents are reported and skipped, never thrown.
// Only what the audit needs is kept: PodSecurityPolicies and RBAC objects.
import { parseAllDocuments } from 'yaml';

export type Obj = Record<string, unknown>;

export interface ManifestObject {
  apiVersion: string;
  kind: string;
  name: string;
  /** metadata.namespace, or the release namespace Helm would have used. */
  namespace: string;
  object: Obj;
}

export interface ParsedManifest {
  objects: ManifestObject[];
  warnings: string[];
}

const MAX_ALIASES = 100;
const AUDITED_KINDS = new Set(['PodSecurityPolicy', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'Namespace']);

export function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function isPsp(o: ManifestObject): boolean {
  // policy/v1beta1 and the older extensions/v1beta1 both served PodSecurityPolicy.
  return o.kind === 'PodSecurityPolicy' && (o.apiVersion === 'policy/v1beta1' || o.apiVersion === 'extensions/v1beta1' || o.apiVersion.startsWith('policy/'));
}

function toManifestObject(v: Obj, defaultNamespace: string): ManifestObject | undefined {
  const kind = str(v.kind);
  if (!AUDITED_KINDS.has(kind)) return undefined;
  const md = obj(v.metadata);
  return { apiVersion: str(v.apiVersion), kind, name: str(md.name), namespace: str(md.namespace) || defaultNamespace, object: v };
}

/** `source` names the stream in warnings (e.g. "release web/ns manifest"); never its content. */
export function parseManifest(manifest: string, defaultNamespace: string, source: string): ParsedManifest {
  const objects: ManifestObject[] = [];
  const warnings: string[] = [];
  let docs;
  try {
    docs = parseAllDocuments(manifest, { uniqueKeys: false, prettyErrors: false });
  } catch (e) {
    return { objects, warnings: [`${source}: not readable as YAML (${(e as Error).name})`] };
  }
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, i) => {
    if (doc.errors.length > 0) {
      warnings.push(`${source}: document ${i} skipped: ${doc.errors[0].code}`);
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (e) {
      warnings.push(`${source}: document ${i} skipped: ${(e as Error).name === 'ReferenceError' ? 'alias problem' : 'too many aliases or bad structure'}`);
      return;
    }
    objects.push(...auditedObjects(value, defaultNamespace));
  });
  return { objects, warnings };
}

/** The audited objects in one parsed document (a `kind: List` / `*List` yields its items). */
export function auditedObjects(value: unknown, defaultNamespace: string): ManifestObject[] {
  const v = obj(value);
  const kind = str(v.kind);
  const items = Array.isArray(v.items) && (kind === 'List' || kind.endsWith('List')) ? v.items : [v];
  const out: ManifestObject[] = [];
  for (const item of items) {
    const m = toManifestObject(obj(item), defaultNamespace);
    if (m) out.push(m);
  }
  return out;
}
