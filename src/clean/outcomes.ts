// Where a batch keeps the outcomes of finished releases until the report, which needs them all
// (errors first, then sorted by namespace and name) and the summary before the first release.
//
// They are what grows with the cluster (bench 10,000 x 10: ~1.4 KB of JSON each, 14 MB), so
// each is kept as the UTF-8 bytes of its JSON, outside the V8 heap, and decoded one at a time
// while the report is written: a V8 heap holding them as objects (and the report as one
// string) grew with the cluster, and V8 lets the heap grow past what is live before it
// collects, so each MB held cost more than a MB of peak RSS (dry run 10,000 x 10: 187 MB
// against 136 MB at 2,000 x 10 before this store).
//
// An outcome that still holds diff texts (no onOutcome rendered them: library use, tests) is
// kept as an object, its other strings copied (see detached()).
import { countOutcome, emptySummary, type ReleaseOutcome, type RunSummary } from '../report/model.js';

interface Kept {
  namespace: string;
  name: string;
  value: Buffer | ReleaseOutcome;
}

/** Report order: namespace, then release name. */
export const byRelease = (a: { namespace: string; name: string | null }, b: { namespace: string; name: string | null }): number =>
  a.namespace === b.namespace ? (a.name ?? '').localeCompare(b.name ?? '') : a.namespace.localeCompare(b.namespace);

const holdsTexts = (out: ReleaseOutcome): boolean => out.changes.some((c) => c.before !== '' || c.after !== '');

/**
 * The outcome with its strings copied. Names and kinds cut out of a parsed manifest are V8
 * sliced strings that keep the whole manifest (and the release text it came from) alive, so a
 * batch retained one body per changed release until the end (bench 2000 x 10: the live heap
 * grew by ~50 MB over the run). Diff texts still held are kept on purpose.
 */
function detached(out: ReleaseOutcome): ReleaseOutcome {
  const { changes, ...rest } = out;
  return { ...(JSON.parse(JSON.stringify(rest)) as Omit<ReleaseOutcome, 'changes'>), changes };
}

export class OutcomeStore {
  private readonly kept: Kept[] = [];
  private sorted = true;
  readonly summary: RunSummary = emptySummary();

  /** Keeps a finished outcome; the caller may drop it. */
  add(out: ReleaseOutcome): void {
    const value = holdsTexts(out) ? detached(out) : Buffer.from(JSON.stringify(out), 'utf8');
    const entry = { namespace: out.namespace, name: out.name ?? '', value };
    const last = this.kept[this.kept.length - 1];
    if (last && byRelease(last, entry) > 0) this.sorted = false;
    this.kept.push(entry);
    countOutcome(this.summary, out);
  }

  /** The outcomes sorted by namespace and name, each decoded when it is reached. */
  *read(): IterableIterator<ReleaseOutcome> {
    if (!this.sorted) {
      this.kept.sort(byRelease);
      this.sorted = true;
    }
    for (const k of this.kept) yield Buffer.isBuffer(k.value) ? (JSON.parse(k.value.toString('utf8')) as ReleaseOutcome) : k.value;
  }
}
