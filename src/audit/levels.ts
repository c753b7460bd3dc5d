// Pod Security Standards levels and their permissiveness order (psp-to-pss.md §1).

export type PssLevel = 'restricted' | 'baseline' | 'privileged';
export type Reading = 'strict' | 'practical';

export const LEVELS: readonly PssLevel[] = ['restricted', 'baseline', 'privileged'];
export const READINGS: readonly Reading[] = ['strict', 'practical'];

export function levelRank(l: PssLevel): number {
  return LEVELS.indexOf(l);
}

/** The more permissive of two levels. */
export function maxLevel(a: PssLevel, b: PssLevel): PssLevel {
  return levelRank(a) >= levelRank(b) ? a : b;
}

export function isLevel(v: unknown): v is PssLevel {
  return typeof v === 'string' && (LEVELS as readonly string[]).includes(v);
}

export function isReading(v: unknown): v is Reading {
  return typeof v === 'string' && (READINGS as readonly string[]).includes(v);
}
