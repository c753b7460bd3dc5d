import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildTable, loadMappingTable, parseKubeVersion, parseMapfile } from '../../src/mapping/index.js';
import { rewriteManifest } from '../../src/manifest/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

export const BUILTIN = loadMappingTable({ builtinDir: join(REPO_ROOT, 'mapfiles') });
export const EMPTY = buildTable(parseMapfile('mappings: []\n', 'empty.yaml'));

export function rw(text: string, version = '1.25', preClean = false, source = 'manifest', table = BUILTIN) {
  return rewriteManifest(text, { table, target: parseKubeVersion(version), preClean }, source);
}

/** Every document parses (the output is a valid stream). */
export function parsesCleanly(text: string): boolean {
  return parseAllDocuments(text).every((d) => d.errors.length === 0);
}
