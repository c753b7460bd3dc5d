// Public surface of the audit: PodSecurityPolicy -> Pod Security Standards (psp-to-pss.md).
// Pure: manifests (and optionally namespace labels) in, a report out. The CLI does the I/O.
import { assessPsp, type Reason } from './assess.js';
import type { PssLevel, Reading } from './levels.js';
import { namespaceNames, suggestNamespaces } from './namespaces.js';
import { auditedObjects, isPsp, parseManifest, type ManifestObject } from './parse.js';
import { ALL_NAMESPACES, indexRbac, rbacFields } from './rbac.js';
import { cattlePspEnabled, rancherExemptions } from './rancher.js';
import { rancherHint, type AuditReport, type PolicyReport, type ReportReason, type UsedBy } from './report.js';
import { formatPolicyVersion, LATEST, policyVersionForKube, type PolicyVersion } from '../pss/index.js';
import { addWorkloadsInManifest, hookSource, own, ResultPool, workloadsInManifest, type Workload } from './workloads.js';
import { AllWorkloads, heldWorkloads, WorkloadList } from './workload-list.js';
import { pspLevelsOf, type PspLevel } from './psp-values.js';

export type { PspLevel } from './psp-values.js';

export { assessPsp } from './assess.js';
export { auditedDocuments } from './parse.js';
export type { Assessment, Reason } from './assess.js';
export type { PssLevel, Reading } from './levels.js';
export { LEVELS, READINGS, isReading } from './levels.js';
export { renderReport, renderReportChunks } from './report.js';
export type { LiveSummary } from './report.js';
export type { AuditReport, OutputFormat, PolicyReport } from './report.js';
export type { NamespaceSuggestion } from './namespaces.js';
export { rancherExemptions, rancherVersions, cattlePspEnabled } from './rancher.js';
export { ResultPool, workloadsInManifest, addWorkloadsInManifest, hookSource, evaluateObject, own } from './workloads.js';
export { WorkloadList, WorkloadRefs, heldWorkloads } from './workload-list.js';
export type { HeldWorkload } from './workload-list.js';
export type { Workload, WorkloadResult, LivePods } from './workloads.js';
export { attachLivePods, indexStored, storedOwner, PSP_ANNOTATION } from './live.js';
export { admissionConfiguration, AdmissionConfigError } from './admission-config.js';
export { stringify as yamlText } from 'yaml';

export interface AuditInput {
  release?: string;
  /** Release namespace: the namespace of namespaced objects without metadata.namespace. */
  namespace?: string;
  manifest: string;
  /** hooks[].manifest of the release. */
  hooks?: string[];
  /** The release's stored values (`config`). */
  values?: object;
  /** hooks[] as `hook:<Kind>/<name>` labels, parallel to `hooks` (else "hook <index>"). */
  hookSources?: string[];
  /** Workloads already evaluated (as the records stream past); else evaluated from manifest and hooks. */
  workloads?: WorkloadList;
}

export interface AuditOptions {
  reading: Reading;
  rancher: boolean;
  /** Rancher docs version of the exemption list (default: the newest shipped). */
  rancherVersion?: string;
  /** Labels of the namespaces that could be read; others get `current: null`. */
  namespaceLabels?: Record<string, Record<string, string>>;
  /** More namespaces known to exist (a cluster listing): where cluster-wide grants expand to. */
  knownNamespaces?: string[];
  /** RBAC objects read from the cluster, added to those in the manifests. */
  clusterObjects?: object[];
  kubeVersion?: string;
  /** Policy version the workloads are (or were) evaluated at; default latest. */
  pssVersion?: PolicyVersion;
  /** Running pods not grouped under a stored workload (--live). */
  liveWorkloads?: Workload[];
}

/** The workloads of one release (or stream): manifest, then each hook. */
export function inputWorkloads(i: AuditInput, version: PolicyVersion, pool: ResultPool): WorkloadList {
  const base = { release: i.release ?? null, namespace: i.namespace || DEFAULT_NAMESPACE, version, pool };
  const out = new WorkloadList(base.release);
  addWorkloadsInManifest(i.manifest, { ...base, source: 'manifest' }, out);
  (i.hooks ?? []).forEach((h, n) => {
    if (h) addWorkloadsInManifest(h, { ...base, source: i.hookSources?.[n] ?? `hook ${n}` }, out);
  });
  return out.seal();
}

const DEFAULT_NAMESPACE = 'default';

function mergeReasons(strict: Reason[], practical: Reason[]): ReportReason[] {
  const key = (r: Reason): string => `${r.field}\u0000${r.level}\u0000${r.detail}`;
  const inPractical = new Set(practical.map(key));
  const out: ReportReason[] = strict.map((r) => ({ ...r, readings: inPractical.has(key(r)) ? ['strict', 'practical'] : ['strict'] }));
  const inStrict = new Set(strict.map(key));
  for (const r of practical) if (!inStrict.has(key(r))) out.push({ ...r, readings: ['practical'] });
  return out;
}

function sortGoverns(ns: Iterable<string>): string[] {
  return [...new Set(ns)].sort((a, b) => (a === ALL_NAMESPACES ? -1 : b === ALL_NAMESPACES ? 1 : a < b ? -1 : a > b ? 1 : 0));
}

interface Located {
  o: ManifestObject;
  release: string | null;
  namespace: string | null;
  source: string;
}

/**
 * One input as the report reads it: workloads evaluated, PodSecurityPolicy and RBAC objects
 * parsed, and no manifest text. The CLI prepares each release as its record goes past, so a
 * cluster's manifests are never held and every document is parsed once, however many times
 * the report is computed (issue 14 "Speed": the report of 10,000 releases re-parsed them all
 * on each of its two runs, at the run's peak memory).
 */
export interface PreparedInput {
  release?: string;
  namespace?: string;
  values?: object;
  workloads: WorkloadList;
  located: Located[];
  /** Warnings of the parse (broken documents), in stream order. */
  warnings: string[];
}

/** Reads one input for the report (pure); `pool` shares identical workload results between inputs. */
export function prepareInput(input: AuditInput, version: PolicyVersion, pool: ResultPool): PreparedInput {
  const located: Located[] = [];
  const warnings: string[] = [];
  const ns = input.namespace || DEFAULT_NAMESPACE;
  const label = input.release ? `release ${ns}/${input.release}` : 'input';
  const streams: Array<[string, string]> = [['manifest', input.manifest]];
  (input.hooks ?? []).forEach((h, i) => streams.push([input.hookSources?.[i] ?? `hook ${i}`, h]));
  for (const [source, text] of streams) {
    if (!text) continue;
    const parsed = parseManifest(text, ns, `${label} ${source}`);
    warnings.push(...parsed.warnings);
    for (const o of parsed.objects) located.push({ o: ownedObject(o), release: input.release ?? null, namespace: input.release ? ns : null, source });
  }
  // Exact-size copies: held for every release until the report.
  const out: PreparedInput = { workloads: input.workloads ?? inputWorkloads(input, version, pool), located: located.slice(), warnings: warnings.slice() };
  if (input.release !== undefined) out.release = input.release;
  if (input.namespace !== undefined) out.namespace = input.namespace;
  if (input.values !== undefined) out.values = input.values;
  return out;
}

/**
 * What the report reads of an object (a PSP whole, of RBAC objects only what indexRbac reads),
 * with strings of its own: a string the YAML parser cut from the manifest may be a slice of it
 * (V8 sliced strings) and would keep the release's whole text alive.
 */
function ownedObject(m: ManifestObject): ManifestObject {
  const copy = (v: unknown): unknown => {
    if (typeof v === 'string') return own(v);
    if (Array.isArray(v)) return v.map(copy);
    if (v !== null && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = copy(x);
      return o;
    }
    return v;
  };
  return { apiVersion: own(m.apiVersion), kind: own(m.kind), name: own(m.name), namespace: own(m.namespace), object: copy(isPsp(m) ? m.object : rbacFields(m)) as ManifestObject['object'] };
}

export function auditManifests(inputs: AuditInput[], given: AuditOptions): AuditReport {
  const pool = new ResultPool();
  const version = given.pssVersion ?? LATEST;
  return auditPrepared(inputs.map((i) => prepareInput(i, version, pool)), given);
}

/** The PodSecurityPolicies with their levels and who may use them, and the namespaces known. */
function auditPolicies(inputs: PreparedInput[], opts: AuditOptions): { policies: PolicyReport[]; known: Set<string>; warnings: string[] } {
  const located = inputs.flatMap((i) => i.located);
  const warnings = inputs.flatMap((i) => i.warnings);
  const clusterObjects = (opts.clusterObjects ?? []).flatMap((c) => auditedObjects(c, DEFAULT_NAMESPACE));
  const rbac = indexRbac([...located.map((l) => l.o), ...clusterObjects]);
  warnings.push(...rbac.warnings);

  const known = new Set<string>(opts.knownNamespaces ?? []);
  for (const i of inputs) if (i.release || i.namespace) known.add(i.namespace || DEFAULT_NAMESPACE);
  for (const l of located) if (l.o.kind === 'Namespace' && l.o.name) known.add(l.o.name);

  const policies: PolicyReport[] = [];
  for (const l of located) {
    if (!isPsp(l.o)) continue;
    const strict = assessPsp(l.o.object, 'strict');
    const practical = assessPsp(l.o.object, 'practical');
    const usedBy: UsedBy[] = rbac.grantsFor(l.o.name).map((g) => ({
      kind: g.subject.kind,
      namespace: g.subject.namespace,
      name: g.subject.name,
      via: `${g.binding.kind} ${g.binding.namespace ? `${g.binding.namespace}/` : ''}${g.binding.name}`,
      governs: g.governs,
      podServiceAccounts: g.podServiceAccounts,
    }));
    policies.push({
      name: l.o.name,
      apiVersion: l.o.apiVersion,
      release: l.release,
      namespace: l.namespace,
      source: l.source,
      strict: strict.level,
      practical: practical.level,
      reasons: mergeReasons(strict.reasons, practical.reasons),
      warnings: practical.warnings,
      usedBy,
      governs: sortGoverns(usedBy.filter((u) => u.podServiceAccounts).flatMap((u) => u.governs)),
    });
  }
  return { policies, known, warnings };
}

/**
 * The names of the namespaces auditPrepared reports on, in its order, without the verdicts: no
 * workload is read (the CLI needs them to know which namespaces' labels to read).
 */
export function auditNamespaceNames(inputs: PreparedInput[], given: AuditOptions): string[] {
  const { policies, known } = auditPolicies(inputs, given);
  const workloadNamespaces = new Set<string>();
  for (const i of inputs) for (const ns of i.workloads.namespaces()) workloadNamespaces.add(ns);
  for (const w of given.liveWorkloads ?? []) workloadNamespaces.add(w.namespace);
  return namespaceNames(policies, known, workloadNamespaces);
}

/** The report of prepared inputs (see prepareInput); may be called more than once on the same inputs. */
export function auditPrepared(inputs: PreparedInput[], given: AuditOptions): AuditReport {
  const opts = { ...given, pssVersion: given.pssVersion ?? LATEST };
  const { policies, known, warnings } = auditPolicies(inputs, opts);
  const exemptions = opts.rancher ? rancherExemptions(opts.rancherVersion) : undefined;
  if (opts.rancher && !exemptions) throw new RangeError(`unknown Rancher version ${JSON.stringify(opts.rancherVersion)}`);
  const namespaces = suggestNamespaces(
    policies.map((p) => ({ name: p.name, strict: p.strict, practical: p.practical, governs: p.governs })),
    {
      reading: opts.reading, knownNamespaces: known, namespaceLabels: opts.namespaceLabels, exempt: exemptions?.namespaces,
      workloads: heldWorkloads(inputs.map((i) => i.workloads), opts.liveWorkloads), version: formatPolicyVersion(opts.pssVersion),
    },
  );
  if (policies.some((p) => p.governs.includes(ALL_NAMESPACES))) {
    warnings.push('a PSP is usable in every namespace (cluster-wide grant): its level applies to namespaces not listed here too');
  }

  const rancherPspValues = inputs
    .filter((i) => i.release && cattlePspEnabled(i.values))
    .map((i) => ({ namespace: i.namespace || DEFAULT_NAMESPACE, release: i.release as string, hint: rancherHint(i.namespace || DEFAULT_NAMESPACE, i.release as string) }));

  return {
    reading: opts.reading,
    kubeVersion: opts.kubeVersion ?? null,
    pssVersion: formatPolicyVersion(opts.pssVersion),
    rancher: exemptions ? { version: exemptions.version, source: exemptions.source } : null,
    policies,
    namespaces,
    rancherPspValues,
    workloads: new AllWorkloads(inputs.map((i) => i.workloads), opts.liveWorkloads),
    warnings,
  };
}

/** Each PodSecurityPolicy in a manifest stream with its level: for clean's output. */
export function pspLevelsInManifest(manifest: string, reading: Reading): PspLevel[] {
  return pspLevelsOf(parseManifest(manifest, DEFAULT_NAMESPACE, 'manifest').objects, reading);
}

/**
 * For clean: the workloads in a release's manifests that would fail `level` at the policy
 * version of a Kubernetes version, as "Kind name (check, ...)"; not evaluable ones included.
 */
export function workloadsFailing(manifests: string[], level: string, kubeVersion: string): string[] {
  const version = policyVersionForKube(kubeVersion);
  const pool = new ResultPool();
  const out: string[] = [];
  for (const m of manifests) {
    for (const w of workloadsInManifest(m, { release: null, namespace: DEFAULT_NAMESPACE, source: 'manifest', version, pool })) {
      if (w.strictest === null) out.push(`${w.kind} ${w.name} (not evaluable)`);
      else if (level === 'restricted' ? w.strictest !== 'restricted' : w.strictest === 'privileged') {
        const ids = [...new Set(w.violations[level === 'restricted' ? 'restricted' : 'baseline'].map((v) => v.check))];
        out.push(`${w.kind} ${w.name} (${ids.join(', ')})`);
      }
    }
  }
  return out;
}
