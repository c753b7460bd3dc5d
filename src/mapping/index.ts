// Public surface of the mapping engine: load tables, parse versions, decide applicability.
export type { ApiRef, Applicability, KubeVersion, Mapping, MappingStep, MappingTable } from './types.js';
export { MapfileError } from './errors.js';
export { KubeVersionError, atLeast, compareKubeVersions, formatKubeVersion, parseKubeVersion } from './version.js';
export { loadMappingTable, BUILTIN_FILE, type LoadOptions } from './load.js';
export { parseMapfile, type MapfileEntry, type ParsedMapfile } from './mapfile.js';
export { buildTable, newestRemoval } from './table.js';
export { applicability } from './gate.js';
export { describeTable, type TableRow } from './describe.js';
