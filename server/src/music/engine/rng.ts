/** Seeded pseudo-random source (mulberry32). The engine never calls Math.random, so a seed fixes the piece. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** Index drawn in proportion to non-negative weights (falls back to uniform when all are zero). */
  weighted(weights: readonly number[]): number;
  /** true with probability p. */
  chance(p: number): boolean;
  /** Approximately normal (mean 0, sd 1): Irwin–Hall sum of four uniforms. */
  gauss(): number;
  /** An independent stream derived from this one and a label, so adding a part does not shift the others. */
  fork(label: string): Rng;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a hash of a string, used to derive forked seeds. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function createRng(seed: number): Rng {
  const base = seed >>> 0;
  const next = mulberry32(base);
  const rng: Rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted: (weights) => {
      const total = weights.reduce((s, w) => s + Math.max(0, w), 0);
      if (total <= 0) return Math.floor(next() * weights.length);
      let r = next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= Math.max(0, weights[i]);
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
    chance: (p) => next() < p,
    gauss: () => (next() + next() + next() + next() - 2) * Math.sqrt(3),
    fork: (label) => createRng((base ^ hashLabel(label)) + 0x9e3779b9),
  };
  return rng;
}
