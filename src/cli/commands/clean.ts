import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { notBuilt } from '../not-built.js';

export function registerClean(program: Command, io: CliIo): void {
  program
    .command('clean', { isDefault: true })
    .description('repair releases: rewrite removed APIs in stored manifests and hooks as a new revision (default command)')
    .argument('[releases...]', 'release names (namespace from -n)')
    .option('--dry-run', 'show a unified diff of the repair; write nothing')
    .option('-A, --all-namespaces', 'every release in every namespace')
    .action(() => notBuilt(io, 'clean'));
}
