// `helm psa-clean audit [RELEASE... | -A] [--manifest FILE|-]`: which Pod Security Standards
// level replaces each PodSecurityPolicy, who could use it, and how to label the namespaces.
// Read-only: it never writes to the cluster; the kubectl commands are printed, not run.
// --manifest is offline: no kubeconfig, no storage driver, no Kubernetes client is loaded.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { CliIo } from '../io.js';
import { ExitError } from '../io.js';
import { EXIT } from '../exit-codes.js';
import type { HelmSettings } from '../settings.js';
import { addOutputOption, settingsOrExit, storageConfigFrom, type OutputFormat } from '../options.js';
import { isReading } from '../../audit/levels.js';
import { cattlePspEnabled, rancherVersions } from '../../audit/rancher.js';
import type { auditPrepared as AuditPrepared, AuditInput, AuditReport, PreparedInput, Reading, Workload } from '../../audit/index.js';
import type { ReleaseHead } from '../../storage/driver.js';
import type { PolicyVersion } from '../../pss/index.js';
import { paceHeapGrowth } from '../heap.js';
import { writeChunks } from '../output.js';

const FETCH_CONCURRENCY = 8;

interface AuditFlags {
  allNamespaces?: boolean;
  kubeVersion?: string;
  reading: Reading;
  rancher?: boolean;
  rancherVersion?: string;
  manifest?: string;
  clusterRbac: boolean;
  output: OutputFormat;
  pssVersion?: string;
  live?: boolean;
  admissionConfig?: boolean;
}

/** 'latest' or 'vX.Y' (a leading v may be left out); checked against the engine before anything runs. */
async function parsePssVersion(v: string): Promise<PolicyVersion> {
  const { parsePolicyVersion } = await import('../../pss/index.js');
  try {
    return parsePolicyVersion(v.trim());
  } catch (e) {
    throw new ExitError(EXIT.USAGE, `--pss-version: ${(e as Error).message}`);
  }
}

function parseReading(v: string): Reading {
  if (isReading(v)) return v;
  throw new InvalidArgumentError('must be strict or practical');
}

function parseKubeVersion(v: string): string {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(v.trim());
  if (!m) throw new InvalidArgumentError('must be a Kubernetes version like 1.25 or v1.25.3');
  return `v${m[1]}.${m[2]}`;
}

/** What Pod Security Admission does on the target version (psp-to-pss.md §1). */
function kubeVersionNotes(v: string | undefined): string[] {
  if (!v) return [];
  const minor = Number(v.split('.')[1]);
  if (minor < 22) return [`Kubernetes ${v} has no Pod Security Admission: the namespace labels take effect only from 1.23 (1.22 with the PodSecurity feature gate)`];
  if (minor === 22) return [`Kubernetes ${v}: Pod Security Admission is alpha; the labels take effect only with the PodSecurity feature gate enabled`];
  if (minor >= 25) return [`Kubernetes ${v} no longer serves PodSecurityPolicy: until the namespaces are labelled, only the cluster's default Pod Security level applies`];
  return [];
}

function readStdin(io: CliIo): Promise<string> {
  return new Promise((res, rej) => {
    let data = '';
    io.stdin.setEncoding('utf8');
    io.stdin.on('data', (d: string) => (data += d));
    io.stdin.on('end', () => res(data));
    io.stdin.on('error', rej);
  });
}

async function offlineInputs(io: CliIo, file: string): Promise<AuditInput[]> {
  let manifest: string;
  try {
    manifest = file === '-' ? await readStdin(io) : readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (e) {
    throw new ExitError(EXIT.ERROR, `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  // Objects without metadata.namespace belong to the namespace Helm would install them in.
  const ns = io.env.HELM_NAMESPACE || 'default';
  return [{ namespace: ns, manifest }];
}

interface ClusterInputs {
  inputs: PreparedInput[];
  warnings: string[];
  missing: string[];
}

async function clusterInputs(io: CliIo, settings: HelmSettings, releases: string[], all: boolean, pssVersion: () => Promise<PolicyVersion>): Promise<ClusterInputs> {
  // Loaded here, not at the top: --manifest must not load the storage backends.
  const { openDriver, isStorageError } = await import('../../storage/index.js');
  const { selectRevision } = await import('../../helm/select.js');
  const { auditedDocuments, inputWorkloads, prepareInput, hookSource, own, ResultPool } = await import('../../audit/index.js');
  const pool = new ResultPool();
  await paceHeapGrowth();
  const log = (l: string) => io.stderr.write(`psa-clean: ${l}\n`);
  const driver = await openDriver(storageConfigFrom(settings, settings.debug ? log : undefined));
  const out: ClusterInputs = { inputs: [], warnings: [], missing: [] };
  try {
    const heads = new Map<string, ReleaseHead[]>();
    const chosen: Array<{ key: string; head: ReleaseHead } | undefined> = [];
    // Picks each release's revision and drops its heads. With a driver that lists namespace by
    // namespace this runs as the listing leaves each namespace, so what is held is one
    // namespace's heads, not the cluster's (100,000 records at 10,000 x 10).
    const choose = () => {
      for (const [key, hs] of [...heads.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
        // Read-only, so a pending latest revision does not stop the audit: use what Helm would
        // build from once the pending state is resolved, and say so.
        const sel = selectRevision(hs, { force: true });
        if (sel.kind !== 'use') {
          out.warnings.push(`${key}: skipped, ${sel.reason}`);
          continue;
        }
        if (sel.head.revision !== sel.latest.revision || sel.latest.status.startsWith('pending')) out.warnings.push(`${key}: ${sel.reason}`);
        chosen.push({ key, head: sel.head });
      }
      heads.clear();
    };
    const collectHeads = async (opts: { namespace?: string; releaseName?: string }): Promise<void> => {
      let namespace: string | undefined;
      for await (const h of driver.listHeads(opts)) {
        if (isStorageError(h)) {
          out.warnings.push(h.message);
          continue;
        }
        if (driver.groupsByNamespace && namespace !== undefined && h.namespace !== namespace) choose();
        namespace = h.namespace;
        const k = `${h.namespace}/${h.name}`;
        const list = heads.get(k);
        if (list) list.push(h);
        else heads.set(k, [h]);
      }
    };
    if (all) await collectHeads({});
    else if (releases.length === 0) await collectHeads({ namespace: settings.namespace });
    else {
      for (const name of releases) {
        const before = heads.size;
        await collectHeads({ namespace: settings.namespace, releaseName: name });
        if (heads.size === before) out.missing.push(name);
      }
    }
    choose();
    chosen.sort((a, b) => (a!.key < b!.key ? -1 : a!.key > b!.key ? 1 : 0));
    const version = await pssVersion();
    // Bodies are fetched only for the chosen revisions, a few at a time, kept in order.
    const results: Array<PreparedInput | undefined> = new Array(chosen.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < chosen.length) {
        const i = next++;
        const { key, head } = chosen[i]!;
        // Dropped once taken: 10,000 heads with their labels are ~3 MB held to the end otherwise.
        chosen[i] = undefined;
        try {
          const { release } = await driver.get(head.namespace, head.name, head.revision);
          const hooks = Array.isArray(release.hooks) ? release.hooks : [];
          const manifest = typeof release.manifest === 'string' ? release.manifest : '';
          const hookManifests = hooks.map((h) => (h && typeof (h as { manifest?: unknown }).manifest === 'string' ? (h as { manifest: string }).manifest : ''));
          const hookSources = hooks.map((h) => own(hookSource(h)));
          // Workloads are evaluated here, as the record goes past; only the small results stay.
          const workloads = inputWorkloads({ release: head.name, namespace: head.namespace, manifest, hooks: hookManifests, hookSources }, version, pool);
          // The PSP and RBAC objects are parsed here too, from only the documents that may be
          // such objects; the record's text is dropped when this returns.
          results[i] = prepareInput(
            {
              release: head.name,
              namespace: head.namespace,
              manifest: auditedDocuments(manifest),
              hooks: hookManifests.map(auditedDocuments),
              hookSources,
              workloads,
              // Only the one value the audit reads is kept: release values may hold secrets.
              values: cattlePspEnabled(release.config) ? { global: { cattle: { psp: { enabled: true } } } } : undefined,
            },
            version,
            pool,
          );
        } catch (e) {
          out.warnings.push(`${key}: revision ${head.revision} skipped: ${(e as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, chosen.length) }, worker));
    out.inputs.push(...results.filter((r): r is PreparedInput => r !== undefined));
  } finally {
    await driver.close().catch(() => undefined);
  }
  return out;
}

export function registerAudit(program: Command, io: CliIo): void {
  const cmd = program
    .command('audit')
    .description(
      'report which Pod Security Standards level replaces each PodSecurityPolicy in stored releases (manifests and hooks), ' +
        'who could use it, whether every stored workload (and with --live every running pod) would be admitted, and the kubectl ' +
        'commands that label the namespaces for Pod Security Admission (printed, never run)',
    )
    .argument('[releases...]', 'release names (namespace from -n); none = every release in the namespace')
    .option('-A, --all-namespaces', 'every release in every namespace')
    .option('--manifest <file>', 'offline: audit a manifest stream (file, or - for stdin) instead of stored releases')
    .option('--reading <reading>', 'strict (every field literally) or practical (seLinux RunAsAny and a missing AppArmor annotation raise nothing, with a warning); drives the suggested namespace level', parseReading, 'practical' as Reading)
    .option('--kube-version <version>', 'target Kubernetes version: notes on Pod Security Admission and the default --pss-version (cluster mode: the server version)', parseKubeVersion)
    .option('--rancher', "list namespaces exempted by Rancher's rancher-restricted template as exempt instead of labelling them")
    .option('--rancher-version <version>', `Rancher docs version of the exemption list (${rancherVersions().join(', ')}); implies --rancher`)
    .option('--no-cluster-rbac', 'use only the RBAC objects in the audited manifests, not those in the cluster')
    .option('--pss-version <version>', 'Pod Security Standards policy version the workloads are checked at and the *-version labels pin: latest or vX.Y (default: the target Kubernetes version; latest offline without --kube-version)')
    .option('--live', 'also check the pods running in the audited namespaces and report the PodSecurityPolicy that admitted each (kubernetes.io/psp)')
    .option('--admission-config', "print the API server's AdmissionConfiguration for Pod Security Admission (defaults and exemptions from the verdicts) instead of the report");
  addOutputOption(cmd);
  cmd.action(async (releases: string[], flags: AuditFlags) => {
    // The audit engine (and its YAML parser) loads here, not at every start.
    const audit = await import('../../audit/index.js');
    const { policyVersionForKube, parsePolicyVersion } = await import('../../pss/index.js');
    const rancher = Boolean(flags.rancher || flags.rancherVersion);
    const explicitPss = flags.pssVersion !== undefined ? await parsePssVersion(flags.pssVersion) : undefined;
    if (flags.live && flags.manifest !== undefined) throw new ExitError(EXIT.USAGE, '--live reads the cluster; it cannot be combined with --manifest');
    const warnings: string[] = [];
    let inputs: PreparedInput[];
    let missing: string[] = [];
    let report: AuditReport;
    let kubeVersion = flags.kubeVersion;
    let pssVersion: PolicyVersion | undefined = explicitPss;
    const resolvePss = (): PolicyVersion => (pssVersion ??= kubeVersion ? policyVersionForKube(kubeVersion) : parsePolicyVersion('latest'));
    let liveWorkloads: Workload[] | undefined;
    let live: AuditReport['live'] = null;
    const base = { reading: flags.reading, rancher, rancherVersion: flags.rancherVersion };
    const run = (extra: Partial<Parameters<typeof AuditPrepared>[1]> = {}): AuditReport => {
      try {
        return audit.auditPrepared(inputs, { ...base, ...(kubeVersion ? { kubeVersion } : {}), pssVersion: resolvePss(), liveWorkloads, ...extra });
      } catch (e) {
        if (e instanceof RangeError) throw new ExitError(EXIT.USAGE, `${e.message}; known: ${rancherVersions().join(', ')}`);
        throw e;
      }
    };
    if (rancher && !audit.rancherExemptions(flags.rancherVersion)) {
      throw new ExitError(EXIT.USAGE, `unknown Rancher version ${JSON.stringify(flags.rancherVersion)}; known: ${rancherVersions().join(', ')}`);
    }

    if (flags.manifest !== undefined) {
      if (releases.length > 0 || flags.allNamespaces) throw new ExitError(EXIT.USAGE, '--manifest audits a manifest stream; give no release names and no -A with it');
      const pool = new audit.ResultPool();
      inputs = (await offlineInputs(io, flags.manifest)).map((i) => audit.prepareInput(i, resolvePss(), pool));
      report = run();
    } else {
      if (releases.length > 0 && flags.allNamespaces) throw new ExitError(EXIT.USAGE, 'give release names or -A, not both');
      const settings = settingsOrExit(io);
      const config = storageConfigFrom(settings, settings.debug ? (l) => io.stderr.write(`psa-clean: ${l}\n`) : undefined);
      // The policy version must be known before the first workload is evaluated: the server's
      // version is read (best effort) before the release bodies.
      const serverVersion = async (): Promise<PolicyVersion> => {
        if (!kubeVersion && !pssVersion) {
          // Best effort (with the SQL driver there may be no cluster at all): one retry at most.
          const { fetchServerVersion } = await import('../../storage/index.js');
          kubeVersion = await fetchServerVersion({ ...config, retries: 1 }).then(parseKubeVersion, () => undefined);
        }
        return resolvePss();
      };
      let got: ClusterInputs;
      try {
        got = await clusterInputs(io, settings, releases, Boolean(flags.allNamespaces), serverVersion);
      } catch (e) {
        throw new ExitError(EXIT.ERROR, (e as Error).message);
      }
      inputs = got.inputs;
      missing = got.missing;
      if (inputs.length === 0 && releases.length === 0) {
        warnings.push(flags.allNamespaces ? 'no Helm releases found in any namespace' : `no Helm releases found in namespace ${settings.namespace} (use -A for every namespace)`);
      }
      warnings.push(...got.warnings);
      await serverVersion();
      const { readClusterView, readLivePods } = await import('../../audit/cluster.js');
      const releaseNamespaces = [...new Set(inputs.map((i) => i.namespace as string))];
      if (flags.live) {
        const { attachLivePods, indexStored, ResultPool } = audit;
        const { LiveTally } = await import('../../audit/live.js');
        const stored = indexStored(audit.heldWorkloads(inputs.map((i) => i.workloads)));
        const pool = new ResultPool();
        const tally = new LiveTally();
        liveWorkloads = [];
        const auditedNs = flags.allNamespaces ? releaseNamespaces : [...new Set([settings.namespace, ...releaseNamespaces])];
        warnings.push(
          ...(await readLivePods(config, Boolean(flags.allNamespaces), auditedNs, (pods) => {
            for (const p of pods) tally.add(p);
            liveWorkloads!.push(...attachLivePods(pods, stored, resolvePss(), pool));
          })),
        );
        live = tally.summary();
      }
      const view = await readClusterView(config, releaseNamespaces, flags.clusterRbac, (rbacObjects) =>
        audit.auditNamespaceNames(inputs, { ...base, clusterObjects: rbacObjects, liveWorkloads }),
      );
      warnings.push(...view.notes);
      report = run({ clusterObjects: view.rbacObjects, namespaceLabels: view.namespaceLabels, knownNamespaces: view.allNamespaces });
    }
    report.live = live;
    report.warnings.push(...kubeVersionNotes(kubeVersion), ...warnings);
    if (flags.admissionConfig) {
      io.stdout.write(admissionConfigText(audit, report, kubeVersion, rancher ? audit.rancherExemptions(flags.rancherVersion)?.namespaces : undefined, flags.output));
      for (const w of report.warnings) io.stderr.write(`psa-clean: ${w}\n`);
    } else {
      await writeChunks(io.stdout, audit.renderReportChunks(report, flags.output));
    }
    if (missing.length > 0) {
      throw new ExitError(EXIT.ERROR, `release${missing.length > 1 ? 's' : ''} not found: ${missing.join(', ')}`);
    }
  });
}

function admissionConfigText(
  audit: typeof import('../../audit/index.js'),
  report: AuditReport,
  kubeVersion: string | undefined,
  exempt: Iterable<string> | undefined,
  format: OutputFormat,
): string {
  const kubeMinor = kubeVersion ? Number(kubeVersion.split('.')[1]) : undefined;
  let config;
  try {
    config = audit.admissionConfiguration({ namespaces: report.namespaces, version: report.pssVersion, kubeMinor, exempt });
  } catch (e) {
    throw new ExitError(EXIT.ERROR, (e as Error).message);
  }
  return format === 'json' ? JSON.stringify(config, null, 2) + '\n' : audit.yamlText(config);
}
