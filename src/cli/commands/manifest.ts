import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { notBuilt } from '../not-built.js';

export function registerManifest(program: Command, io: CliIo): void {
  program
    .command('manifest')
    .description('rewrite a manifest stream offline (no cluster, no Helm): helm template ... | helm psa-clean manifest')
    .argument('[file]', 'manifest file, or - for stdin', '-')
    .action(() => notBuilt(io, 'manifest'));
}
