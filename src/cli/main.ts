// Entry point of the bundle (dist/cli.js). Keep imports here light: the Kubernetes client
// and pg are loaded lazily by the commands that need a cluster or a database.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processIo } from './io.js';
import { runCli } from './program.js';

const bundleDir = dirname(fileURLToPath(import.meta.url));
const pluginRoot = process.env.HELM_PLUGIN_DIR || resolve(bundleDir, '..');

// `helm psa-clean ... | head` closes stdout before the report ends. The reader has what it
// wanted: stop writing quietly and finish with the command's own exit code (the work is done
// before the report is written), instead of dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  });
}

runCli(process.argv.slice(2), processIo(pluginRoot)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`Error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  },
);
