// Validation of watch options, by Kubernetes version, because it decides how Helm 4 waits:
// a server that accepts `sendInitialEvents` streams the initial state and ends it with a
// bookmark; one that rejects it (422) makes client-go fall back to LIST + WATCH.
//  - before 1.27 watch-list did not exist: `resourceVersionMatch` is forbidden on watches;
//  - 1.27-1.31 and 1.33 have the WatchList feature gate off by default (it was on in 1.32,
//    switched off again in 1.33 and back on from 1.34): `sendInitialEvents` is forbidden;
//  - 1.32 and 1.34+ serve it.
// Error wording follows k8s.io/apiserver's ListOptions validation for each generation.
import { ApiError, failure } from './status.js';

export type WatchListMode = 'legacy' | 'gated-off' | 'on';

/** The mode a version runs in; `override` forces the gate on or off (tests). */
export function watchListMode(minor: number, override?: boolean): WatchListMode {
  if (override !== undefined) return override ? 'on' : minor <= 26 ? 'legacy' : 'gated-off';
  if (minor <= 26) return 'legacy';
  return minor === 32 || minor >= 34 ? 'on' : 'gated-off';
}

type Cause = { field: string; message: string; reason: 'FieldValueForbidden' | 'FieldValueNotSupported' };
const forbidden = (field: string, message: string): Cause => ({ field, message: `Forbidden: ${message}`, reason: 'FieldValueForbidden' });

function causes(query: Record<string, string>, mode: WatchListMode): Cause[] {
  const match = query.resourceVersionMatch ?? '';
  const out: Cause[] = [];
  if (mode === 'legacy') {
    if (!match) return out; // sendInitialEvents is an unknown parameter there: ignored
    out.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch'));
    if (!query.resourceVersion) out.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (query.continue) out.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    return out;
  }
  const initial = query.sendInitialEvents !== undefined;
  if (initial) {
    if (match !== 'NotOlderThan') out.push(forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
    if (mode === 'gated-off') out.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled'));
  }
  if (match) {
    if (!initial) out.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
    if (match !== 'NotOlderThan') out.push({ field: 'resourceVersionMatch', message: `Unsupported value: "${match}": supported values: "NotOlderThan"`, reason: 'FieldValueNotSupported' });
    if (query.continue) out.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
  }
  return out;
}

/** Throws the apiserver's 422 for watch options this version rejects. */
export function validateWatchOptions(query: Record<string, string>, mode: WatchListMode): void {
  const list = causes(query, mode);
  if (!list.length) return;
  const text = list.map((c) => `${c.field}: ${c.message}`);
  const message = `ListOptions.meta.k8s.io "" is invalid: ${list.length === 1 ? text[0] : `[${text.join(', ')}]`}`;
  throw new ApiError(failure(422, 'Invalid', message, { group: 'meta.k8s.io', kind: 'ListOptions', causes: list.map((c) => ({ reason: c.reason, message: c.message, field: c.field })) }));
}
