// The process edges a command may touch, passed in so commands can run in-process in tests.
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  stdin: Readable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Directory holding the plugin's files (plugin.yaml, mapfiles/): HELM_PLUGIN_DIR or the bundle's parent. */
  pluginRoot: string;
}

export function processIo(pluginRoot: string): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // A getter: process.stdin builds its stream (and the net or tty machinery) on first
    // access, ~2 ms of every start, and only `manifest -` reads it.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
    pluginRoot,
  };
}

/** Thrown by commands to end with a given exit code after they printed what they had to say. */
export class ExitError extends Error {
  constructor(readonly exitCode: number, message = '') {
    super(message);
    this.name = 'ExitError';
  }
}
