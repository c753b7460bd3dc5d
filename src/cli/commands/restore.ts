// `helm psa-clean restore DIR [--dry-run]`: undo one run from its backup directory.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { ExitError } from '../io.js';
import { EXIT } from '../exit-codes.js';
import { addOutputOption, settingsOrExit, storageConfigFrom, type OutputFormat } from '../options.js';
import type { RestoreResult } from '../../clean/index.js';

function renderRestoreText(r: RestoreResult): string {
  const lines: string[] = [];
  for (const msg of r.refused) lines.push(`refused: ${msg}`);
  if (r.refused.length === 0) {
    for (const a of r.actions) {
      const verb = a.action === 'delete' ? (r.dryRun ? 'would delete' : 'deleted') : r.dryRun ? 'would restore' : 'restored';
      lines.push(`${a.namespace}/${a.release}: ${verb} revision ${a.revision} (${a.key})`);
    }
    for (const e of r.errors) lines.push(`error: ${e}`);
    lines.push(
      r.dryRun
        ? `Plan: ${r.actions.length} objects to put back from ${r.dir}`
        : `Done: ${r.actions.length - r.errors.length} of ${r.actions.length} objects put back from ${r.dir}`,
    );
  } else {
    lines.push('Nothing was restored.');
  }
  return lines.join('\n') + '\n';
}

export function registerRestore(program: Command, io: CliIo): void {
  const cmd = program
    .command('restore')
    .description('put back the stored release records a previous run backed up, and delete the revisions it created')
    .argument('<backup-dir>', 'backup directory written by a previous run')
    .option('--dry-run', 'show what would be put back; write nothing');
  addOutputOption(cmd);
  cmd.action(async (dir: string, flags: { dryRun?: boolean; output: OutputFormat }) => {
    // Loaded on use, not at every start (--help stays a bare Node start).
    const [{ restoreBackup, RestoreError }, { describeError }, { openDriver }, { stringify }] = await Promise.all([
      import('../../clean/index.js'), import('../../clean/apply.js'), import('../../storage/index.js'), import('../yaml-text.js'),
    ]);
    const settings = settingsOrExit(io);
    const log = (l: string) => io.stderr.write(`psa-clean: ${l}\n`);
    let driver;
    try {
      driver = await openDriver(storageConfigFrom(settings, settings.debug ? log : undefined));
    } catch (e) {
      throw new ExitError(EXIT.ERROR, describeError(e));
    }
    let result: RestoreResult;
    try {
      result = await restoreBackup(driver, resolve(io.cwd, dir), Boolean(flags.dryRun));
    } catch (e) {
      throw new ExitError(EXIT.ERROR, e instanceof RestoreError ? e.message : describeError(e));
    } finally {
      await driver.close().catch(() => undefined);
    }
    const doc = { apiVersion: 'psa-clean.io/v1', kind: 'RestoreResult', ...result };
    io.stdout.write(flags.output === 'json' ? JSON.stringify(doc, null, 2) + '\n' : flags.output === 'yaml' ? stringify(doc) : renderRestoreText(result));
    if (result.refused.length > 0 || result.errors.length > 0) throw new ExitError(EXIT.ERROR);
  });
}
