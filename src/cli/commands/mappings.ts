import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { ExitError } from '../io.js';
import { EXIT } from '../exit-codes.js';
import type { KubeVersion, MappingTable, TableRow } from '../../mapping/index.js';
import { addMappingFlags, loadTable, parseTarget, type MappingFlags } from './mapping-flags.js';

type Format = 'table' | 'json' | 'yaml';

export function registerMappings(program: Command, io: CliIo): void {
  const cmd = program
    .command('mappings')
    .description('print the effective mapping table and which entries apply at a Kubernetes version')
    .option('-o, --output <format>', 'table, json or yaml', 'table');
  addMappingFlags(cmd).action(async (opts: MappingFlags & { output: string }) => {
    const format = opts.output as Format;
    if (!['table', 'json', 'yaml'].includes(format)) throw new ExitError(EXIT.USAGE, `-o ${opts.output}: use table, json or yaml`);
    const table = await loadTable(io, opts);
    const target = opts.kubeVersion ? await parseTarget(opts.kubeVersion) : undefined;
    await printMappings(io, table, target, { preClean: !!target && opts.preClean }, format);
  });
}

/**
 * Prints the table; with a target, whether each entry applies there and why. The version may
 * come from --kube-version (preClean true) or from a cluster (preClean false).
 */
export async function printMappings(io: CliIo, table: MappingTable, target: KubeVersion | undefined, opts: { preClean: boolean }, format: Format): Promise<void> {
  const [{ describeTable }, { formatKubeVersion }] = await Promise.all([import('../../mapping/describe.js'), import('../../mapping/version.js')]);
  const rows = describeTable(table, target, opts);
  const doc = { kubeVersion: target ? formatKubeVersion(target) : null, preClean: opts.preClean, entries: rows };
  if (format === 'json') io.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  else if (format === 'yaml') {
    const { stringify } = await import('../yaml-text.js');
    io.stdout.write(stringify(doc));
  }
  else io.stdout.write(renderTable(rows, target && formatKubeVersion(target)));
}

/** `target`: the version as formatKubeVersion prints it. */
function renderTable(rows: TableRow[], target: string | undefined): string {
  const head = ['DEPRECATED', 'KIND', 'REPLACEMENT', 'DEPRECATED IN', 'REMOVED IN', 'AVAILABLE IN', 'SOURCE'];
  if (target) head.push(`AT ${target}`, 'WHY');
  const body = rows.map((r) => {
    const cells = [
      r.apiVersion,
      r.kind,
      r.disabled ? '(disabled)' : r.next === null ? '(remove)' : r.next.split(' ')[0],
      r.deprecatedIn ?? '-',
      r.removedIn ?? '-',
      r.replacementAvailableIn ?? '-',
      r.source,
    ];
    if (r.at) {
      cells.push(r.at.applies ? `${r.at.replacement === null ? 'remove' : `-> ${r.at.replacement?.split(' ')[0]}`}${r.at.early ? ' (early)' : ''}` : 'no');
      cells.push(r.at.reason);
    }
    return cells;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((c) => c[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(head), ...body.map(line)].join('\n') + '\n';
}
