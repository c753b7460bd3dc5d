// node scripts/cpu-profile-top.mjs FILE.cpuprofile [N]: self time by function, highest first
// (for docs/performance.md's profile table). Functions are keyed by name and source position;
// dist/ chunk names are shortened to their file name.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

// Minified dist/ names say little: map each frame to its TypeScript source through the
// bundle's source map when there is one.
const maps = new Map();
function original(cf) {
  if (!cf.url.startsWith('file:')) return undefined;
  if (!maps.has(cf.url)) {
    const path = `${fileURLToPath(cf.url)}.map`;
    maps.set(cf.url, existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8'))) : null);
  }
  const e = maps.get(cf.url)?.findEntry(cf.lineNumber, cf.columnNumber);
  return e?.originalSource ? `${e.originalSource.replace(/^.*node_modules\//, '').replace(/^(\.\.\/)+/, '')}:${e.originalLine + 1}` : undefined;
}

const [file, n = '25'] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const dt = new Map();
// timeDeltas[i] is the time before samples[i].
prof.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
const self = new Map();
let total = 0;
for (const node of prof.nodes) {
  const us = dt.get(node.id) ?? 0;
  total += us;
  const cf = node.callFrame;
  const where = cf.url ? original(cf) ?? `${cf.url.replace(/^.*\//, '')}:${cf.lineNumber + 1}` : '';
  const key = `${cf.functionName || '(anonymous)'} ${where}`.trim();
  self.set(key, (self.get(key) ?? 0) + us);
}
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(n));
console.log(`total ${(total / 1e6).toFixed(2)} s sampled`);
for (const [k, us] of rows) console.log(`${(us / 1e3).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`);
