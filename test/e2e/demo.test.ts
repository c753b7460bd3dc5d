// `npm run demo` minus the build (the suite's global setup built dist/): the transcript
// shows the failing upgrade, the dry run, the repair and the working upgrade.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { run } from '../helpers/helm-env.js';
import { REPO_ROOT } from '../helpers/paths.js';

describe('demo', () => {
  it('runs end to end and prints the transcript', async () => {
    const r = await run(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'demo.ts')], { ...process.env, NO_COLOR: '1' }, undefined, REPO_ROOT);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const t = r.stdout;
    const order = [
      '$ helm install web ./test/fixtures/charts/psp-chart -n team-a --create-namespace',
      'Error: UPGRADE FAILED: unable to build kubernetes objects from current release manifest',
      '$ helm psa-clean -A --dry-run',
      '-kind: PodSecurityPolicy',
      'Plan: 3 releases to update, 1 unchanged, 0 skipped, 0 errors',
      '$ helm psa-clean -A\n',
      'Done: 3 releases updated, 1 unchanged, 0 skipped, 0 errors',
      'Kubernetes deprecated API upgrade - DO NOT rollback from this version',
      'Release "web" has been upgraded. Happy Helming!',
      'release "jobs" uninstalled',
      'Done: 0 releases updated, 3 unchanged, 0 skipped, 0 errors',
      'Demo finished: every step behaved as expected.',
    ];
    let at = 0;
    for (const s of order) {
      const i = t.indexOf(s, at);
      expect(i, `transcript lacks (in order): ${s}`).toBeGreaterThanOrEqual(0);
      at = i + s.length;
    }
  });
});
