import type { CliIo } from './io.js';
import { ExitError } from './io.js';
import { EXIT } from './exit-codes.js';

/** A command whose implementation has not landed: say so and exit 2, never fake output. */
export function notBuilt(io: CliIo, command: string): never {
  io.stderr.write(`psa-clean: the "${command}" command is not built yet in this version\n`);
  throw new ExitError(EXIT.CHANGES);
}
