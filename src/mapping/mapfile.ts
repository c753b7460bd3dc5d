// Parses one mapfile (text -> entries), in either format, detected per entry:
//  - psa-clean structured: { deprecated: {group, version, kind|kinds}, replacement: {...}|null,
//    deprecatedIn, removedIn, replacementAvailableIn, notes[], lists, disabled }
//  - helm-mapkubeapis Map.yaml: { deprecatedAPI: "apiVersion: X\nkind: Y\n", newAPI,
//    deprecatedInVersion, removedInVersion }
// Pure: no file system access; the caller passes the text and the name used in errors.
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { MapfileError } from './errors.js';
import { compareKubeVersions, parseKubeVersion } from './version.js';
import type { ApiRef, KubeVersion } from './types.js';

export interface MapfileEntry {
  deprecated: ApiRef;
  /** Direct successor; null = remove documents of this API. */
  next: ApiRef | null;
  deprecatedIn?: KubeVersion;
  removedIn?: KubeVersion;
  replacementAvailableIn?: KubeVersion;
  notes: string[];
  disabled: boolean;
  format: 'psa-clean' | 'mapkubeapis';
  /** Index of the entry in the file's `mappings` list (several kinds may share one). */
  entryIndex: number;
}

export interface ParsedMapfile {
  file: string;
  entries: MapfileEntry[];
  /** One line per duplicate entry that agrees with an earlier one (and is ignored). */
  warnings: string[];
}

const STRUCTURED_FIELDS = new Set(['deprecated', 'replacement', 'deprecatedIn', 'removedIn', 'replacementAvailableIn', 'notes', 'lists', 'disabled']);
const MKA_FIELDS = new Set(['deprecatedAPI', 'newAPI', 'deprecatedInVersion', 'removedInVersion', 'disabled', 'notes']);
const API_VERSION_RE = /^(?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+(?:(?:alpha|beta)[0-9]+)?$/;
const KIND_RE = /^[A-Za-z][A-Za-z0-9]*$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function apiKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

export function parseMapfile(text: string, file: string): ParsedMapfile {
  let doc: unknown;
  try {
    // Mapfiles are small, trusted-ish data, but still bound alias expansion.
    doc = parseYaml(text, { maxAliasCount: 100, uniqueKeys: true });
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` (line ${e.linePos[0].line})` : '';
    throw new MapfileError(file, -1, 'yaml', `not valid YAML${where}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!isObj(doc)) throw new MapfileError(file, -1, 'mappings', 'expected a mapping with a "mappings" list at the top');
  const list = doc.mappings;
  if (!Array.isArray(list)) throw new MapfileError(file, -1, 'mappings', 'missing or not a list');
  const entries: MapfileEntry[] = [];
  const warnings: string[] = [];
  const seen = new Map<string, MapfileEntry>();
  list.forEach((raw, i) => {
    if (!isObj(raw)) throw new MapfileError(file, i, '', 'entry is not a mapping');
    const parsed = 'deprecatedAPI' in raw ? parseMkaEntry(raw, file, i) : parseStructuredEntry(raw, file, i);
    const repeated = new Set<number>();
    for (const e of parsed) {
      const key = apiKey(e.deprecated.apiVersion, e.deprecated.kind);
      const prev = seen.get(key);
      if (prev === undefined) {
        seen.set(key, e);
        entries.push(e);
        continue;
      }
      const api = `${e.deprecated.apiVersion} ${e.deprecated.kind}`;
      if (prev.entryIndex === i) throw new MapfileError(file, i, 'deprecated.kinds', `lists ${e.deprecated.kind} twice`);
      checkAgreement(prev, e, api, file);
      // helm-mapkubeapis matches its deprecatedAPI strings byte for byte, so its maintainers
      // tell users to add a variant (kind first, CRLF) beside the standard entry (issues #21,
      // #82). Both name the same API; psa-clean's one entry already covers every variant.
      prev.notes = [...prev.notes, ...e.notes.filter((n) => !prev.notes.includes(n))];
      if (!repeated.has(prev.entryIndex)) {
        repeated.add(prev.entryIndex);
        warnings.push(
          `${file}: mappings[${i}] repeats mappings[${prev.entryIndex}] for ${api} (same target and versions); the repeat is ignored: ` +
            'psa-clean reads apiVersion and kind in any order and with any line ending, so one entry covers every variant',
        );
      }
    }
  });
  return { file, entries, warnings };
}

const FIELD_NAMES = {
  mapkubeapis: { next: 'newAPI', deprecatedIn: 'deprecatedInVersion', removedIn: 'removedInVersion', replacementAvailableIn: 'deprecatedInVersion', disabled: 'disabled' },
  'psa-clean': { next: 'replacement', deprecatedIn: 'deprecatedIn', removedIn: 'removedIn', replacementAvailableIn: 'replacementAvailableIn', disabled: 'disabled' },
} as const;

const showRef = (r: ApiRef | null) => (r ? `${r.apiVersion} ${r.kind}` : 'none (remove)');
const showVersion = (v: KubeVersion | undefined) => (v ? `v${v.major}.${v.minor}` : 'none');
const sameVersion = (a: KubeVersion | undefined, b: KubeVersion | undefined) => (a && b ? compareKubeVersions(a, b) === 0 : a === b);

/** Two entries for one API must agree on target and versions; the error names both and the field. */
function checkAgreement(prev: MapfileEntry, e: MapfileEntry, api: string, file: string): void {
  const names = FIELD_NAMES[e.format];
  const differ = (field: keyof typeof names, a: string, b: string) => {
    throw new MapfileError(
      file, e.entryIndex, names[field],
      `${api} is already mapped by mappings[${prev.entryIndex}], which disagrees: ${names[field]} is ${a} there and ${b} here (duplicate entries must give the same target and versions)`,
    );
  };
  if (showRef(prev.next) !== showRef(e.next)) differ('next', showRef(prev.next), showRef(e.next));
  for (const f of ['deprecatedIn', 'removedIn', 'replacementAvailableIn'] as const) {
    if (!sameVersion(prev[f], e[f])) differ(f, showVersion(prev[f]), showVersion(e[f]));
  }
  if (prev.disabled !== e.disabled) differ('disabled', String(prev.disabled), String(e.disabled));
}

// ---------- helm-mapkubeapis Map.yaml ----------

function parseMkaEntry(raw: Obj, file: string, i: number): MapfileEntry[] {
  for (const k of Object.keys(raw)) if (!MKA_FIELDS.has(k)) throw new MapfileError(file, i, k, 'unknown field in a Map.yaml entry');
  const deprecated = parseMkaApi(raw.deprecatedAPI, file, i, 'deprecatedAPI');
  if (!deprecated) throw new MapfileError(file, i, 'deprecatedAPI', 'must not be empty');
  const next = raw.newAPI === undefined || raw.newAPI === null ? null : parseMkaApi(raw.newAPI, file, i, 'newAPI');
  const deprecatedIn = optVersion(raw.deprecatedInVersion, file, i, 'deprecatedInVersion');
  const removedIn = optVersion(raw.removedInVersion, file, i, 'removedInVersion');
  const disabled = optBool(raw.disabled, file, i, 'disabled');
  if (!deprecatedIn && !removedIn && !disabled) {
    throw new MapfileError(file, i, 'removedInVersion', 'deprecatedInVersion or removedInVersion is required');
  }
  // mapkubeapis gates on deprecatedInVersion ("replacement safe from") else removedInVersion.
  // Without removedInVersion the only version we know the API must be gone by is that gate.
  return [
    {
      deprecated,
      next,
      deprecatedIn,
      removedIn: removedIn ?? deprecatedIn,
      replacementAvailableIn: next ? deprecatedIn : undefined,
      notes: optNotes(raw.notes, file, i),
      disabled,
      format: 'mapkubeapis',
      entryIndex: i,
    },
  ];
}

/** `"apiVersion: X\nkind: Y\n"` (any order, CRLF, quotes tolerated); "" = none. */
function parseMkaApi(v: unknown, file: string, i: number, field: string): ApiRef | null {
  if (typeof v !== 'string') throw new MapfileError(file, i, field, 'must be a string like "apiVersion: apps/v1\\nkind: Deployment\\n"');
  if (v.trim() === '') return null;
  let o: unknown;
  try {
    o = parseYaml(v);
  } catch {
    o = undefined;
  }
  if (!isObj(o) || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') {
    throw new MapfileError(file, i, field, 'must hold "apiVersion: <group/version>" and "kind: <Kind>" lines');
  }
  return checkRef({ apiVersion: o.apiVersion, kind: o.kind }, file, i, field);
}

// ---------- psa-clean structured format ----------

function parseStructuredEntry(raw: Obj, file: string, i: number): MapfileEntry[] {
  for (const k of Object.keys(raw)) if (!STRUCTURED_FIELDS.has(k)) throw new MapfileError(file, i, k, 'unknown field');
  if (!isObj(raw.deprecated)) throw new MapfileError(file, i, 'deprecated', 'required: {group, version, kind} (or apiVersion + kind)');
  const disabled = optBool(raw.disabled, file, i, 'disabled');
  const lists = optBool(raw.lists, file, i, 'lists');
  const dep = raw.deprecated;
  const depApi = apiVersionOf(dep, file, i, 'deprecated');
  const kinds = kindsOf(dep, file, i);
  let nextSpec: { apiVersion: string; kind?: string } | null;
  if (!('replacement' in raw)) {
    if (!disabled) throw new MapfileError(file, i, 'replacement', 'required: {group, version[, kind]}, or null when the API has no successor');
    nextSpec = null;
  } else if (raw.replacement === null) {
    nextSpec = null;
  } else if (isObj(raw.replacement)) {
    const r = raw.replacement;
    for (const k of Object.keys(r)) if (!['group', 'version', 'kind', 'apiVersion'].includes(k)) throw new MapfileError(file, i, `replacement.${k}`, 'unknown field');
    const kind = r.kind === undefined ? undefined : str(r.kind, file, i, 'replacement.kind');
    if (kind !== undefined && kinds.length > 1) throw new MapfileError(file, i, 'replacement.kind', 'not allowed with several deprecated kinds (each keeps its kind)');
    nextSpec = { apiVersion: apiVersionOf(r, file, i, 'replacement'), kind };
  } else {
    throw new MapfileError(file, i, 'replacement', 'must be a mapping or null');
  }
  const deprecatedIn = optVersion(raw.deprecatedIn, file, i, 'deprecatedIn');
  const removedIn = optVersion(raw.removedIn, file, i, 'removedIn');
  const replacementAvailableIn = optVersion(raw.replacementAvailableIn, file, i, 'replacementAvailableIn');
  if (!removedIn && !disabled) throw new MapfileError(file, i, 'removedIn', 'required (the Kubernetes version that stops serving the API)');
  if (removedIn && deprecatedIn && compareKubeVersions(deprecatedIn, removedIn) > 0) {
    throw new MapfileError(file, i, 'deprecatedIn', 'must not be later than removedIn');
  }
  if (removedIn && replacementAvailableIn && compareKubeVersions(replacementAvailableIn, removedIn) > 0) {
    throw new MapfileError(file, i, 'replacementAvailableIn', 'must not be later than removedIn');
  }
  if (replacementAvailableIn && !nextSpec) throw new MapfileError(file, i, 'replacementAvailableIn', 'given but replacement is null');
  const notes = optNotes(raw.notes, file, i);
  const allKinds = lists ? kinds.flatMap((k) => [k, `${k}List`]) : kinds;
  return allKinds.map((kind) => {
    const deprecated = checkRef({ apiVersion: depApi, kind }, file, i, 'deprecated');
    const next = nextSpec ? checkRef({ apiVersion: nextSpec.apiVersion, kind: nextSpec.kind ?? kind }, file, i, 'replacement') : null;
    return { deprecated, next, deprecatedIn, removedIn, replacementAvailableIn, notes, disabled, format: 'psa-clean' as const, entryIndex: i };
  });
}

function apiVersionOf(o: Obj, file: string, i: number, field: string): string {
  if (o.apiVersion !== undefined) {
    if (o.group !== undefined || o.version !== undefined) throw new MapfileError(file, i, `${field}.apiVersion`, 'give either apiVersion or group + version, not both');
    return str(o.apiVersion, file, i, `${field}.apiVersion`);
  }
  const version = str(o.version, file, i, `${field}.version`);
  const group = o.group === undefined || o.group === null || o.group === '' ? '' : str(o.group, file, i, `${field}.group`);
  return group ? `${group}/${version}` : version;
}

function kindsOf(dep: Obj, file: string, i: number): string[] {
  for (const k of Object.keys(dep)) if (!['group', 'version', 'kind', 'kinds', 'apiVersion'].includes(k)) throw new MapfileError(file, i, `deprecated.${k}`, 'unknown field');
  if (dep.kind !== undefined && dep.kinds !== undefined) throw new MapfileError(file, i, 'deprecated.kinds', 'give either kind or kinds, not both');
  if (dep.kinds !== undefined) {
    if (!Array.isArray(dep.kinds) || dep.kinds.length === 0) throw new MapfileError(file, i, 'deprecated.kinds', 'must be a non-empty list of kinds');
    return dep.kinds.map((k, j) => str(k, file, i, `deprecated.kinds[${j}]`));
  }
  return [str(dep.kind, file, i, 'deprecated.kind')];
}

function checkRef(ref: ApiRef, file: string, i: number, field: string): ApiRef {
  if (!API_VERSION_RE.test(ref.apiVersion)) throw new MapfileError(file, i, field, `"${ref.apiVersion}" is not an apiVersion (group/version or version)`);
  if (!KIND_RE.test(ref.kind)) throw new MapfileError(file, i, field, `"${ref.kind}" is not a kind`);
  return ref;
}

function str(v: unknown, file: string, i: number, field: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new MapfileError(file, i, field, v === undefined ? 'required' : 'must be a non-empty string');
  return v.trim();
}

function optBool(v: unknown, file: string, i: number, field: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new MapfileError(file, i, field, 'must be true or false');
  return v;
}

function optVersion(v: unknown, file: string, i: number, field: string): KubeVersion | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') throw new MapfileError(file, i, field, `write the version as a quoted string ("${v}" as a number loses its minor, e.g. 1.10 -> 1.1)`);
  if (typeof v !== 'string') throw new MapfileError(file, i, field, 'must be a version string like "v1.25"');
  try {
    return parseKubeVersion(v);
  } catch {
    throw new MapfileError(file, i, field, `"${v}" is not a Kubernetes version (e.g. "v1.25")`);
  }
}

function optNotes(v: unknown, file: string, i: number): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new MapfileError(file, i, 'notes', 'must be a list of strings');
  return v.map((n, j) => {
    if (typeof n !== 'string') throw new MapfileError(file, i, `notes[${j}]`, 'must be a string');
    return n;
  });
}
