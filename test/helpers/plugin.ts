// Lays out an installable plugin folder from the built checkout (plugin.yaml, dist/,
// mapfiles/, completion.yaml, scripts/install-hook.sh) and installs it into a HelmEnv.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';
import type { HelmEnv } from './helm-env.js';

export const PLUGIN_FILES = ['plugin.yaml', 'completion.yaml', 'dist', 'mapfiles', 'scripts/install-hook.sh'];

/** Copies the plugin's runtime files (no node_modules) into `dest`. */
export function layOutPlugin(dest: string): string {
  mkdirSync(dest, { recursive: true });
  for (const f of PLUGIN_FILES) {
    const src = join(REPO_ROOT, f);
    if (existsSync(src)) cpSync(src, join(dest, f), { recursive: true });
  }
  return dest;
}

/** Installs the built plugin into the environment from a copy outside the repository. */
export async function installBuiltPlugin(h: HelmEnv): Promise<void> {
  const dir = layOutPlugin(join(h.root, 'plugin-src', 'psa-clean'));
  const r = await h.installPlugin(dir);
  if (r.code !== 0) throw new Error(`helm plugin install failed (${r.code}): ${r.stderr}${r.stdout}`);
}
