// Conformance of src/pss against Kubernetes' own fixture set: every
// test/testdata/{baseline,restricted}/vX.Y/{pass,fail}/*.yaml of kubernetes/pod-security-admission.
// A pass file must be allowed at its level and version; a fail file must be denied, and among
// the failing checks must be the one its name names (capabilities_baseline1.yaml:
// capabilities_baseline) or, at the restricted level, the restricted check that replaces it. A pod the engine cannot read
// counts as wrong either way.
//   node --import tsx scripts/pss-conformance.ts DIR [--verbose]
// DIR is a checkout of the repository or its git directory (then the fixtures are taken from
// HEAD with git archive into a temporary directory). The fixtures are not copied into this repo.
// Exit 0 when every file agrees, 1 otherwise, 2 on usage errors.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { checkPod, extractPod, parsePolicyVersion, PodShapeError } from '../src/pss/index.js';
import { ALL_CHECKS } from '../src/pss/registry.js';

const LEVELS = ['baseline', 'restricted'] as const;

function fixturesRoot(dir: string): { root: string; cleanup: () => void } {
  const inCheckout = join(dir, 'test', 'testdata');
  if (existsSync(inCheckout)) return { root: inCheckout, cleanup: () => {} };
  // A bare/mirror git directory: extract test/testdata from HEAD.
  const tmp = mkdtempSync(join(tmpdir(), 'pss-fixtures-'));
  const archive = execFileSync('git', ['-C', dir, 'archive', 'HEAD', 'test/testdata'], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', tmp], { input: archive });
  return { root: join(tmp, 'test', 'testdata'), cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

/** Fixture names are the check ID in lower case and a number. */
function expectedChecks(file: string, level: string): string[] {
  const named = ALL_CHECKS.find((c) => `${c.id.toLowerCase()}` === file.replace(/\d+\.yaml$/, ''));
  if (!named) return [];
  const replacing = level === 'restricted' ? ALL_CHECKS.filter((c) => c.versions.some((r) => r.overrides?.includes(named.id))) : [];
  return [named.id, ...replacing.map((c) => c.id)];
}

function verdict(file: string, level: (typeof LEVELS)[number], version: string): { denied: boolean; why: string } {
  const pod = extractPod(parse(readFileSync(file, 'utf8')));
  if (!pod) return { denied: false, why: 'not a pod' };
  try {
    const violations = checkPod(level, pod, parsePolicyVersion(version));
    const ids = violations.map((v) => v.check);
    const expected = expectedChecks(file.split('/').at(-1)!, level);
    if (ids.length > 0 && !ids.some((id) => expected.includes(id))) {
      return { denied: false, why: `not the named check: denied by ${ids.join(',')}` };
    }
    return { denied: ids.length > 0, why: ids.join(',') };
  } catch (err) {
    if (err instanceof PodShapeError) return { denied: false, why: `not evaluable: ${err.message}` };
    throw err;
  }
}

function main(): number {
  const dir = process.argv[2];
  const verbose = process.argv.includes('--verbose');
  if (!dir || !existsSync(dir)) {
    console.error('usage: node --import tsx scripts/pss-conformance.ts PATH-TO-pod-security-admission [--verbose]');
    return 2;
  }
  const { root, cleanup } = fixturesRoot(dir);
  let wrong = 0;
  try {
    for (const level of LEVELS) {
      const counts = { pass: { ok: 0, total: 0 }, fail: { ok: 0, total: 0 } };
      const versions = readdirSync(join(root, level)).filter((v) => /^v1\.\d+$/.test(v));
      for (const version of versions) {
        for (const expect of ['pass', 'fail'] as const) {
          const caseDir = join(root, level, version, expect);
          if (!existsSync(caseDir)) continue;
          for (const name of readdirSync(caseDir).filter((f) => f.endsWith('.yaml')).sort()) {
            const { denied, why } = verdict(join(caseDir, name), level, version);
            const right = denied === (expect === 'fail') && !why.startsWith('not ');
            counts[expect].total++;
            if (right) counts[expect].ok++;
            else {
              wrong++;
              console.error(`WRONG ${level}/${version}/${expect}/${name}: ${denied ? `denied (${why})` : why || 'allowed'}`);
            }
            if (verbose && right) console.error(`ok ${level}/${version}/${expect}/${name}${why ? ` (${why})` : ''}`);
          }
        }
      }
      const ok = counts.pass.ok + counts.fail.ok;
      const total = counts.pass.total + counts.fail.total;
      console.log(
        `${level}: ${ok}/${total} files agree (pass ${counts.pass.ok}/${counts.pass.total}, fail ${counts.fail.ok}/${counts.fail.total}) over ${versions.length} policy versions`,
      );
    }
  } finally {
    cleanup();
  }
  return wrong === 0 ? 0 : 1;
}

process.exitCode = main();
