// Builds the effective mapping table from parsed mapfiles: a base (the built-in database or
// the --mapfile that replaces it) and extra mapfiles merged over it in order. An extra entry
// for the same deprecated apiVersion+kind overrides the base entry in place; `disabled: true`
// keeps it in the table (so `mappings` can show it) but out of lookups.
import { apiKey, type MapfileEntry, type ParsedMapfile } from './mapfile.js';
import type { ApiRef, Mapping, MappingStep, MappingTable } from './types.js';

interface Slot {
  entry: MapfileEntry;
  source: string;
}

export function buildTable(base: ParsedMapfile, extras: ParsedMapfile[] = [], baseSource?: string): MappingTable {
  const order: string[] = [];
  const slots = new Map<string, Slot>();
  const put = (e: MapfileEntry, source: string) => {
    const key = apiKey(e.deprecated.apiVersion, e.deprecated.kind);
    if (!slots.has(key)) order.push(key);
    slots.set(key, { entry: e, source });
  };
  for (const e of base.entries) put(e, baseSource ?? base.file);
  for (const x of extras) for (const e of x.entries) put(e, x.file);

  const enabled = new Map<string, MapfileEntry>();
  for (const key of order) {
    const s = slots.get(key)!;
    if (!s.entry.disabled) enabled.set(key, s.entry);
  }

  const entries: Mapping[] = order.map((key) => {
    const { entry, source } = slots.get(key)!;
    const chain = entry.disabled ? [] : chainAfter(entry, enabled);
    const last = chain.length ? chain[chain.length - 1].next : entry.next;
    const m: Mapping = {
      id: key,
      deprecated: entry.deprecated,
      replacement: last,
      deprecatedIn: entry.deprecatedIn,
      removedIn: entry.removedIn,
      replacementAvailableIn: entry.replacementAvailableIn,
      notes: entry.notes,
      source,
      next: entry.next,
      chain,
      format: entry.format,
    };
    if (entry.disabled) m.disabled = true;
    return m;
  });
  const byKey = new Map(entries.filter((m) => !m.disabled).map((m) => [m.id, m]));
  return {
    entries,
    lookup: (apiVersion: string, kind: string) => byKey.get(apiKey(apiVersion, kind)),
  };
}

/** The enabled mappings reached by following `next` (cycles stop the walk). */
function chainAfter(first: MapfileEntry, enabled: Map<string, MapfileEntry>): MappingStep[] {
  const steps: MappingStep[] = [];
  const seen = new Set([apiKey(first.deprecated.apiVersion, first.deprecated.kind)]);
  let next: ApiRef | null = first.next;
  while (next) {
    const key = apiKey(next.apiVersion, next.kind);
    const e = enabled.get(key);
    if (!e || seen.has(key)) break;
    seen.add(key);
    steps.push({
      id: key,
      deprecated: e.deprecated,
      next: e.next,
      deprecatedIn: e.deprecatedIn,
      removedIn: e.removedIn,
      replacementAvailableIn: e.replacementAvailableIn,
      notes: e.notes,
    });
    next = e.next;
  }
  return steps;
}

/** Newest removedIn among enabled entries (the offline default target). */
export function newestRemoval(table: MappingTable): Mapping['removedIn'] {
  let best: Mapping['removedIn'];
  for (const m of table.entries) {
    if (m.disabled || !m.removedIn) continue;
    if (!best || m.removedIn.major > best.major || (m.removedIn.major === best.major && m.removedIn.minor > best.minor)) best = m.removedIn;
  }
  return best;
}
