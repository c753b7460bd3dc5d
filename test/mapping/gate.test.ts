import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { applicability, describeTable, loadMappingTable, parseKubeVersion, type Mapping } from '../../src/mapping/index.js';
import { REPO_ROOT } from '../helpers/paths.js';

const table = loadMappingTable({ builtinDir: join(REPO_ROOT, 'mapfiles') });
const v = parseKubeVersion;
const PSP = table.lookup('policy/v1beta1', 'PodSecurityPolicy')!;
const at = (m: Mapping, ver: string, preClean: boolean) => applicability(m, v(ver), { preClean });

describe('version gating', () => {
  it('PodSecurityPolicy: necessary and applied from 1.25', () => {
    expect(at(PSP, '1.25', false)).toMatchObject({ applies: true, early: false, necessary: true, replacement: null });
    expect(at(PSP, 'v1.25.0-2786+abc-dirty', false).applies).toBe(true); // helm-mapkubeapis#111
    expect(at(PSP, '1.24', false)).toMatchObject({ applies: false, early: false });
    expect(at(PSP, '1.24', false).reason).toMatch(/pre-cleaning needs an explicit --kube-version/);
  });

  it('PodSecurityPolicy: pre-cleaned at 1.21..1.24 only when asked, marked early', () => {
    expect(at(PSP, '1.24', true)).toMatchObject({ applies: true, early: true, necessary: false, replacement: null });
    expect(at(PSP, '1.21', true).applies).toBe(true);
    expect(at(PSP, '1.20', true).applies).toBe(false);
  });

  it('a replacement not yet served blocks pre-cleaning (HPA v2beta1 deprecated 1.22, v2 from 1.23)', () => {
    const hpa = table.lookup('autoscaling/v2beta1', 'HorizontalPodAutoscaler')!;
    const r = at(hpa, '1.22', true);
    expect(r.applies).toBe(false);
    expect(r.reason).toMatch(/autoscaling\/v2 HorizontalPodAutoscaler is not served before v1\.23/);
    expect(at(hpa, '1.23', true)).toMatchObject({ applies: true, early: true });
  });

  it('flowcontrol v1beta1 resolves to the newest non-deprecated served version', () => {
    const fs = table.lookup('flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema')!;
    const to = (ver: string, pre: boolean) => at(fs, ver, pre).replacement?.apiVersion;
    expect(to('1.23', true)).toBe('flowcontrol.apiserver.k8s.io/v1beta2');
    expect(to('1.26', false)).toBe('flowcontrol.apiserver.k8s.io/v1beta3');
    expect(to('1.28', false)).toBe('flowcontrol.apiserver.k8s.io/v1beta3');
    expect(to('1.29', false)).toBe('flowcontrol.apiserver.k8s.io/v1');
    expect(to('1.33', false)).toBe('flowcontrol.apiserver.k8s.io/v1');
  });

  it('extensions/v1beta1 PodSecurityPolicy is renamed while policy/v1beta1 is served, dropped after', () => {
    const ext = table.lookup('extensions/v1beta1', 'PodSecurityPolicy')!;
    expect(at(ext, '1.16', false).replacement).toEqual({ apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy' });
    expect(at(ext, '1.24', false).replacement).toEqual({ apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy' });
    expect(at(ext, '1.24', true)).toMatchObject({ replacement: null, early: true });
    expect(at(ext, '1.25', false)).toMatchObject({ replacement: null, early: false });
  });

  it('extensions/v1beta1 Ingress pre-cleaned before 1.19 goes to networking.k8s.io/v1beta1 (v1 not served yet)', () => {
    const ing = table.lookup('extensions/v1beta1', 'Ingress')!;
    expect(at(ing, '1.16', true).replacement?.apiVersion).toBe('networking.k8s.io/v1beta1');
    expect(at(ing, '1.19', true).replacement?.apiVersion).toBe('networking.k8s.io/v1');
  });

  it('the chosen successor is never itself applicable at the same target (rewrite is idempotent)', () => {
    for (const m of table.entries) {
      for (let minor = 6; minor <= 35; minor++) {
        for (const preClean of [false, true]) {
          const a = applicability(m, v(`1.${minor}`), { preClean });
          if (!a.applies || !a.replacement) continue;
          const next = table.lookup(a.replacement.apiVersion, a.replacement.kind);
          if (next) expect(applicability(next, v(`1.${minor}`), { preClean }).applies, `${m.id} at 1.${minor} -> ${next.id}`).toBe(false);
        }
      }
    }
  });

  it('describeTable without a version lists everything, no gating', () => {
    const rows = describeTable(table);
    expect(rows).toHaveLength(table.entries.length);
    expect(rows.every((r) => r.at === undefined)).toBe(true);
    const psp = rows.find((r) => r.id === 'policy/v1beta1/PodSecurityPolicy')!;
    expect(psp).toMatchObject({ replacement: null, removedIn: 'v1.25', deprecatedIn: 'v1.21', source: 'builtin', disabled: false });
  });
});
