// LIST responses: label/field selectors, limit/continue paging over pinned snapshots,
// metadata-only (PartialObjectMetadataList) and full lists, with the list resourceVersion.
import { gvString } from './catalog.js';
import { page, type Pager } from './paging.js';
import type { ResourceRequest } from './resources.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import type { Store, StoredRecord } from './store.js';
import type { KubeObject } from './types.js';
import { partialMetadata, present, wantsPartial } from './view.js';

export function selectorFilter(query: Record<string, string>): (obj: KubeObject) => boolean {
  const labels = parseLabelSelector(query.labelSelector);
  const fields = parseFieldSelector(query.fieldSelector);
  return (obj) => matchesLabels(labels, obj.metadata?.labels) && matchesFields(fields, obj);
}

const recKey = (r: StoredRecord) => `${r.obj.metadata.namespace ?? ''}/${r.obj.metadata.name}`;

export function listResponse(store: Store, paging: Pager, req: Pick<ResourceRequest, 'def' | 'namespace' | 'query' | 'accept'>, bucket: string): object {
  const { def } = req;
  const limit = Number(req.query.limit ?? 0) || 0;
  const resumed = req.query.continue ? paging.resume(req.query.continue, store.commits) : undefined;
  let all: StoredRecord[];
  let rv: number;
  if (resumed?.snapshot) {
    all = resumed.snapshot.items as StoredRecord[];
    rv = resumed.snapshot.rv;
  } else {
    const filter = selectorFilter(req.query);
    all = store.list(bucket, def.namespaced ? req.namespace : undefined).filter((r) => filter(r.obj));
    rv = store.resourceVersion;
  }
  const { items, remaining } = page(all, recKey, limit, resumed?.after);
  const meta: Record<string, unknown> = { resourceVersion: String(rv) };
  if (remaining > 0 && items.length > 0) {
    // The first page pins the list; later pages (and inconsistent continuations) keep theirs.
    const snap = resumed ? resumed.snap : paging.pin(all, rv);
    meta.continue = paging.encode(recKey(items[items.length - 1]), snap, store.commits);
    meta.remainingItemCount = remaining;
  }
  if (wantsPartial(req.accept) === 'list') {
    return { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: meta, items: items.map((r) => partialMetadata(r.obj)) };
  }
  return { kind: `${def.kind}List`, apiVersion: gvString(def.group, def.version), metadata: meta, items: items.map((r) => present(r.obj, def)) };
}

