import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { notBuilt } from '../not-built.js';

export function registerRestore(program: Command, io: CliIo): void {
  program
    .command('restore')
    .description('put back the stored release records a previous run backed up, and delete the revisions it created')
    .argument('<backup-dir>', 'backup directory written by a previous run')
    .action(() => notBuilt(io, 'restore'));
}
