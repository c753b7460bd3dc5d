import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { CliIo } from '../io.js';
import { ExitError } from '../io.js';
import { EXIT } from '../exit-codes.js';
import type { KubeVersion } from '../../mapping/index.js';
import type { Finding } from '../../manifest/types.js';
import { addMappingFlags, colorFor, loadTable, parseTarget, type MappingFlags } from './mapping-flags.js';

interface ManifestOpts extends MappingFlags {
  diff?: boolean;
  output: string;
  detailedExitcode?: boolean;
  showSecrets?: boolean;
}

export function registerManifest(program: Command, io: CliIo): void {
  const cmd = program
    .command('manifest')
    .description('rewrite a manifest stream offline (no cluster, no Helm): helm template ... | helm psa-clean manifest --kube-version v1.25')
    .argument('[file]', 'manifest file, or - for stdin', '-')
    .option('--diff', 'print a unified diff instead of the rewritten stream')
    .option('-o, --output <format>', 'yaml (the rewritten stream) or json (the findings)', 'yaml')
    .option('--detailed-exitcode', 'exit 2 when something changed (0 = nothing to change, 1 = error)')
    .option('--show-secrets', 'do not redact Secret data in --diff output');
  addMappingFlags(cmd).action(async (file: string, opts: ManifestOpts) => runManifest(io, file, opts));
}

async function readInput(io: CliIo, file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const c of io.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return readFileSync(isAbsolute(file) ? file : resolve(io.cwd, file), 'utf8');
  } catch (e) {
    throw new ExitError(EXIT.ERROR, `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

async function runManifest(io: CliIo, file: string, opts: ManifestOpts): Promise<void> {
  if (!['yaml', 'json'].includes(opts.output)) throw new ExitError(EXIT.USAGE, `-o ${opts.output}: use yaml or json`);
  if (opts.diff && opts.output === 'json') throw new ExitError(EXIT.USAGE, '--diff and -o json cannot be combined');
  // Loaded here, not at start: --help and the other commands never compile the rewriter.
  const [{ newestRemoval }, { rewriteManifest }, { renderUnifiedDiff }, { formatKubeVersion }, { ManifestParseError }] = await Promise.all([
    import('../../mapping/table.js'), import('../../manifest/rewrite.js'), import('../../report/diff.js'),
    import('../../mapping/version.js'), import('../../manifest/types.js'),
  ]);
  const table = await loadTable(io, opts);
  let target: KubeVersion;
  let preClean: boolean;
  if (opts.kubeVersion) {
    target = await parseTarget(opts.kubeVersion);
    preClean = opts.preClean;
  } else {
    // Offline there is no cluster to ask: rewrite for the newest removal the table knows, so the
    // output is valid on every version the database covers. Never pre-clean by default.
    const newest = newestRemoval(table);
    if (!newest) throw new ExitError(EXIT.USAGE, 'the mapping table has no removal version; give --kube-version');
    target = newest;
    preClean = false;
    io.stderr.write(`psa-clean: no --kube-version given: rewriting for ${formatKubeVersion(target)}, the newest removal in the mapping table\n`);
  }
  const input = await readInput(io, file);
  let result;
  try {
    result = rewriteManifest(input, { table, target, preClean }, 'manifest');
  } catch (e) {
    if (e instanceof ManifestParseError) throw new ExitError(EXIT.ERROR, `${file === '-' ? '<stdin>' : file}: ${e.message}`);
    throw e;
  }
  if (opts.output === 'json') {
    io.stdout.write(
      JSON.stringify({ kubeVersion: formatKubeVersion(target), preClean, changed: result.changed, documentsLeft: result.documentsLeft, findings: result.findings }, null, 2) + '\n',
    );
  } else if (opts.diff) {
    // git-style a/ b/ prefixes for relative names; an absolute path stays as given (no "a//tmp").
    const label = file === '-' ? 'stdin' : file;
    const [oldLabel, newLabel] = isAbsolute(label) ? [label, label] : [`a/${label}`, `b/${label}`];
    io.stdout.write(
      renderUnifiedDiff({ oldText: input, newText: result.output, oldLabel, newLabel, color: colorFor(io, 'stdout'), showSecrets: !!opts.showSecrets }),
    );
  } else {
    io.stdout.write(result.output);
  }
  io.stderr.write(summary(result.findings, formatKubeVersion(target), preClean));
  if (result.changed && opts.detailedExitcode) throw new ExitError(EXIT.CHANGES);
}

function describe(f: Finding): string {
  const who = `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name || '(unnamed)'}`;
  const where = `document ${f.docIndex}${f.itemIndex === undefined ? '' : ` item ${f.itemIndex}`}`;
  const what = f.action === 'removed' ? `removed  ${who} (${f.oldApiVersion})` : `renamed  ${who}: ${f.oldApiVersion} -> ${f.newApiVersion}`;
  return `  ${what} [${where}]${f.early ? ' (early: pre-cleaning, the API is still served at the target)' : ''}\n`;
}

/** The stderr summary; `v` is the target as formatKubeVersion prints it. */
export function summary(findings: Finding[], v: string, preClean: boolean): string {
  if (!findings.length) return `psa-clean: nothing to change for Kubernetes ${v}\n`;
  let out = `psa-clean: changes for Kubernetes ${v}${preClean ? ' (pre-cleaning allowed by --kube-version)' : ''}:\n`;
  const warned = new Set<string>();
  for (const f of findings) {
    out += describe(f);
    for (const w of f.warnings) {
      if (warned.has(w)) continue;
      warned.add(w);
      out += `    warning: ${w}\n`;
    }
  }
  const renamed = findings.filter((f) => f.action === 'renamed').length;
  const early = findings.filter((f) => f.early).length;
  out += `${findings.length} change(s): ${renamed} renamed, ${findings.length - renamed} removed${early ? `, ${early} early (pre-cleaning)` : ''}\n`;
  return out;
}
