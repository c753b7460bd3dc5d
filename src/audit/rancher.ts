// Rancher specifics (psp-to-pss.md §5): the namespaces the rancher-restricted template exempts
// (shipped as versioned data in data/, bundled into dist/cli.js), and releases whose values
// would make Rancher charts render PSPs again on the next upgrade.
import exemptions from './data/rancher-restricted-exemptions.json' with { type: 'json' };
import type { Obj } from './parse.js';

// Local, not parse.ts's: importing parse.ts would load the YAML parser at every CLI start
// (audit --help lists rancherVersions()).
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

export interface RancherExemptions {
  version: string;
  source: string;
  namespaces: ReadonlySet<string>;
}

export const RANCHER_PSP_HINT = '--set global.cattle.psp.enabled=false';

type ExemptionData = {
  default: string;
  versions: Record<string, { source: string; namespaces: string[] }>;
  aliases: Record<string, string>;
};
const DATA = exemptions as ExemptionData;

/** Versions the data knows, aliases included (for --rancher-version help and errors). */
export function rancherVersions(): string[] {
  return [...Object.keys(DATA.versions), ...Object.keys(DATA.aliases)];
}

/** The exemption list for a Rancher version (`v2.14`, `2.9`, ...); undefined if unknown. */
export function rancherExemptions(version?: string): RancherExemptions | undefined {
  let v = version === undefined ? DATA.default : version.startsWith('v') ? version : `v${version}`;
  v = v.replace(/^(v\d+\.\d+)\..*$/, '$1'); // v2.9.3 -> v2.9
  v = DATA.aliases[v] ?? v;
  const entry = DATA.versions[v];
  if (!entry) return undefined;
  return { version: v, source: entry.source, namespaces: new Set(entry.namespaces) };
}

/** True when the values set `global.cattle.psp.enabled: true` (Rancher charts then render PSPs). */
export function cattlePspEnabled(values: unknown): boolean {
  const enabled = obj(obj(obj(obj(values).global).cattle).psp).enabled;
  return enabled === true || enabled === 'true';
}
