// The file-system edge of the mapping engine: reads the built-in database and mapfiles.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MapfileError } from './errors.js';
import { parseMapfile, type ParsedMapfile } from './mapfile.js';
import { buildTable } from './table.js';
import type { MappingTable } from './types.js';

export const BUILTIN_FILE = 'builtin.yaml';

export interface LoadOptions {
  /** Directory holding the built-in database (join(pluginRoot, 'mapfiles')). */
  builtinDir: string;
  /** Replaces the built-in table (helm-mapkubeapis --mapfile semantics). */
  mapfile?: string;
  /** Merged over the base in order: same apiVersion+kind overrides; `disabled: true` switches off. */
  extraMapfiles?: string[];
  /** Told each mapfile warning (e.g. a duplicate entry that agrees with an earlier one). */
  warn?: (message: string) => void;
}

function readMapfile(path: string): ParsedMapfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MapfileError(path, -1, 'file', code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (e as Error).message})`);
  }
  return parseMapfile(text, path);
}

export function loadMappingTable(opts: LoadOptions): MappingTable {
  const base = opts.mapfile ? readMapfile(opts.mapfile) : readMapfile(join(opts.builtinDir, BUILTIN_FILE));
  const extras = (opts.extraMapfiles ?? []).map(readMapfile);
  for (const f of [base, ...extras]) for (const w of f.warnings) opts.warn?.(w);
  return buildTable(base, extras, opts.mapfile ? undefined : 'builtin');
}
