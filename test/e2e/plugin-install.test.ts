// Foundation: the built plugin installs into real Helm 3.17.2 and 4.1.4 (isolated homes),
// from a folder with no node_modules, and runs through `helm psa-clean`.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createHelmEnv, type HelmEnv } from '../helpers/helm-env.js';
import { installBuiltPlugin } from '../helpers/plugin.js';
import { expectInstalledPluginRuns } from '../helpers/plugin-expect.js';
import { REPO_ROOT } from '../helpers/paths.js';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));

describe('plugin.yaml', () => {
  it('has the version of package.json, with no v prefix (Helm 4 rejects one)', () => {
    const plugin = parse(readFileSync(join(REPO_ROOT, 'plugin.yaml'), 'utf8'));
    expect(plugin.version).toBe(pkg.version);
    expect(plugin.name).toBe('psa-clean');
    // Helm 4 ignores a plugin with both; Helm 3 rejects unknown keys.
    expect(plugin.platformCommand).toBeUndefined();
    const allowed = ['name', 'version', 'usage', 'description', 'command', 'ignoreFlags', 'hooks'];
    expect(Object.keys(plugin).filter((k) => !allowed.includes(k))).toEqual([]);
  });
});

for (const major of [3, 4] as const) {
  describe(`real Helm ${major}`, () => {
    let h: HelmEnv | undefined;
    afterEach(() => h?.cleanup());

    it('installs the built plugin and runs helm psa-clean --help', async () => {
      h = await createHelmEnv(major);
      await installBuiltPlugin(h);
      await expectInstalledPluginRuns(h, pkg.version);
    });
  });
}
