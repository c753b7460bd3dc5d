// Option parsing shared by the commands that read release storage or mapfiles: output
// formats, repeatable flags, durations, counts, and the HELM_* settings -> StorageConfig map.
import { InvalidArgumentError, type Command } from 'commander';
import { readHelmSettings, SettingsError, type HelmSettings } from './settings.js';
import { ExitError, type CliIo } from './io.js';
import { EXIT } from './exit-codes.js';
import type { StorageConfig } from '../storage/config.js';
import { CLIENT_GO_DEFAULT_BURST, TokenBucket, type RequestLimiter } from '../storage/kube/rate-limit.js';

export type OutputFormat = 'text' | 'json' | 'yaml';

export function parseOutputFormat(v: string): OutputFormat {
  if (v === 'text' || v === 'json' || v === 'yaml') return v;
  throw new InvalidArgumentError('must be text, json or yaml');
}

/** Commander reducer for repeatable flags (also accepts comma-separated values). */
export function collect(v: string, prev: string[] = []): string[] {
  return [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];
}

/** Commander reducer for repeatable flags whose values may contain commas (file paths). */
export function collectRaw(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

export function parsePositiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

export function parseNonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go-style durations as Helm takes them: "300ms", "30s", "5m", "1h30m", "5m0s"; a bare number is seconds; 0 = none. */
export function parseDuration(v: string): number {
  const text = v.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    pos = re.lastIndex;
  }
  if (pos !== text.length || text.length === 0) throw new InvalidArgumentError('must be a duration like 30s, 5m or 1h30m');
  return Math.round(total);
}

/** --mapfile / --extra-mapfile, for every command that loads the mapping table. */
export function addMapfileOptions(cmd: Command): Command {
  return cmd
    .option('--mapfile <file>', 'use this mapfile instead of the built-in mappings (helm-mapkubeapis format accepted)')
    .option('--extra-mapfile <file>', 'merge this mapfile over the mappings; repeatable, later files win', collectRaw);
}

export function addOutputOption(cmd: Command): Command {
  return cmd.option('-o, --output <format>', 'output format: text, json or yaml', parseOutputFormat, 'text' as OutputFormat);
}

const limiters = new WeakMap<HelmSettings, RequestLimiter | undefined>();

/**
 * Helm's client-side throttling (HELM_QPS, HELM_BURST_LIMIT) as one token bucket per command
 * run, whatever number of storage configs it builds: Helm's rest config semantics, where a
 * burst of 0 means client-go's default of 10. At HELM_QPS <= 0 (Helm's default 0.00) there is
 * no bucket: requests are bounded by concurrency only.
 */
export function requestLimiter(s: HelmSettings): RequestLimiter | undefined {
  if (!limiters.has(s)) limiters.set(s, s.qps > 0 ? new TokenBucket(s.qps, s.burstLimit === 0 ? CLIENT_GO_DEFAULT_BURST : s.burstLimit) : undefined);
  return limiters.get(s);
}

/** Helm's connection settings (HELM_* variables) as the storage layer takes them. */
export function storageConfigFrom(s: HelmSettings, log?: (line: string) => void): StorageConfig {
  const limiter = requestLimiter(s);
  return {
    driver: s.driver,
    ...(s.kubeconfig ? { kubeconfig: s.kubeconfig } : {}),
    ...(s.kubeContext ? { kubeContext: s.kubeContext } : {}),
    ...(s.kubeApiServer ? { kubeApiServer: s.kubeApiServer } : {}),
    ...(s.kubeToken ? { kubeToken: s.kubeToken } : {}),
    ...(s.kubeCaFile ? { kubeCaFile: s.kubeCaFile } : {}),
    kubeInsecureSkipTlsVerify: s.kubeInsecureSkipTlsVerify,
    ...(s.kubeTlsServerName ? { kubeTlsServerName: s.kubeTlsServerName } : {}),
    ...(s.kubeAsUser ? { kubeAsUser: s.kubeAsUser } : {}),
    ...(s.kubeAsGroups.length ? { kubeAsGroups: s.kubeAsGroups } : {}),
    ...(s.sqlConnectionString ? { sqlConnectionString: s.sqlConnectionString } : {}),
    ...(log ? { log } : {}),
    ...(limiter ? { limiter } : {}),
  };
}

/** Colour only on a TTY and never with NO_COLOR (https://no-color.org). */
export function useColor(stream: { isTTY?: boolean }, noColor: boolean): boolean {
  return Boolean(stream.isTTY) && !noColor;
}

/** Helm's settings from the environment; a bad HELM_DRIVER etc. ends the run with exit 1. */
export function settingsOrExit(io: CliIo): HelmSettings {
  try {
    return readHelmSettings(io.env);
  } catch (e) {
    if (e instanceof SettingsError) throw new ExitError(EXIT.ERROR, e.message);
    throw e;
  }
}
