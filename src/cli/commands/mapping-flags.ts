// Flags shared by the commands that need a mapping table and a target version (manifest,
// mappings): option wiring and turning the values into a table. Others may reuse it.
import type { Command } from 'commander';
import { isAbsolute, join, resolve } from 'node:path';
import type { CliIo } from '../io.js';
import { ExitError } from '../io.js';
import { EXIT } from '../exit-codes.js';
import { readHelmSettings } from '../settings.js';
import type { KubeVersion, MappingTable } from '../../mapping/index.js';

export interface MappingFlags {
  kubeVersion?: string;
  preClean: boolean;
  mapfile?: string;
  extraMapfile: string[];
}

const collect = (v: string, prev: string[]) => [...prev, v];

export function addMappingFlags(cmd: Command): Command {
  return cmd
    .option('--kube-version <version>', 'target Kubernetes version (1.25, v1.25, v1.25.16-eks-...); enables pre-cleaning of deprecated APIs')
    .option('--no-pre-clean', 'with --kube-version: apply only mappings the version makes necessary (as for a cluster\'s own version)')
    .option('--mapfile <file>', 'replace the built-in mapping table (psa-clean or helm-mapkubeapis Map.yaml format)')
    .option('--extra-mapfile <file>', 'merge mappings over the table: same apiVersion+kind overrides, disabled: true switches off (repeatable)', collect, []);
}

/**
 * Async: the mapfile parser (and its YAML library) loads on first use, not at every start.
 * Error classes come from the same lazily loaded modules that throw them (an entry-side copy
 * would fail instanceof: scripts/build.mjs).
 */
export async function loadTable(io: CliIo, f: MappingFlags): Promise<MappingTable> {
  const [{ loadMappingTable }, { MapfileError }] = await Promise.all([import('../../mapping/load.js'), import('../../mapping/errors.js')]);
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(io.cwd, p));
  try {
    return loadMappingTable({
      builtinDir: join(io.pluginRoot, 'mapfiles'),
      mapfile: f.mapfile ? abs(f.mapfile) : undefined,
      extraMapfiles: f.extraMapfile.map(abs),
      warn: (m) => io.stderr.write(`psa-clean: warning: ${m}\n`),
    });
  } catch (e) {
    if (e instanceof MapfileError) throw new ExitError(EXIT.ERROR, e.message);
    throw e;
  }
}

export async function parseTarget(text: string): Promise<KubeVersion> {
  const { KubeVersionError, parseKubeVersion } = await import('../../mapping/version.js');
  try {
    return parseKubeVersion(text);
  } catch (e) {
    if (e instanceof KubeVersionError) throw new ExitError(EXIT.USAGE, `--kube-version: ${e.message}`);
    throw e;
  }
}

/** Colour on a stream: only when it is a TTY and NO_COLOR is unset. */
export function colorFor(io: CliIo, stream: 'stdout' | 'stderr'): boolean {
  let noColor: boolean;
  try {
    noColor = readHelmSettings(io.env).noColor;
  } catch {
    noColor = !!io.env.NO_COLOR;
  }
  return !noColor && !!io[stream].isTTY;
}
