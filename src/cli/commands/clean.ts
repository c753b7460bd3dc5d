// `helm psa-clean [RELEASE...]` (the default command): wiring only. Flags and HELM_* settings
// become typed options; the storage driver, mapping table, target version, clock, backups
// and signals are set up here and handed to src/clean.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { ExitError } from '../io.js';
import { EXIT } from '../exit-codes.js';
import {
  addMapfileOptions, addOutputOption, collect, parseDuration, parseNonNegativeInt, parsePositiveInt,
  settingsOrExit, storageConfigFrom, useColor, type OutputFormat,
} from '../options.js';
import type { BackupSession } from '../../clean/index.js';
import type { Reading } from '../../audit/index.js';
import type { RenderOptions } from '../../report/render-types.js';
import type { ReleaseOutcome, TargetInfo } from '../../report/model.js';
import { diffLabels } from '../../report/labels.js';
import { VERSION } from '../../version.js';
import { paceHeapGrowth } from '../heap.js';

interface CleanFlags {
  dryRun?: boolean;
  allNamespaces?: boolean;
  namespaceInclude?: string[];
  namespaceExclude?: string[];
  releaseInclude?: string[];
  releaseExclude?: string[];
  selector?: string;
  force?: boolean;
  allRevisions?: boolean;
  kubeVersion?: string;
  mapfile?: string;
  extraMapfile?: string[];
  output: OutputFormat;
  detailedExitcode?: boolean;
  showSecrets?: boolean;
  summary?: boolean;
  context: number;
  concurrency: number;
  timeout?: number;
  backupDir?: string;
  backup: boolean;
  pspReading: string;
}

export function registerClean(program: Command, io: CliIo): void {
  const cmd = program
    .command('clean', { isDefault: true })
    .description('repair releases: rewrite removed APIs in stored manifests and hooks as a new revision (default command)')
    .argument('[releases...]', 'release names (namespace from -n / HELM_NAMESPACE)')
    .option('--dry-run', 'show a unified diff of the repair; write nothing')
    .option('-A, --all-namespaces', 'every release in every namespace')
    .option('--namespace-include <glob>', 'only namespaces matching this glob (repeatable; implies -A without release names)', collect)
    .option('--namespace-exclude <glob>', 'skip namespaces matching this glob (repeatable)', collect)
    .option('--release-include <glob>', 'only releases matching this glob (repeatable)', collect)
    .option('--release-exclude <glob>', 'skip releases matching this glob (repeatable)', collect)
    .option('-l, --selector <selector>', 'only releases whose labels match (e.g. team=a,tier!=db)')
    .option('--force', 'also repair releases whose latest revision is pending-install/upgrade/rollback')
    .option('--all-revisions', 'also rewrite older revisions in place, so helm rollback to them works')
    .option('--kube-version <version>', 'target Kubernetes version (default: the cluster\'s /version); rewrites before the cluster removes an API');
  addMapfileOptions(cmd);
  addOutputOption(cmd);
  cmd
    .option('--detailed-exitcode', 'exit 2 when releases were (or with --dry-run would be) changed, 0 when nothing to change, 1 on errors')
    .option('--summary', 'text output: only one plan line per release, the PodSecurityPolicy level lines and the totals (no findings or diffs)')
    .option('--show-secrets', 'show data of Secret documents in diffs (redacted by default)')
    .option('-C, --context <lines>', 'context lines in diffs', parseNonNegativeInt, 3)
    .option('--concurrency <n>', 'releases processed at once', parsePositiveInt, 8)
    .option('--timeout <duration>', 'time limit for the whole run (e.g. 5m); releases not reached are reported as skipped', parseDuration)
    .option('--backup-dir <dir>', 'where to save the records a run replaces (default $HELM_DATA_HOME/psa-clean/backups/<time>)')
    .option('--no-backup', 'write without saving the replaced records first (restore is then impossible)')
    .option('--psp-reading <reading>', 'PodSecurityPolicy -> Pod Security Standards reading: practical or strict', 'practical')
    .action(async (releases: string[], flags: CleanFlags) => {
      const code = await cleanAction(releases, flags, io);
      if (code !== EXIT.OK) throw new ExitError(code);
    });
}

/** What a run needs, loaded on first use: `--help` and the other commands never compile it. */
async function loadRun() {
  const [clean, apply, storage, mapping, manifest, audit, pspValues, diff, text, machine, progress, exitCode, output] = await Promise.all([
    import('../../clean/index.js'), import('../../clean/apply.js'), import('../../storage/index.js'),
    import('../../mapping/index.js'), import('../../manifest/index.js'), import('../../audit/index.js'), import('../../audit/psp-values.js'),
    import('../../report/diff.js'), import('../../report/text.js'), import('../../report/machine.js'),
    import('../../report/progress.js'), import('../../report/exit-code.js'), import('../output.js'),
  ]);
  return {
    BackupSession: clean.BackupSession, backupDirName: clean.backupDirName, runCleanReport: clean.runCleanReport, SelectorError: clean.SelectorError,
    parseSelector: clean.parseSelector, describeError: apply.describeError, openDriver: storage.openDriver, fetchServerVersion: storage.fetchServerVersion,
    loadMappingTable: mapping.loadMappingTable, parseKubeVersion: mapping.parseKubeVersion, rewriteManifest: manifest.rewriteManifest,
    pspLevelsInManifest: audit.pspLevelsInManifest, pspLevelsInValue: pspValues.pspLevelsInValue, workloadsFailing: audit.workloadsFailing, isReading: audit.isReading, renderUnifiedDiff: diff.renderUnifiedDiff, textChunks: text.textChunks,
    jsonChunks: machine.jsonChunks, yamlChunks: machine.yamlChunks, progressReporter: progress.progressReporter, cleanExitCode: exitCode.cleanExitCode,
    writeChunks: output.writeChunks,
  };
}

async function cleanAction(releases: string[], raw: CleanFlags, io: CliIo): Promise<number> {
  const {
    BackupSession, backupDirName, runCleanReport, SelectorError, parseSelector, describeError, openDriver, fetchServerVersion,
    loadMappingTable, parseKubeVersion, rewriteManifest, pspLevelsInManifest, pspLevelsInValue, workloadsFailing, isReading, renderUnifiedDiff, textChunks,
    jsonChunks, yamlChunks, progressReporter, cleanExitCode, writeChunks,
  } = await loadRun();
  await paceHeapGrowth();
  // Repeatable flags have no default (commander would print "(default: [])" in --help).
  const flags = {
    ...raw,
    namespaceInclude: raw.namespaceInclude ?? [],
    namespaceExclude: raw.namespaceExclude ?? [],
    releaseInclude: raw.releaseInclude ?? [],
    releaseExclude: raw.releaseExclude ?? [],
    extraMapfile: raw.extraMapfile ?? [],
  };
  const log = (line: string) => io.stderr.write(`psa-clean: ${line}\n`);
  const settings = settingsOrExit(io);
  const allNamespaces = Boolean(flags.allNamespaces) || (releases.length === 0 && (flags.namespaceInclude.length > 0 || flags.namespaceExclude.length > 0));
  if (releases.length === 0 && !allNamespaces && !flags.selector && flags.releaseInclude.length === 0) {
    throw new ExitError(EXIT.USAGE, 'name one or more releases, or use -A/--all-namespaces (see --help)');
  }
  if (flags.selector) {
    try {
      parseSelector(flags.selector);
    } catch (e) {
      if (e instanceof SelectorError) throw new ExitError(EXIT.USAGE, e.message);
      throw e;
    }
  }
  // An error rather than ignored: a script asking for both expects something it would not get.
  if (flags.summary && flags.output !== 'text') {
    throw new ExitError(EXIT.USAGE, `--summary shortens the text output only; -o ${flags.output} always carries every detail (drop --summary)`);
  }
  if (!isReading(flags.pspReading)) throw new ExitError(EXIT.USAGE, '--psp-reading must be practical or strict');
  const reading = flags.pspReading as Reading;

  let table;
  try {
    table = await loadMappingTable({
      builtinDir: join(io.pluginRoot, 'mapfiles'),
      ...(flags.mapfile ? { mapfile: resolve(io.cwd, flags.mapfile) } : {}),
      extraMapfiles: flags.extraMapfile.map((f) => resolve(io.cwd, f)),
      warn: (m) => log(`warning: ${m}`),
    });
  } catch (e) {
    throw new ExitError(EXIT.ERROR, (e as Error).message);
  }

  const storage = storageConfigFrom(settings, settings.debug ? (l) => log(l) : undefined);
  let target: TargetInfo;
  let targetVersion;
  try {
    if (flags.kubeVersion) {
      targetVersion = parseKubeVersion(flags.kubeVersion);
      target = { version: flags.kubeVersion, source: 'flag', preClean: true };
    } else {
      const v = await fetchServerVersion(storage);
      targetVersion = parseKubeVersion(v);
      target = { version: v, source: 'cluster', preClean: false };
    }
  } catch (e) {
    throw new ExitError(EXIT.ERROR, `cannot determine the target Kubernetes version: ${describeError(e)} (use --kube-version to give it)`);
  }

  let driver;
  try {
    driver = await openDriver(storage);
  } catch (e) {
    throw new ExitError(EXIT.ERROR, describeError(e));
  }

  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  if (flags.timeout && flags.timeout > 0) {
    timer = setTimeout(() => controller.abort('timeout'), flags.timeout);
  }
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    log(`${sig} received: finishing the releases in flight, starting no new ones`);
    controller.abort(sig);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const dryRun = Boolean(flags.dryRun);
  const now = () => new Date();
  let backup: BackupSession | undefined;
  if (!dryRun && flags.backup) {
    const dir = flags.backupDir
      ? resolve(io.cwd, flags.backupDir)
      : join(settings.dataHome, 'psa-clean', 'backups', backupDirName(now(), (await import('node:crypto')).randomBytes(3).toString('hex')));
    if (existsSync(join(dir, 'manifest.json'))) {
      await driver.close().catch(() => undefined);
      throw new ExitError(EXIT.ERROR, `${dir} already holds a backup; choose another --backup-dir (restore needs each run's backup on its own)`);
    }
    backup = new BackupSession(dir, { tool: `psa-clean ${VERSION}`, createdAt: now().toISOString(), driver: driver.kind });
  } else if (!dryRun) {
    log('warning: --no-backup: the replaced records are not saved; restore will not be possible');
  }

  const progress = progressReporter(io.stderr, dryRun);
  let result;
  try {
    result = await runCleanReport(
      {
        releases,
        namespace: settings.namespace,
        allNamespaces,
        namespaceInclude: flags.namespaceInclude,
        namespaceExclude: flags.namespaceExclude,
        releaseInclude: flags.releaseInclude,
        releaseExclude: flags.releaseExclude,
        ...(flags.selector ? { selector: flags.selector } : {}),
        dryRun,
        force: Boolean(flags.force),
        allRevisions: Boolean(flags.allRevisions),
        concurrency: flags.concurrency,
      },
      {
        driver,
        planCtx: { table, target: targetVersion, preClean: target.preClean, rewrite: rewriteManifest },
        now,
        ...(backup ? { backup } : {}),
        signal: controller.signal,
        pspLevels: (manifest) =>
          pspLevelsInManifest(manifest, reading).map((p) => ({
            name: p.name,
            level: p.level,
            reasons: p.reasons.map((r) => `${r.field}: ${r.detail}`),
          })),
        pspLevelsInValue: (value) =>
          pspLevelsInValue(value, reading).map((p) => ({
            name: p.name,
            level: p.level,
            reasons: p.reasons.map((r) => `${r.field}: ${r.detail}`),
          })),
        workloadsFailing: (manifests, level) => workloadsFailing(manifests, level, `v${targetVersion.major}.${targetVersion.minor}`),
        onProgress: (p) => progress.update(p),
        // Render each diff when its release is done and drop the two texts: a dry run of
        // thousands of releases otherwise holds every changed manifest twice until the end
        // (bench 2000 x 10: 596 changed releases, ~94 MB of text).
        ...(dryRun ? { onOutcome: (out: ReleaseOutcome) => {
          for (const c of out.changes) {
            // --summary prints no diff: render none.
            if (!flags.summary) c.rendered = renderUnifiedDiff({
              oldText: c.before, newText: c.after, ...diffLabels(out, c), showSecrets: Boolean(flags.showSecrets), context: flags.context,
              color: flags.output === 'text' && useColor(io.stdout, settings.noColor),
            });
            c.before = '';
            c.after = '';
          }
        } } : {}),
      },
      { target, driver: driver.kind },
    );
  } catch (e) {
    throw new ExitError(EXIT.ERROR, describeError(e));
  } finally {
    progress.end();
    if (timer) clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await driver.close().catch(() => undefined);
  }

  const renderOpts: RenderOptions = {
    renderDiff: renderUnifiedDiff,
    color: useColor(io.stdout, settings.noColor),
    showSecrets: Boolean(flags.showSecrets),
    diffs: dryRun && !flags.summary,
    context: flags.context,
    summary: Boolean(flags.summary),
  };
  // Written release by release: the report of thousands of releases is never one string, and
  // waits for a slow reader (`| less`) instead of queueing the rest in memory (output.ts).
  const chunks = flags.output === 'json' ? jsonChunks : flags.output === 'yaml' ? yamlChunks : textChunks;
  await writeChunks(io.stdout, chunks(result, renderOpts));
  if (result.interrupted === 'SIGINT') return 130;
  if (result.interrupted === 'SIGTERM') return 143;
  return cleanExitCode(result, Boolean(flags.detailedExitcode));
}
