// Advice that is the same wherever it applies: a mapping's notes (e.g. "PodSecurityPolicy has
// no successor ...") come with every finding of that mapping, so a text report of 600 releases
// would repeat them 600 times. The text report prints each once per run, after the releases,
// and marks the findings with its number; -o json/yaml keep them on every finding.
import type { FindingOut } from './model.js';

interface Note {
  number: number;
  text: string;
  /** "policy/v1beta1 PodSecurityPolicy", in first-seen order. */
  apis: string[];
}

export class RunNotes {
  private readonly notes = new Map<string, Note>();

  /** Records the finding's notes; returns their numbers (1-based, in first-seen order). */
  add(f: FindingOut): number[] {
    const api = `${f.oldApiVersion} ${f.kind}`;
    return f.warnings.map((text) => {
      let n = this.notes.get(text);
      if (!n) this.notes.set(text, (n = { number: this.notes.size + 1, text, apis: [] }));
      if (!n.apis.includes(api)) n.apis.push(api);
      return n.number;
    });
  }

  /** The notes section ([] when no finding had a note). */
  lines(): string[] {
    if (this.notes.size === 0) return [];
    const out = ['Notes (each applies to every finding of the APIs it names):'];
    for (const n of this.notes.values()) out.push(`  [note ${n.number}] ${n.apis.join(', ')}: ${n.text}`);
    return out;
  }
}
