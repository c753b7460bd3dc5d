// The PSP levels of clean's report come from the documents the rewrite already parsed: the
// same levels as the audit engine's own parse of the stored text, without a second parse.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runClean } from '../../src/clean/index.js';
import { rewriteManifest } from '../../src/manifest/index.js';
import { loadMappingTable, parseKubeVersion } from '../../src/mapping/index.js';
import { pspLevelsInManifest } from '../../src/audit/index.js';
import { pspLevelsInValue } from '../../src/audit/psp-values.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { FakeDriver, makeRelease } from './fakes.js';

const table = loadMappingTable({ builtinDir: join(REPO_ROOT, 'mapfiles') });
// Allows privileged containers: Pod Security Standards "privileged" under any reading.
const PRIV = (name: string, apiVersion = 'policy/v1beta1'): string =>
  `apiVersion: ${apiVersion}\nkind: PodSecurityPolicy\nmetadata:\n  name: ${name}\nspec:\n  privileged: true\n  seLinux: {rule: RunAsAny}\n  runAsUser: {rule: RunAsAny}\n  supplementalGroups: {rule: RunAsAny}\n  fsGroup: {rule: RunAsAny}\n  volumes: ['*']\n`;
// Names PodSecurityPolicy in its text only: read by the text path, which finds no PSP in it.
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  note: |\n    kind: PodSecurityPolicy\n';
const LIST = `apiVersion: v1\nkind: List\nitems:\n- ${PRIV('in-list').trimEnd().split('\n').join('\n  ')}\n`;
const MANIFEST = [CM, PRIV('old', 'extensions/v1beta1'), LIST, PRIV('new')].join('---\n');

const fmt = (p: { name: string; level: string; reasons: Array<{ field: string; detail: string }> }) => ({ name: p.name, level: p.level, reasons: p.reasons.map((r) => `${r.field}: ${r.detail}`) });

describe('PSP levels for the clean report', () => {
  it('are those of the audit engine on the stored text, read from the rewrite\'s parse', async () => {
    const d = new FakeDriver();
    d.put(makeRelease({ version: 1, status: 'deployed', manifest: MANIFEST, hooks: [{ name: 'hook-psp', manifest: PRIV('hook-psp') }] }));
    const textCalls: string[] = [];
    let valueCalls = 0;
    const r = await runClean(
      { releases: [], namespace: 'default', allNamespaces: true, namespaceInclude: [], namespaceExclude: [], releaseInclude: [], releaseExclude: [], dryRun: true, force: false, allRevisions: false, concurrency: 1 },
      {
        driver: d, planCtx: { table, target: parseKubeVersion('v1.25.3'), preClean: false, rewrite: rewriteManifest }, now: () => new Date(0),
        pspLevels: (m: string) => { textCalls.push(m); return pspLevelsInManifest(m, 'strict').map(fmt); },
        pspLevelsInValue: (v: unknown) => { valueCalls++; return pspLevelsInValue(v, 'strict').map(fmt); },
      },
      { target: { version: 'v1.25.3', source: 'cluster' as const, preClean: false }, driver: 'secret' },
    );
    const psp = r.releases[0].psp;
    expect(psp.map((p) => [p.name, p.level])).toEqual([['old', 'privileged'], ['in-list', 'privileged'], ['new', 'privileged'], ['hook-psp', 'privileged']]);
    // Exactly what the audit engine reports from its own parse of the stored manifest and hook.
    expect(psp).toEqual([...pspLevelsInManifest(MANIFEST, 'strict'), ...pspLevelsInManifest(PRIV('hook-psp'), 'strict')].map(fmt));
    // The three documents holding PSPs in the manifest and the hook were not parsed again;
    // only the ConfigMap, which the rewrite had no reason to parse, went to the text path.
    expect(valueCalls).toBe(4);
    expect(textCalls).toEqual([CM]);
  });
});
