// completion.yaml ships in every plugin tarball: it must match the CLI, and real Helm must
// complete psa-clean's commands and flags from it.
import { afterEach, describe, expect, it } from 'vitest';
import { createHelmEnv, run, type HelmEnv } from '../helpers/helm-env.js';
import { installBuiltPlugin } from '../helpers/plugin.js';
import { REPO_ROOT } from '../helpers/paths.js';

describe('completion.yaml', () => {
  it('is what `npm run -s completion` generates from the CLI definition', async () => {
    const r = await run('npm', ['run', '-s', 'completion', '--', '--check'], process.env, undefined, REPO_ROOT);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

for (const major of [3, 4] as const) {
  describe(`real Helm ${major} completes psa-clean`, () => {
    let h: HelmEnv | undefined;
    afterEach(() => h?.cleanup());

    it('offers the commands and each command\'s flags', async () => {
      h = await createHelmEnv(major);
      await installBuiltPlugin(h);
      const cmds = await h.helm(['__complete', 'psa-clean', '']);
      expect(cmds.code).toBe(0);
      const words = cmds.stdout.split('\n').map((l) => l.split('\t')[0]);
      for (const c of ['clean', 'manifest', 'mappings', 'audit', 'restore']) expect(words).toContain(c);

      const flags = await h.helm(['__complete', 'psa-clean', 'manifest', '--']);
      const flagWords = flags.stdout.split('\n').map((l) => l.split('\t')[0]);
      expect(flagWords).toContain('--kube-version');
      expect(flagWords).toContain('--diff');
      const root = await h.helm(['__complete', 'psa-clean', '--dry']);
      expect(root.stdout.split('\n').map((l) => l.split('\t')[0])).toContain('--dry-run');
    });
  });
}
