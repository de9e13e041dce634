import { SymbolicPiece } from './symbolic-piece';

/**
 * Objective symbolic metrics after MusPy (Dong et al., ISMIR 2020, muspy.metrics). Drum notes are ignored
 * except by groove consistency, as in MusPy. Differences from MusPy are noted per metric.
 */
export interface PieceMetrics {
  pitchClassEntropy: number;
  scaleConsistency: number;
  grooveConsistency: number;
  emptyBeatRate: number;
  polyphony: number;
  pitchRange: number;
  barRepetition: number;
}

export const METRIC_NAMES: readonly (keyof PieceMetrics)[] = [
  'pitchClassEntropy',
  'scaleConsistency',
  'grooveConsistency',
  'emptyBeatRate',
  'polyphony',
  'pitchRange',
  'barRepetition',
];

/** Grid resolution in steps per quarter note (covers sixteenths and eighth-note triplets). */
const STEPS = 12;
const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const MINOR = [0, 2, 3, 5, 7, 8, 10];

/** Shannon entropy (bits) of the pitch-class histogram of note counts (muspy.pitch_class_entropy). */
export function pitchClassEntropy(p: SymbolicPiece): number {
  const counts = new Array<number>(12).fill(0);
  for (const n of p.notes) if (!n.drum) counts[n.pitch % 12]++;
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.reduce((s, c) => (c > 0 ? s - (c / total) * Math.log2(c / total) : s), 0);
}

/** Largest share of notes inside one major or natural-minor scale (muspy.scale_consistency). */
export function scaleConsistency(p: SymbolicPiece): number {
  const pitched = p.notes.filter((n) => !n.drum);
  if (pitched.length === 0) return 0;
  let best = 0;
  for (const steps of [MAJOR, MINOR]) {
    for (let root = 0; root < 12; root++) {
      const set = new Set(steps.map((s) => (s + root) % 12));
      best = Math.max(best, pitched.filter((n) => set.has(n.pitch % 12)).length / pitched.length);
    }
  }
  return best;
}

/** 1 − mean Hamming distance between onset vectors of neighbouring bars, per grid step (muspy.groove_consistency). */
export function grooveConsistency(p: SymbolicPiece): number {
  const perBar = Math.round(p.beatsPerBar * STEPS);
  const bars = Math.max(1, Math.ceil(p.lengthBeats / p.beatsPerBar - 1e-9));
  if (bars < 2) return 1;
  const grid = Array.from({ length: bars }, () => new Uint8Array(perBar));
  for (const n of p.notes) {
    const step = Math.round(n.start * STEPS);
    const bar = Math.floor(step / perBar);
    if (bar < bars) grid[bar][step % perBar] = 1;
  }
  let hamming = 0;
  for (let b = 1; b < bars; b++) for (let s = 0; s < perBar; s++) if (grid[b][s] !== grid[b - 1][s]) hamming++;
  return 1 - hamming / (perBar * (bars - 1));
}

/**
 * Share of beats in which no pitched note sounds (MusPy's docstring definition; its code marks beats touched by a
 * note, which returns the complement). Drums are ignored.
 */
export function emptyBeatRate(p: SymbolicPiece): number {
  const beats = Math.max(1, Math.ceil(p.lengthBeats - 1e-9));
  const used = new Uint8Array(beats);
  for (const n of p.notes) {
    if (n.drum) continue;
    // On the same 1/12-beat grid as the other metrics, so millisecond humanisation does not leak into a silent beat.
    const start = Math.round(n.start * STEPS) / STEPS;
    const end = Math.round(n.end * STEPS) / STEPS;
    for (let b = Math.floor(start); b < Math.min(beats, Math.ceil(end - 1e-9)); b++) used[b] = 1;
  }
  return used.reduce((s, u) => s + (u ? 0 : 1), 0) / beats;
}

/**
 * Mean number of distinct pitches sounding at once, over grid steps where at least one sounds (muspy.polyphony
 * from 0.2 on, computed on a boolean piano roll so a doubled pitch counts once).
 */
export function polyphony(p: SymbolicPiece): number {
  const steps = Math.max(1, Math.ceil(p.lengthBeats * STEPS));
  const roll = new Uint8Array(steps * 128);
  for (const n of p.notes) {
    if (n.drum) continue;
    for (let s = Math.round(n.start * STEPS); s < Math.min(steps, Math.round(n.end * STEPS)); s++) roll[s * 128 + n.pitch] = 1;
  }
  let sum = 0;
  let on = 0;
  for (let s = 0; s < steps; s++) {
    let count = 0;
    for (let k = 0; k < 128; k++) count += roll[s * 128 + k];
    if (count > 0) {
      sum += count;
      on++;
    }
  }
  return on > 0 ? sum / on : 0;
}

/** Highest minus lowest pitch in semitones (muspy.pitch_range, drums excluded). */
export function pitchRange(p: SymbolicPiece): number {
  const pitches = p.notes.filter((n) => !n.drum).map((n) => n.pitch);
  return pitches.length ? Math.max(...pitches) - Math.min(...pitches) : 0;
}

/**
 * Repetition/structure (not in MusPy): for each bar after the first, the best Jaccard similarity of its set of
 * (onset step, pitch) pairs with any earlier bar, averaged. 1 = every bar restates an earlier one; 0 = nothing recurs.
 */
export function barRepetition(p: SymbolicPiece): number {
  const perBar = Math.round(p.beatsPerBar * STEPS);
  const bars = Math.max(1, Math.ceil(p.lengthBeats / p.beatsPerBar - 1e-9));
  const sets = Array.from({ length: bars }, () => new Set<number>());
  for (const n of p.notes) {
    if (n.drum) continue;
    const step = Math.round(n.start * STEPS);
    const bar = Math.floor(step / perBar);
    if (bar < bars) sets[bar].add((step % perBar) * 128 + n.pitch);
  }
  const nonEmpty = sets.filter((s) => s.size > 0);
  if (nonEmpty.length < 2) return 0;
  let total = 0;
  for (let i = 1; i < nonEmpty.length; i++) {
    let best = 0;
    for (let j = 0; j < i; j++) {
      let inter = 0;
      for (const x of nonEmpty[i]) if (nonEmpty[j].has(x)) inter++;
      best = Math.max(best, inter / (nonEmpty[i].size + nonEmpty[j].size - inter));
      if (best === 1) break;
    }
    total += best;
  }
  return total / (nonEmpty.length - 1);
}

export function measure(p: SymbolicPiece): PieceMetrics {
  return {
    pitchClassEntropy: pitchClassEntropy(p),
    scaleConsistency: scaleConsistency(p),
    grooveConsistency: grooveConsistency(p),
    emptyBeatRate: emptyBeatRate(p),
    polyphony: polyphony(p),
    pitchRange: pitchRange(p),
    barRepetition: barRepetition(p),
  };
}

/** Linear-interpolated quantile of a numeric sample. */
export function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
