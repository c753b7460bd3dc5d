import { describe, expect, it } from 'vitest';
import { buildNewRevision, CLEAN_DESCRIPTION, isEmptyManifest, planRelease, rewriteInPlace } from '../../src/clean/plan.js';
import { CM_DOC, HOOK_JOB, HOOK_PSP, PSP_DOC, fakeRewrite, fakeTable, makeRelease, target125 } from './fakes.js';

const ctx = { table: fakeTable, target: target125, preClean: false, rewrite: fakeRewrite };

describe('planRelease', () => {
  it('drops a PSP from the manifest and reports it', () => {
    const r = makeRelease({ version: 1, status: 'deployed', manifest: CM_DOC + PSP_DOC });
    const p = planRelease(r, ctx);
    expect(p.changed).toBe(true);
    expect(p.manifest.before).toBe(CM_DOC + PSP_DOC);
    expect(p.manifest.after).toBe(CM_DOC);
    expect(p.findings).toHaveLength(1);
    expect(p.findings[0]).toMatchObject({ source: 'manifest', kind: 'PodSecurityPolicy', name: 'demo-psp', action: 'removed' });
    expect(p.removedHooks).toEqual([]);
  });

  it('removes a hook whose only document is dropped, keeps other hooks as they were', () => {
    const r = makeRelease({ version: 1, status: 'deployed', manifest: CM_DOC, hooks: [{ name: 'psp', manifest: HOOK_PSP }, { name: 'job', manifest: HOOK_JOB }] });
    const p = planRelease(r, ctx);
    expect(p.changed).toBe(true);
    expect(p.removedHooks).toEqual(['PodSecurityPolicy/psp']);
    expect(p.hooks.map((h) => [h.name, h.removed, h.after === h.before])).toEqual([['psp', true, false], ['job', false, true]]);
    expect(p.findings[0].source).toBe('hook:PodSecurityPolicy/psp');
  });

  it('names hooks that share a name by kind: only the PodSecurityPolicy one is removed', () => {
    // ingress-nginx's admission hooks: a Job, a ServiceAccount and a PSP with one name.
    const name = 'rel-ingress-nginx-admission';
    const doc = (apiVersion: string, kind: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n`;
    const r = makeRelease({
      version: 1, status: 'deployed', manifest: CM_DOC,
      hooks: [{ name, manifest: doc('batch/v1', 'Job') }, { name, manifest: doc('v1', 'ServiceAccount') }, { name, manifest: doc('policy/v1beta1', 'PodSecurityPolicy') }],
    });
    const p = planRelease(r, ctx);
    expect(p.removedHooks).toEqual([`PodSecurityPolicy/${name}`]);
    expect(p.hooks.map((h) => [h.label, h.removed])).toEqual([[`Job/${name}`, false], [`ServiceAccount/${name}`, false], [`PodSecurityPolicy/${name}`, true]]);
    expect(p.findings.map((f) => f.source)).toEqual([`hook:PodSecurityPolicy/${name}`]);
  });

  it('a hook stored without a kind is named by its name alone', () => {
    const r = makeRelease({ version: 1, status: 'deployed', manifest: CM_DOC, hooks: [{ name: 'psp', manifest: HOOK_PSP, kind: '' }] });
    const p = planRelease(r, ctx);
    expect(p.removedHooks).toEqual(['psp']);
    expect(p.findings[0].source).toBe('hook:psp');
  });

  it('reports nothing for a clean release', () => {
    const r = makeRelease({ version: 1, status: 'deployed', manifest: CM_DOC, hooks: [{ name: 'job', manifest: HOOK_JOB }] });
    const p = planRelease(r, ctx);
    expect(p.changed).toBe(false);
    expect(p.findings).toEqual([]);
  });

  it('isEmptyManifest sees separators and comments as empty', () => {
    expect(isEmptyManifest('---\n# Source: x\n\n')).toBe(true);
    expect(isEmptyManifest('')).toBe(true);
    expect(isEmptyManifest('a: 1\n')).toBe(false);
  });
});

describe('buildNewRevision', () => {
  it('changes only version/status/description/last_deployed/manifest/hooks and keeps unknown fields and key order', () => {
    const r = makeRelease({
      version: 3, status: 'deployed', manifest: CM_DOC + PSP_DOC,
      hooks: [{ name: 'psp', manifest: HOOK_PSP }, { name: 'job', manifest: HOOK_JOB }],
      extra: { apply_method: 'ssa', unknown_future: { nested: [1, 2] } },
    });
    const p = planRelease(r, ctx);
    const now = new Date('2026-11-26T12:00:00.123Z');
    const n = buildNewRevision(r, p, now, 5);
    expect(Object.keys(n)).toEqual(Object.keys(r));
    expect(n.version).toBe(5);
    expect(n.apply_method).toBe('ssa');
    expect(n.unknown_future).toEqual({ nested: [1, 2] });
    expect(n.manifest).toBe(CM_DOC);
    const info = n.info as Record<string, unknown>;
    expect(info.status).toBe('deployed');
    expect(info.description).toBe(CLEAN_DESCRIPTION);
    expect(info.last_deployed).toBe('2026-11-26T12:00:00.123Z');
    expect(info.first_deployed).toBe('2024-01-01T00:00:00Z');
    expect(info.deleted).toBe('');
    const hooks = n.hooks as Array<Record<string, unknown>>;
    expect(hooks).toHaveLength(1);
    expect(hooks[0].name).toBe('job');
    expect(hooks[0].last_run).toEqual({ started_at: '', completed_at: '', phase: '' });
    expect(n.chart).toEqual(r.chart);
    // the source is untouched
    expect(r.version).toBe(3);
    expect((r.hooks as unknown[]).length).toBe(2);
  });

  it('rewriteInPlace keeps status, version and times', () => {
    const r = makeRelease({ version: 1, status: 'superseded', manifest: PSP_DOC + CM_DOC });
    const n = rewriteInPlace(r, planRelease(r, ctx));
    expect(n.version).toBe(1);
    expect(n.info).toEqual(r.info);
    expect(n.manifest).toBe(CM_DOC);
  });
});
