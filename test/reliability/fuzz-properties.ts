// fast-check properties shared by the CI fuzz tests (fixed seed, small runs) and
// scripts/fuzz.ts (the long run: `npm run fuzz -- --seed N --runs N`).
//   codec:     decode(encode(x)) deep-equals x for releases with unknown fields at every level;
//              decode(any text) throws nothing but CodecError
//   mapfile:   parseMapfile(any text / any YAML object / mutated valid files) throws nothing
//              but MapfileError
//   rewriter:  rewriteManifest(any stream) throws nothing but ManifestParseError, and every
//              document no mapping matches comes out byte for byte
import fc from 'fast-check';
import { join } from 'node:path';
import YAML from 'yaml';
import { CodecError, decodeRelease, encodeRelease } from '../../src/helm/codec.js';
import { MapfileError, loadMappingTable, parseKubeVersion, parseMapfile } from '../../src/mapping/index.js';
import { ManifestParseError, rewriteManifest } from '../../src/manifest/index.js';
import { buildNewRevision, planRelease } from '../../src/clean/plan.js';
import { REPO_ROOT } from '../helpers/paths.js';

/** JSON values as they come out of JSON.parse (no -0, no undefined). */
const json = (depth = 3) => fc.jsonValue({ maxDepth: depth }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const unknownFields = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !['name', 'version', 'namespace', 'info', 'chart', 'config', 'manifest', 'hooks', '__proto__'].includes(k)), json(2), { maxKeys: 4 });

export const releaseArb = fc
  .record({
    name: fc.string({ minLength: 1, maxLength: 53 }),
    info: fc.record({ status: fc.constantFrom('deployed', 'superseded', 'failed', 'pending-upgrade'), description: fc.string(), last_deployed: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), extra: unknownFields }),
    chart: fc.record({ metadata: fc.record({ name: fc.string(), version: fc.string() }), values: json(), templates: fc.array(fc.record({ name: fc.string(), data: fc.base64String() }), { maxLength: 3 }), extra: unknownFields }),
    config: json(),
    manifest: fc.string({ unit: 'binary', maxLength: 400 }),
    hooks: fc.array(fc.record({ name: fc.string(), kind: fc.string(), manifest: fc.string({ unit: 'binary' }), events: fc.array(fc.string()), weight: fc.integer() }), { maxLength: 3 }),
    version: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    namespace: fc.string({ maxLength: 63 }),
    top: unknownFields,
  })
  .map(({ info, chart, top, ...r }) => {
    const { extra: ie, ...i } = info;
    const { extra: ce, ...c } = chart;
    return { ...r, info: { ...i, ...ie }, chart: { ...c, ...ce }, ...top } as Record<string, unknown>;
  });

export function codecRoundTrip() {
  return fc.property(releaseArb, (rel) => {
    const back = decodeRelease(encodeRelease(rel));
    if (JSON.stringify(back) !== JSON.stringify(rel)) throw new Error('round trip changed the release');
  });
}

function onlyTyped(err: unknown, ...types: Array<new (...a: never[]) => Error>): void {
  if (!types.some((t) => err instanceof t)) throw new Error(`untyped error: ${(err as Error)?.name}: ${(err as Error)?.message}`);
}

export function codecGarbage() {
  const texts = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.base64String(),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64')),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), Buffer.from(b)]).toString('base64')),
    json().map((v) => Buffer.from(JSON.stringify(v)).toString('base64')),
  );
  return fc.property(texts, (t) => {
    try {
      decodeRelease(t);
    } catch (e) {
      onlyTyped(e, CodecError);
    }
  });
}

const VALID_MAPFILE = `mappings:
  - deprecated: {group: policy, version: v1beta1, kind: PodSecurityPolicy}
    replacement: null
    removedIn: "1.25"
  - deprecated: {group: batch, version: v1beta1, kind: CronJob}
    replacement: {group: batch, version: v1}
    deprecatedIn: "1.21"
    removedIn: "1.25"
`;
const MKA_MAPFILE = `mappings:
  - deprecatedAPI: "apiVersion: extensions/v1beta1\\nkind: Ingress\\n"
    newAPI: "apiVersion: networking.k8s.io/v1\\nkind: Ingress\\n"
    deprecatedInVersion: "v1.14"
    removedInVersion: "v1.22"
`;

/** Mutations of a valid mapfile: drop/duplicate/garble characters or lines. */
const mutated = fc
  .tuple(fc.constantFrom(VALID_MAPFILE, MKA_MAPFILE), fc.array(fc.tuple(fc.nat(), fc.constantFrom('del', 'dup', 'char', 'line')), { maxLength: 4 }), fc.string({ maxLength: 8 }))
  .map(([text, ops, junk]) => {
    let t: string = text;
    for (const [at, op] of ops) {
      const i = t.length ? at % t.length : 0;
      if (op === 'del') t = t.slice(0, i) + t.slice(i + 1 + (at % 7));
      else if (op === 'dup') t = t.slice(0, i) + t.slice(i, i + 12) + t.slice(i);
      else if (op === 'char') t = t.slice(0, i) + junk + t.slice(i);
      else {
        const lines = t.split('\n');
        lines.splice(at % lines.length, 1);
        t = lines.join('\n');
      }
    }
    return t;
  });
const entryArb = fc.record(
  {
    deprecated: fc.oneof(json(2), fc.record({ group: fc.string(), version: fc.string(), kind: fc.oneof(fc.string(), fc.array(fc.string())) }, { requiredKeys: [] })),
    replacement: fc.oneof(fc.constant(null), json(2), fc.record({ group: fc.string(), version: fc.string(), kind: fc.string() }, { requiredKeys: [] })),
    removedIn: fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constantFrom('1.25', 'v1.22', '1.x')),
    deprecatedIn: fc.oneof(fc.string(), fc.constantFrom('1.21', '2.0')),
    disabled: fc.oneof(fc.boolean(), json(1)),
    deprecatedAPI: fc.oneof(fc.string(), fc.constant('apiVersion: a/v1\nkind: K\n')),
    newAPI: fc.string(),
    removedInVersion: fc.string(),
  },
  { requiredKeys: [] },
);
const mapfileTexts = fc.oneof(
  fc.string({ unit: 'binary' }),
  mutated,
  json(4).map((v) => YAML.stringify(v)),
  fc.array(entryArb, { maxLength: 4 }).map((mappings) => YAML.stringify({ mappings })),
);

export function mapfileNeverUntyped() {
  return fc.property(mapfileTexts, (text) => {
    try {
      parseMapfile(text, 'fuzz.yaml');
    } catch (e) {
      onlyTyped(e, MapfileError);
    }
  });
}

// ---- rewriter ----
const table = loadMappingTable({ builtinDir: join(REPO_ROOT, 'mapfiles') });
const target = parseKubeVersion('v1.25.16');
const UNMATCHED: Array<[string, string]> = [['v1', 'ConfigMap'], ['apps/v1', 'Deployment'], ['policy/v1', 'PodDisruptionBudget'], ['example.com/v1', 'Widget'], ['batch/v1', 'CronJob'], ['networking.k8s.io/v1', 'Ingress']];
const MATCHED: Array<[string, string]> = [['policy/v1beta1', 'PodSecurityPolicy'], ['policy/v1beta1', 'PodDisruptionBudget'], ['batch/v1beta1', 'CronJob'], ['extensions/v1beta1', 'Ingress'], ['autoscaling/v2beta2', 'HorizontalPodAutoscaler']];

const docArb = (pool: Array<[string, string]>) =>
  fc.record({ gvk: fc.constantFrom(...pool), name: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), body: json(3), style: fc.constantFrom('block', 'flow', 'comment') }).map(({ gvk, name, body, style }) => {
    const obj = { apiVersion: gvk[0], kind: gvk[1], metadata: { name }, data: body };
    const text = style === 'flow' ? JSON.stringify(obj) + '\n' : YAML.stringify(obj);
    return style === 'comment' ? `# a comment with apiVersion: policy/v1beta1 inside\n${text}` : text;
  });

const streamArb = fc.array(fc.tuple(fc.boolean(), docArb(UNMATCHED), docArb(MATCHED), fc.string({ unit: 'binary', maxLength: 30 })), { minLength: 1, maxLength: 6 });

export function rewriterKeepsUnmatched() {
  return fc.property(streamArb, (parts) => {
    const docs = parts.map(([m, u, d], i) => ({ matched: m, text: `---\n# Source: fuzz/templates/t${i}.yaml\n${m ? d : u}` }));
    const text = docs.map((d) => d.text).join('');
    let out;
    try {
      out = rewriteManifest(text, { table, target, preClean: false }, 'manifest');
    } catch (e) {
      onlyTyped(e, ManifestParseError);
      return;
    }
    for (const d of docs) if (!d.matched && !out.output.includes(d.text)) throw new Error('an unmatched document changed');
    if (docs.every((d) => !d.matched) && (out.changed || out.output !== text)) throw new Error('a stream with no matching document changed');
  });
}

export function rewriterNeverUntyped() {
  const junk = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.array(fc.oneof(fc.constantFrom('---\n', 'apiVersion: policy/v1beta1\n', 'kind: PodSecurityPolicy\n', 'kind: List\nitems:\n', '- ', '  ', '&a ', '*a\n', '{', '[', '"', "'", '\\', '#', '\r\n', '...\n', 'metadata:\n  name: x\n'), fc.string({ maxLength: 6 })), { maxLength: 40 }).map((a) => a.join('')),
  );
  return fc.property(junk, (text) => {
    try {
      rewriteManifest(text, { table, target, preClean: true }, 'manifest');
    } catch (e) {
      onlyTyped(e, ManifestParseError);
    }
  });
}

// ---- the whole plan on releases with odd field types ----
const oddRelease = fc.record({
  name: fc.oneof(fc.constant('app'), json(1)),
  version: fc.oneof(fc.integer({ min: 1, max: 9 }), json(1)),
  namespace: fc.oneof(fc.constant('demo'), json(1)),
  info: fc.oneof(json(2), fc.record({ status: fc.constantFrom('deployed', 'superseded'), description: json(1) })),
  manifest: fc.oneof(streamArb.map((p) => p.map(([m, u, d]) => `---\n${m ? d : u}`).join('')), json(2)),
  hooks: fc.oneof(json(2), fc.array(fc.record({ name: json(1), manifest: fc.oneof(docArb(MATCHED), json(1)), events: json(1) }, { requiredKeys: [] }), { maxLength: 3 })),
}, { requiredKeys: [] });

export function planNeverUntyped() {
  return fc.property(oddRelease, (rel) => {
    try {
      const plan = planRelease(rel as Record<string, unknown>, { table, target, preClean: false, rewrite: rewriteManifest });
      const next = buildNewRevision(rel as Record<string, unknown>, plan, new Date(0), 2);
      if (typeof next.manifest !== 'string') throw new Error('new revision without a string manifest');
      decodeRelease(encodeRelease(next));
    } catch (e) {
      onlyTyped(e, ManifestParseError);
    }
  });
}

/** Each property as the same erased type, so callers can loop over them. */
export type AnyProperty = fc.IProperty<[unknown]>;
export const PROPERTIES: Record<string, () => AnyProperty> = {
  'codec round trip (unknown fields kept)': codecRoundTrip,
  'codec: garbage input -> only CodecError': codecGarbage,
  'mapfile parser -> only MapfileError': mapfileNeverUntyped,
  'rewriter: unmatched documents byte-identical': rewriterKeepsUnmatched,
  'rewriter: junk input -> only ManifestParseError': rewriterNeverUntyped,
  'plan: releases with odd field types -> only ManifestParseError': planNeverUntyped,
} as unknown as Record<string, () => AnyProperty>;
