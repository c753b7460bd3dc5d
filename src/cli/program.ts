// Commander wiring: one file per command under commands/.
import { Command, CommanderError } from 'commander';
import type { CliIo } from './io.js';
import { ExitError } from './io.js';
import { EXIT } from './exit-codes.js';
import { registerClean } from './commands/clean.js';
import { registerManifest } from './commands/manifest.js';
import { registerMappings } from './commands/mappings.js';
import { registerAudit } from './commands/audit.js';
import { registerRestore } from './commands/restore.js';
import { VERSION } from '../version.js';

export function buildProgram(io: CliIo): Command {
  const program = new Command('psa-clean');
  program
    .description(
      'Repair Helm releases whose stored manifests name Kubernetes APIs the cluster no longer serves\n' +
        '(PodSecurityPolicy policy/v1beta1 and every other removed API), so helm upgrade works again.\n' +
        'Helm global flags (-n, --kube-context, --kubeconfig, --debug) are honoured through HELM_* variables.',
    )
    .version(VERSION, '--version', 'print the psa-clean version')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();
  registerClean(program, io);
  registerManifest(program, io);
  registerMappings(program, io);
  registerAudit(program, io);
  registerRestore(program, io);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  return program;
}

/** Runs the CLI and returns the exit code (never calls process.exit). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.OK;
  } catch (e) {
    if (e instanceof ExitError) {
      if (e.message) io.stderr.write(`Error: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof CommanderError) {
      // --help and --version end through here with exitCode 0.
      return e.exitCode;
    }
    io.stderr.write(`Error: ${(e as Error).message ?? String(e)}\n`);
    return EXIT.ERROR;
  }
}
