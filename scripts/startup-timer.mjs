#!/usr/bin/env node
// Times process start-ups from a small parent process, for scripts/bench.ts.
//   node scripts/startup-timer.mjs '<json>'   json: { rounds, runs, commands: [{ name, cmd, args, env }] }
// Prints { "<name>": { "median": s, "min": s }, ... } (seconds) on stdout.
//
// Why a process of its own: spawning costs the parent time in proportion to its memory (the
// kernel copies its page tables), and the bench process holds the seeded store and kube-sim;
// timed from there, `node -e 0` measured 24-30 ms against 16-20 ms from a small parent, which
// made every ratio to it look better than it is. Rounds interleave the commands, so load from
// other work on the machine hits all alike; each run waits for the previous one.
import { spawnSync } from 'node:child_process';

const spec = JSON.parse(process.argv[2] ?? '');
const once = (c) => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c.cmd, c.args, { env: c.env, stdio: 'ignore' });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${c.cmd} ${c.args.join(' ')} exited ${r.status ?? r.signal}`);
  return s;
};
const samples = new Map(spec.commands.map((c) => [c.name, []]));
for (const c of spec.commands) {
  once(c);
  once(c);
}
for (let round = 0; round < spec.rounds; round++) {
  for (const c of spec.commands) for (let i = 0; i < spec.runs; i++) samples.get(c.name).push(once(c));
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const out = {};
for (const [name, xs] of samples) out[name] = { median: median(xs), min: Math.min(...xs) };
process.stdout.write(`${JSON.stringify(out)}\n`);
