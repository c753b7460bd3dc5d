// Watch streams: one JSON event per line over a chunked response. Supports the three ways
// clients start a watch: from "now" with synthetic ADDED events (resourceVersion "" / "0"),
// from a resourceVersion (replayed from the store's event history, 410 ERROR event if too
// old), and Helm 4's watch-list (sendInitialEvents=true: initial ADDED events, then a
// BOOKMARK annotated k8s.io/initial-events-end) where the version serves it (watchlist.ts).
import type { ServerResponse } from 'node:http';
import type { ResourceDef } from './catalog.js';
import { bucketOf, type Store, type StoreEvent } from './store.js';
import { storageGroupOf, gvString } from './catalog.js';
import { present } from './view.js';
import { failure } from './status.js';
import { validateWatchOptions, type WatchListMode } from './watchlist.js';
import type { KubeObject } from './types.js';

export interface WatchRequest {
  def: ResourceDef;
  namespace?: string;
  filter: (obj: KubeObject) => boolean;
  query: Record<string, string>;
  watchListMode: WatchListMode;
}

/** Validates before any byte is written, so rejections are ordinary Status responses. */
export function checkWatch(w: WatchRequest): void {
  validateWatchOptions(w.query, w.watchListMode);
}

export function serveWatch(store: Store, w: WatchRequest, res: ServerResponse, onBytes: (n: number) => void): void {
  const bucket = bucketOf(storageGroupOf(w.def), w.def.resource);
  const inScope = (obj: KubeObject) => (w.namespace === undefined || (obj.metadata?.namespace ?? '') === w.namespace) && w.filter(obj);

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  // Node sends headers only with the first body chunk; client-go blocks in Watch() until it
  // sees them, so an idle watch would stall Helm's hook waits (helm-api-traffic.md §8).
  res.flushHeaders();

  const send = (type: string, object: KubeObject) => {
    const line = `${JSON.stringify({ type, object })}\n`;
    onBytes(Buffer.byteLength(line));
    res.write(line);
  };

  const rvParam = w.query.resourceVersion ?? '';
  const initialEvents = w.query.sendInitialEvents === 'true' || rvParam === '' || rvParam === '0';
  let replay: StoreEvent[] = [];
  if (initialEvents) {
    for (const rec of store.list(bucket, w.namespace)) if (inScope(rec.obj)) send('ADDED', present(rec.obj, w.def));
    if (w.query.sendInitialEvents === 'true') {
      send('BOOKMARK', {
        kind: w.def.kind,
        apiVersion: gvString(w.def.group, w.def.version),
        metadata: { resourceVersion: String(store.resourceVersion), annotations: { 'k8s.io/initial-events-end': 'true' } },
      });
    }
  } else {
    const since = store.eventsSince(Number(rvParam));
    if (since === undefined) {
      send('ERROR', failure(410, 'Expired', `too old resource version: ${rvParam} (${store.resourceVersion})`));
      res.end();
      return;
    }
    replay = since.filter((e) => e.bucket === bucket);
  }

  const onEvent = (e: StoreEvent) => {
    if (e.bucket !== bucket || !inScope(e.obj)) return;
    send(e.type, present(e.obj, w.def));
  };
  for (const e of replay) onEvent(e);
  const unsubscribe = store.subscribe(onEvent);

  const timeout = Number(w.query.timeoutSeconds ?? 0);
  const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
  const done = () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
  res.on('close', done);
  res.on('finish', done);
}
