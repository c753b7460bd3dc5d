// Reads release tarballs with the system tar (independent of scripts/tar.mjs, which wrote them),
// and runs the packaging scripts the way a maintainer does.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { run, type RunResult } from './helm-env.js';
import { REPO_ROOT } from './paths.js';

export interface TarEntry {
  path: string;
  mode: string;
  size: number;
}

/** Entries of a .tgz as `tar -tvzf` lists them (path without a trailing slash for folders). */
export async function listTarball(file: string): Promise<TarEntry[]> {
  const r = await run('tar', ['-tvzf', file], process.env);
  if (r.code !== 0) throw new Error(`tar -tvzf ${file}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      // -rwxr-xr-x 0/0     1006 2026-11-26 15:16 psa-clean/scripts/install-hook.sh
      const m = /^(\S+)\s+\S+\s+(\d+)\s+\S+\s+\S+\s+(.+)$/.exec(line);
      if (!m) throw new Error(`unexpected tar listing line: ${line}`);
      return { mode: m[1], size: Number(m[2]), path: m[3].replace(/\/$/, '') };
    });
}

/** Unpacks a .tgz into dest (created). */
export async function extractTarball(file: string, dest: string): Promise<void> {
  mkdirSync(dest, { recursive: true });
  const r = await run('tar', ['-xzf', file, '-C', dest], process.env);
  if (r.code !== 0) throw new Error(`tar -xzf ${file}: ${r.stderr}`);
}

/** `npm run -s <script> -- <args>` in the project root. */
export function npmRun(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  return run('npm', ['run', '-s', script, '--', ...args], env, undefined, REPO_ROOT);
}

export const pluginFolder = (dir: string) => join(dir, 'psa-clean');
