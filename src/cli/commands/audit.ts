import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { notBuilt } from '../not-built.js';

export function registerAudit(program: Command, io: CliIo): void {
  program
    .command('audit')
    .description('report which Pod Security Standards level replaces each PodSecurityPolicy in stored releases')
    .argument('[releases...]', 'release names (namespace from -n)')
    .action(() => notBuilt(io, 'audit'));
}
