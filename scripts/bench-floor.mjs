// The floor of a batch run, for `npm run bench` (bench-only code, not part of psa-clean):
// the requests a psa-clean run made, made again in the same order and at the same
// concurrency, each body decoded completely, and nothing else. What psa-clean spends above
// this is its own work (planning, rewriting, diffs, the report); below it nothing can go
// without reading less.
//
//   node scripts/bench-floor.mjs SERVER_URL PLAN_FILE [CONCURRENCY]
//
// PLAN_FILE (written by scripts/bench.ts from kube-sim's request log of a psa-clean run):
//   { "listPath": "/api/v1/secrets", "listQuery": {...}, "accept": "...",
//     "gets": { "<namespace>/<release>": ["/api/v1/namespaces/.../secrets/<key>", ...] },
//     "extra": [{ "path", "query", "accept" }, ...] }   (other GETs: replayed last)
// The reader lists page by page (metadata only, as psa-clean does), hands each namespace's
// releases (sorted by name, as psa-clean orders them) to CONCURRENCY workers as the listing
// leaves the namespace, waits while 2 x CONCURRENCY (at least 16) releases are queued, and
// each worker GETs that release's recorded paths one after another. A body is decoded as
// Helm's Secret driver stores it: JSON object -> data.release (base64) -> Helm's base64 text
// -> gzip -> JSON.parse of the release. Prints one JSON line of counts to stdout.
// Plain JavaScript on purpose: no loader or compile step is timed with it.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const [server, planFile, concArg] = process.argv.slice(2);
if (!server || !planFile) {
  process.stderr.write('usage: node scripts/bench-floor.mjs SERVER_URL PLAN_FILE [CONCURRENCY]\n');
  process.exit(2);
}
const plan = JSON.parse(readFileSync(planFile, 'utf8'));
const concurrency = Math.max(1, Number(concArg ?? 8));
const base = new URL(server);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function get(path, accept) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname: base.hostname, port: base.port, path, method: 'GET', agent, headers: { Accept: accept ?? 'application/json', 'User-Agent': 'psa-clean-floor' } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`GET ${path}: HTTP ${res.statusCode}`))));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const counts = { listPages: 0, listed: 0, releases: 0, gets: 0, bodyBytes: 0, jsonBytes: 0 };

/** One stored record, decoded completely. */
function decodeRecord(body) {
  const obj = JSON.parse(body.toString('utf8'));
  const helmText = Buffer.from(obj.data.release, 'base64').toString('latin1');
  const bytes = Buffer.from(helmText, 'base64');
  const json = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  const release = JSON.parse(json.toString('utf8'));
  if (typeof release.name !== 'string') throw new Error('decoded body has no name');
  counts.jsonBytes += json.length;
  return release;
}

const queue = [];
let listed = false;
let wakeWorkers = [];
let wakeLister;
const high = Math.max(2 * concurrency, 16);

async function worker() {
  for (;;) {
    const t = queue.shift();
    if (!t) {
      if (listed) return;
      await new Promise((r) => wakeWorkers.push(r));
      continue;
    }
    if (queue.length < high && wakeLister) {
      const w = wakeLister;
      wakeLister = undefined;
      w();
    }
    for (const path of plan.gets[t] ?? []) {
      const body = await get(path);
      counts.gets++;
      counts.bodyBytes += body.length;
      decodeRecord(body);
    }
    counts.releases++;
  }
}

function wake() {
  const ws = wakeWorkers;
  wakeWorkers = [];
  for (const w of ws) w();
}

async function emit(releases) {
  queue.push(...[...releases].sort((a, b) => a.localeCompare(b)));
  wake();
  while (queue.length >= high) await new Promise((r) => (wakeLister = r));
}

async function list() {
  let cont;
  let current;
  let pending = new Set();
  for (;;) {
    const q = new URLSearchParams(plan.listQuery);
    if (cont) q.set('continue', cont);
    const page = JSON.parse((await get(`${plan.listPath}?${q}`, plan.accept)).toString('utf8'));
    counts.listPages++;
    for (const item of page.items) {
      const ns = item.metadata.namespace;
      if (ns !== current) {
        if (pending.size) await emit([...pending].map((n) => `${current}/${n}`));
        pending = new Set();
        current = ns;
      }
      pending.add(item.metadata.labels.name);
      counts.listed++;
    }
    cont = page.metadata?.continue;
    if (!cont) break;
  }
  if (pending.size) await emit([...pending].map((n) => `${current}/${n}`));
}

const workers = Array.from({ length: concurrency }, worker);
try {
  await list();
} finally {
  listed = true;
  wake();
}
await Promise.all(workers);
// Other reads of the run (an audit's RBAC and namespace lists), after the records, as there.
for (const x of plan.extra ?? []) {
  const q = new URLSearchParams(x.query);
  JSON.parse((await get(`${x.path}${q.size ? `?${q}` : ''}`, x.accept)).toString('utf8'));
  counts.gets++;
}
agent.destroy();
process.stdout.write(`${JSON.stringify(counts)}\n`);
