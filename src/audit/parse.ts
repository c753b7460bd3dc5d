// Reads a manifest stream into plain objects for the audit. Manifests may be hostile: aliases
// are capped (no "billion laughs"), broken documents are reported and skipped, never thrown.
// Only what the audit needs is kept: PodSecurityPolicies and RBAC objects.
import { parseAllDocuments } from 'yaml';
import { splitRegions } from '../manifest/split.js';

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
/** Text one of those documents (or a List that may hold one) must contain. "Role" covers the RBAC kinds. */
const MAY_BE_AUDITED = /PodSecurityPolicy|Role|Namespace|List/;

/**
 * The manifest with every document that cannot be of an audited kind replaced by an empty
 * one (`---`), so that parseManifest sees the same document indices and far less YAML: a
 * release's manifest is mostly Deployments, Services and ConfigMaps, and the audit of a whole
 * cluster used to keep and fully parse all of it (bench store, 2000 releases: 61 s, 403 MB).
 * The test is a substring one on each document's raw text, so it keeps a superset (a kind
 * written with escape sequences would be missed: Helm writes kinds plainly).
 */
export function auditedDocuments(manifest: string): string {
  const docs = splitRegions(manifest).map((r) => manifest.slice(r.start, r.end));
  if (docs.every((d) => MAY_BE_AUDITED.test(d))) return manifest;
  return docs.map((d) => (MAY_BE_AUDITED.test(d) ? d : '---\n')).join('');
}

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
