// node scripts/cpu-profile-inclusive.mjs FILE.cpuprofile [N]: inclusive (total) time by
// function, source-mapped like cpu-profile-top.mjs; recursion counted once per sample.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

const [file, n = '40'] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const maps = new Map();
function where(cf) {
  if (!cf.url) return cf.functionName || '(anonymous)';
  let loc = `${cf.url.replace(/^.*\//, '')}:${cf.lineNumber + 1}`;
  if (cf.url.startsWith('file:')) {
    if (!maps.has(cf.url)) {
      const path = `${fileURLToPath(cf.url)}.map`;
      maps.set(cf.url, existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8'))) : null);
    }
    const e = maps.get(cf.url)?.findEntry(cf.lineNumber, cf.columnNumber);
    if (e?.originalSource) loc = `${e.originalSource.replace(/^.*node_modules\//, '').replace(/^(\.\.\/)+/, '')}:${e.originalLine + 1}`;
  }
  return `${cf.functionName || '(anonymous)'} ${loc}`;
}
const byId = new Map(prof.nodes.map((x) => [x.id, x]));
const parent = new Map();
for (const x of prof.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const keyOf = new Map(prof.nodes.map((x) => [x.id, where(x.callFrame)]));
const dt = new Map();
prof.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
const incl = new Map();
let total = 0;
for (const [id, us] of dt) {
  total += us;
  const seen = new Set();
  for (let p = id; p !== undefined; p = parent.get(p)) seen.add(keyOf.get(p));
  for (const k of seen) incl.set(k, (incl.get(k) ?? 0) + us);
}
console.log(`total ${(total / 1e6).toFixed(2)} s sampled`);
for (const [k, us] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) console.log(`${(us / 1e3).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`);
