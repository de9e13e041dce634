import { leadingToneOf } from './harmony';
import { mod12 } from './theory';
import { ChordSpan, MusicPlan } from './types';

/** Voice ranges (MIDI, inclusive) for bass, tenor, alto, soprano before the plan's register shift. */
export const VOICE_RANGES: readonly [number, number][] = [
  [28, 47],
  [47, 64],
  [53, 69],
  [57, 74],
];

/** Interval classes whose parallel motion is forbidden: unison/octave (0) and perfect fifth (7). */
const PERFECT = new Set([0, 7]);

/** True when voices i and j move from perfect fifth/octave to the same perfect interval (both voices moving). */
export function parallelPerfect(a: readonly number[], b: readonly number[], i: number, j: number): boolean {
  if (a[i] === b[i] || a[j] === b[j]) return false;
  const before = mod12(a[j] - a[i]);
  const after = mod12(b[j] - b[i]);
  return PERFECT.has(before) && before === after;
}

/** Every pair of voices with parallel fifths or octaves between two consecutive voicings. */
export function parallelViolations(a: readonly number[], b: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < a.length; i++) for (let j = i + 1; j < a.length; j++) if (parallelPerfect(a, b, i, j)) out.push([i, j]);
  return out;
}

/**
 * Whether a leading tone in `a` fails to resolve up a semitone in `b`. The rule applies when the next chord
 * contains the note of resolution (V→I, V→vi, vii°→I), as in common-practice voice leading.
 */
export function unresolvedLeadingTone(a: readonly number[], b: readonly number[], leadingTone: number | undefined, nextPcs: readonly number[]): boolean {
  if (leadingTone === undefined || !nextPcs.includes(mod12(leadingTone + 1))) return false;
  return a.some((p, v) => mod12(p) === leadingTone && b[v] !== p + 1);
}

/**
 * Whether a chordal seventh in `a` (pitch class `seventh`) fails to resolve down by step (or be held) in `b`.
 */
export function unresolvedSeventh(a: readonly number[], b: readonly number[], seventh: number | undefined): boolean {
  if (seventh === undefined) return false;
  return a.some((p, v) => mod12(p) === seventh && !(b[v] === p - 1 || b[v] === p - 2 || b[v] === p));
}

function pitchesIn(pcs: readonly number[], [lo, hi]: [number, number]): number[] {
  const out: number[] = [];
  for (let p = lo; p <= hi; p++) if (pcs.includes(mod12(p))) out.push(p);
  return out;
}

/** All acceptable four-voice voicings of a chord: root in the bass, complete triad, good spacing, leading tone not doubled. */
export function candidateVoicings(pcs: readonly number[], shift: number, leadingTone: number | undefined): number[][] {
  const ranges = VOICE_RANGES.map(([lo, hi]) => [lo + shift, hi + shift] as [number, number]);
  const [root, third, fifth, seventh] = pcs;
  const out: number[][] = [];
  for (const b of pitchesIn([root], ranges[0])) {
    for (const t of pitchesIn(pcs, ranges[1])) {
      if (t <= b || t - b > 19) continue;
      for (const a of pitchesIn(pcs, ranges[2])) {
        if (a <= t || a - t > 12) continue;
        for (const s of pitchesIn(pcs, ranges[3])) {
          if (s <= a || s - a > 12) continue;
          const v = [b, t, a, s];
          const classes = v.map(mod12);
          if (!classes.includes(third)) continue;
          const fifthPresent = classes.includes(fifth);
          const rootCount = classes.filter((c) => c === root).length;
          if (seventh !== undefined) {
            // Seventh chords: the seventh exactly once; the fifth may give way to a doubled root.
            if (classes.filter((c) => c === seventh).length !== 1) continue;
            if (!fifthPresent && rootCount < 2) continue;
          } else if (!fifthPresent && rootCount < 3) continue;
          if (leadingTone !== undefined && classes.filter((c) => c === leadingTone).length > 1) continue;
          out.push(v);
        }
      }
    }
  }
  return out;
}

function motionCost(a: readonly number[], b: readonly number[]): number {
  let cost = Math.abs(a[0] - b[0]) * 0.3;
  for (let v = 1; v < 4; v++) {
    const d = Math.abs(a[v] - b[v]);
    cost += d + (d > 5 ? (d - 5) * 2 : 0);
  }
  // Hidden (direct) fifths/octaves in the outer voices: same direction into a perfect interval with a soprano leap.
  const bassDir = Math.sign(b[0] - a[0]);
  const sopDir = Math.sign(b[3] - a[3]);
  if (bassDir !== 0 && bassDir === sopDir && PERFECT.has(mod12(b[3] - b[0])) && Math.abs(b[3] - a[3]) > 2) cost += 4;
  return cost;
}

function shapeCost(v: readonly number[], shift: number): number {
  // Prefer voicings near the middle of the ranges and with close upper voices.
  const centre = VOICE_RANGES.reduce((s, [lo, hi], i) => s + Math.abs(v[i] - ((lo + hi) / 2 + shift)), 0);
  return centre * 0.15 + Math.max(0, v[3] - v[1] - 12) * 0.5;
}

/** Cheapest rule-abiding path through the candidate voicings; undefined when no such path exists. */
function solve(chords: ChordSpan[], cands: number[][][], lts: (number | undefined)[], shift: number): number[][] | undefined {
  const cost: number[][] = [cands[0].map((v) => shapeCost(v, shift))];
  const back: number[][] = [cands[0].map(() => -1)];
  for (let i = 1; i < chords.length; i++) {
    const row: number[] = [];
    const from: number[] = [];
    for (const b of cands[i]) {
      let best = Infinity;
      let arg = 0;
      cands[i - 1].forEach((a, k) => {
        const prev = cost[i - 1][k];
        if (!Number.isFinite(prev)) return;
        if (parallelViolations(a, b).length > 0) return;
        if (unresolvedLeadingTone(a, b, lts[i - 1], chords[i].pitchClasses)) return;
        if (unresolvedSeventh(a, b, chords[i - 1].pitchClasses[3])) return;
        const c = prev + motionCost(a, b) + shapeCost(b, shift);
        if (c < best) {
          best = c;
          arg = k;
        }
      });
      row.push(best);
      from.push(arg);
    }
    if (row.every((c) => !Number.isFinite(c))) return undefined;
    cost.push(row);
    back.push(from);
  }
  const last = cost[chords.length - 1];
  let k = last.indexOf(Math.min(...last));
  const out: number[][] = new Array<number[]>(chords.length);
  for (let i = chords.length - 1; i >= 0; i--) {
    out[i] = cands[i][k];
    k = back[i][k];
  }
  return out;
}

/**
 * Chooses a voicing for every chord by dynamic programming over candidate voicings. Parallel fifths/octaves,
 * unresolved leading tones and unresolved chordal sevenths are hard constraints, so the chosen path obeys them.
 * A second pass pins returning sections to the voicings of their first statement (so a reprise sounds the same)
 * and re-solves around them; if that is impossible the first solution stands.
 */
export function voiceProgression(chords: ChordSpan[], plan: MusicPlan): void {
  if (chords.length === 0) return;
  const shift = plan.registerShift;
  const lts = chords.map((c) => leadingToneOf(c, plan.harmonicVocabulary));
  const candidatesFor = () =>
    chords.map((c, i) => {
      const all = candidateVoicings(c.pitchClasses, shift, lts[i]);
      return all.length > 0 ? all : candidateVoicings(c.pitchClasses, shift, undefined);
    });
  let cands = candidatesFor();
  let best = solve(chords, cands, lts, shift);
  if (!best && chords.some((c) => c.pitchClasses.length > 3)) {
    // No rule-abiding path with the dominant sevenths: fall back to plain dominant triads.
    for (const c of chords) {
      if (c.pitchClasses.length > 3) {
        c.pitchClasses = c.pitchClasses.slice(0, 3);
        c.numeral = c.numeral.replace(/7$/, '');
      }
    }
    cands = candidatesFor();
    best = solve(chords, cands, lts, shift);
  }
  if (!best) {
    // Not seen in practice: accept the cheapest voicing of each chord.
    best = cands.map((c) => c[0]);
  }
  const chosen = best;
  const pinned = cands.map((c, i) => {
    const origin = chords[i].restates;
    if (origin !== undefined) return [chosen[origin]];
    return chords.some((x) => x.restates === i) ? [chosen[i]] : c;
  });
  const restated = chords.some((c) => c.restates !== undefined) ? solve(chords, pinned, lts, shift) : undefined;
  (restated ?? chosen).forEach((v, i) => {
    chords[i].voicing = [...v];
  });
}
