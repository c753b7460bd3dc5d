// Commander wiring: one file per command under commands/.
import { Command, CommanderError, Option } from 'commander';
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
  for (const c of program.commands) {
    c.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
    // Helm passes its --qps and --burst-limit both as HELM_QPS/HELM_BURST_LIMIT and, unlike
    // its other global flags, in the plugin's argv too (helm-plugins.md section 5): accept them
    // on every command. Hidden: they are Helm's flags (README "Client-side throttling").
    c.addOption(new Option('--qps <n>', "Helm's --qps (HELM_QPS)").hideHelp());
    c.addOption(new Option('--burst-limit <n>', "Helm's --burst-limit (HELM_BURST_LIMIT)").hideHelp());
  }
  // The argv copy is the value the command uses (under Helm it equals the variable; run
  // without Helm, it is the only copy); settings.ts validates it under the variable's name.
  program.hook('preAction', (_program, action) => {
    const { qps, burstLimit } = action.opts<{ qps?: string; burstLimit?: string }>();
    if (qps !== undefined || burstLimit !== undefined) {
      io.env = { ...io.env, ...(qps !== undefined ? { HELM_QPS: qps } : {}), ...(burstLimit !== undefined ? { HELM_BURST_LIMIT: burstLimit } : {}) };
    }
  });
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
