import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { notBuilt } from '../not-built.js';

export function registerMappings(program: Command, io: CliIo): void {
  program
    .command('mappings')
    .description('print the effective mapping table and which entries apply at a Kubernetes version')
    .action(() => notBuilt(io, 'mappings'));
}
