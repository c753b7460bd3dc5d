// How stored objects are presented: through the group-version the client asked for (one
// stored object, many versions), as full objects or as metadata only.
import { gvString, type ResourceDef } from './catalog.js';
import type { KubeObject } from './types.js';

export function present(obj: KubeObject, def: ResourceDef): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return { apiVersion: gvString(def.group, def.version), kind: def.kind, ...rest };
}

export function partialMetadata(obj: KubeObject): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

/** What the Accept header asks for: a metadata-only view or the object itself. */
export function wantsPartial(accept: string | undefined): 'list' | 'object' | undefined {
  if (!accept) return undefined;
  // Clients list alternatives by preference; the first one decides (JSON is always the fallback).
  const first = accept.split(',')[0];
  if (/as=PartialObjectMetadataList/.test(first)) return 'list';
  if (/as=PartialObjectMetadata(?!List)/.test(first)) return 'object';
  return undefined;
}
