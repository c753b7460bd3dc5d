// Entry point of the bundle (dist/cli.js). Keep imports here light: the Kubernetes client
// and pg are loaded lazily by the commands that need a cluster or a database.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processIo } from './io.js';
import { runCli } from './program.js';

const bundleDir = dirname(fileURLToPath(import.meta.url));
const pluginRoot = process.env.HELM_PLUGIN_DIR || resolve(bundleDir, '..');

runCli(process.argv.slice(2), processIo(pluginRoot)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`Error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  },
);
