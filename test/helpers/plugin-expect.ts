// Assertions shared by the install tests. Kept apart from plugin.ts, which scripts/demo.ts
// also imports outside vitest (importing vitest there would crash the demo).
import { expect } from 'vitest';
import type { HelmEnv } from './helm-env.js';

/**
 * The checks every install test ends with: `helm plugin list` shows psa-clean at `version`,
 * and `helm psa-clean --help` / `--version` run cleanly through this Helm.
 */
export async function expectInstalledPluginRuns(h: HelmEnv, version: string): Promise<void> {
  const list = await h.helm(['plugin', 'list']);
  expect(list.code).toBe(0);
  const row = list.stdout.split('\n').find((l) => l.startsWith('psa-clean'));
  expect(row?.split(/\s+/)[1]).toBe(version);
  const help = await h.helm(['psa-clean', '--help']);
  expect(help.stderr).toBe('');
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('Usage: psa-clean');
  expect(help.stdout).toContain('manifest');
  const v = await h.helm(['psa-clean', '--version']);
  expect(v.code).toBe(0);
  expect(v.stdout.trim()).toBe(version);
}
