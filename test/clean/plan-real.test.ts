// planRelease with the real rewriter and the built-in mapping table.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { planRelease, buildNewRevision } from '../../src/clean/plan.js';
import { rewriteManifest } from '../../src/manifest/index.js';
import { loadMappingTable, parseKubeVersion } from '../../src/mapping/index.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { CM_DOC, HOOK_JOB, HOOK_PSP, PSP_DOC, makeRelease } from './fakes.js';

const table = loadMappingTable({ builtinDir: join(REPO_ROOT, 'mapfiles') });
const PDB = '---\n# Source: demo/templates/pdb.yaml\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: demo-pdb\nspec:\n  minAvailable: 1\n';

describe('planRelease with the real rewriter', () => {
  it('at 1.25 drops PSPs in manifest and hooks, renames the PDB, and removes the emptied hook', () => {
    const r = makeRelease({ version: 1, status: 'deployed', manifest: CM_DOC + PSP_DOC + PDB, hooks: [{ name: 'psp', manifest: HOOK_PSP }, { name: 'job', manifest: HOOK_JOB }] });
    const p = planRelease(r, { table, target: parseKubeVersion('v1.25.3'), preClean: false, rewrite: rewriteManifest });
    expect(p.changed).toBe(true);
    expect(p.manifest.after).toBe(CM_DOC + PDB.replace('policy/v1beta1', 'policy/v1'));
    expect(p.removedHooks).toEqual(['PodSecurityPolicy/psp']);
    expect(p.findings.map((f) => `${f.source} ${f.kind} ${f.action}`).sort()).toEqual([
      'hook:PodSecurityPolicy/psp PodSecurityPolicy removed', 'manifest PodDisruptionBudget renamed', 'manifest PodSecurityPolicy removed',
    ]);
    const n = buildNewRevision(r, p, new Date(0), 2);
    expect((n.hooks as Array<{ name: string }>).map((h) => h.name)).toEqual(['job']);
  });

  it('at 1.24 without pre-clean changes nothing; with --kube-version 1.25 pre-cleans', () => {
    const r = makeRelease({ version: 1, status: 'deployed', manifest: CM_DOC + PSP_DOC });
    expect(planRelease(r, { table, target: parseKubeVersion('v1.24.17'), preClean: false, rewrite: rewriteManifest }).changed).toBe(false);
    expect(planRelease(r, { table, target: parseKubeVersion('1.25'), preClean: true, rewrite: rewriteManifest }).changed).toBe(true);
  });
});
