// The long fuzz run over the properties of test/reliability/fuzz-properties.ts (the CI run
// uses a fixed seed and a few hundred cases each; this one takes many more).
//   npm run fuzz -- [--seed N] [--runs N] [--only <substring>]
// Default: a random seed (printed, so a failure can be replayed with --seed) and 20,000
// cases per property. Exit 1 on the first property that fails, with fast-check's
// counterexample and the seed/path to replay it.
import fc from 'fast-check';
import { PROPERTIES } from '../test/reliability/fuzz-properties.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seed = flag('seed') !== undefined ? Number(flag('seed')) : Math.floor(Math.random() * 2 ** 31);
const runs = flag('runs') !== undefined ? Number(flag('runs')) : 20_000;
const only = flag('only');
if (!Number.isInteger(seed) || !Number.isInteger(runs) || runs < 1) {
  console.error('usage: npm run fuzz -- [--seed N] [--runs N] [--only <substring>]');
  process.exit(2);
}

console.log(`fuzz: seed ${seed}, ${runs} cases per property`);
let failed = false;
for (const [name, prop] of Object.entries(PROPERTIES)) {
  if (only && !name.includes(only)) continue;
  const started = Date.now();
  const res = fc.check(prop(), { seed, numRuns: runs });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (res.failed) {
    failed = true;
    console.log(`FAIL  ${name} after ${res.numRuns} cases (${secs} s)`);
    console.log(fc.defaultReportMessage(res));
  } else {
    console.log(`ok    ${name}: ${res.numRuns} cases (${secs} s)`);
  }
}
process.exit(failed ? 1 : 0);
