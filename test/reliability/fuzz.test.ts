// The fuzz properties with a fixed seed and a bounded number of cases, in every `npm test`.
// The long run: `npm run fuzz -- --seed <n> --runs <n>` (scripts/fuzz.ts).
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { PROPERTIES } from './fuzz-properties.js';
import { tally } from './tally.js';

const SEED = 20261126;
const RUNS: Record<string, number> = {
  'codec round trip (unknown fields kept)': 500,
  'codec: garbage input -> only CodecError': 500,
  'mapfile parser -> only MapfileError': 1000,
  'rewriter: unmatched documents byte-identical': 1000,
  'rewriter: junk input -> only ManifestParseError': 1000,
  'plan: releases with odd field types -> only ManifestParseError': 500,
};

describe('fuzz (fixed seed)', () => {
  for (const [name, prop] of Object.entries(PROPERTIES)) {
    it(`${name}: ${RUNS[name]} cases, seed ${SEED}`, () => {
      fc.assert(prop(), { seed: SEED, numRuns: RUNS[name] });
      tally('fuzz', name, { runs: RUNS[name], lost: 0, outcome: 'property holds' });
    });
  }
});
