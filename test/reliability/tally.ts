// Counts for the scenario table in docs/reliability.md: with PSA_RELIABILITY_TALLY=<file>
// each scenario appends one JSON line {suite, scenario, runs, lost}; otherwise a no-op.
// `node --import tsx test/reliability/tally.ts <file>` prints the table.
import { appendFileSync, readFileSync } from 'node:fs';

export function tally(suite: string, scenario: string, n: { runs: number; lost: number; outcome?: string }): void {
  const file = process.env.PSA_RELIABILITY_TALLY;
  if (file) appendFileSync(file, JSON.stringify({ suite, scenario, ...n }) + '\n');
}

if (process.argv[1]?.endsWith('tally.ts') && process.argv[2]) {
  const rows = new Map<string, { runs: number; lost: number; outcomes: Set<string> }>();
  for (const line of readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean)) {
    const e = JSON.parse(line) as { suite: string; scenario: string; runs: number; lost: number; outcome?: string };
    const k = `${e.suite} | ${e.scenario}`;
    const r = rows.get(k) ?? { runs: 0, lost: 0, outcomes: new Set<string>() };
    r.runs += e.runs;
    r.lost += e.lost;
    if (e.outcome) r.outcomes.add(e.outcome);
    rows.set(k, r);
  }
  for (const [k, r] of [...rows].sort()) console.log(`| ${k} | ${r.runs} | ${[...r.outcomes].join('; ')} | ${r.lost} |`);
}
