/**
 * Alignment of played notes to the reference.
 *
 * 1. Global offset: every (reference, played) pair of the same pitch class votes for the offset between their onsets
 *    (20 ms bins, smoothed by a ±100 ms triangle); the best-supported offset wins (a lead-in of any length is fine).
 * 2. Note-level alignment: a monotone sequence alignment over notes (dynamic time warping with skips, i.e.
 *    Needleman–Wunsch): matching costs the onset distance after the time map plus a fixed price for a wrong pitch;
 *    skipping a reference note (missed) or a played note (extra) has a fixed price. A wrong note played on time is
 *    therefore a match with a wrong pitch, not a miss plus an extra.
 * 3. Tempo drift: the matched onsets choose between no drift, a steady drift and a jump (see fitTimeMap); steps 2–3
 *    repeat so a performer who slows down steadily is not called late, while a rushed bar stays a rushed bar.
 */
import type { DetectedNote } from '../notes/segment';
import type { Alignment, ReferenceNote } from './types';
import { ALIGNMENT_PARAMETERS as A } from './assess-parameters';

const mod12 = (x: number) => ((x % 12) + 12) % 12;

/** The offset (s) that best lays the played onsets over the reference onsets (recording time − reference time). */
export function globalOffset(reference: ReferenceNote[], played: DetectedNote[]): number {
  if (played.length === 0) return 0;
  const bin = A.offsetBinSec;
  const votes = new Map<number, number>();
  for (const r of reference) {
    for (const d of played) {
      const pc = Math.abs(mod12(d.pitch - r.pitch + 6) - 6);
      if (pc > 0.6) continue;
      const weight = Math.abs(d.pitch - r.pitch) < 0.6 ? 1 : 0.5;
      const key = Math.round((d.start - r.start) / bin);
      votes.set(key, (votes.get(key) ?? 0) + weight);
    }
  }
  const natural = played[0].start - reference[0].start;
  if (votes.size === 0) return natural;
  const reach = Math.round(A.offsetKernelSec / bin);
  let best = natural;
  let bestScore = -Infinity;
  for (const key of votes.keys()) {
    let score = 0;
    for (let k = -reach; k <= reach; k++) score += (votes.get(key + k) ?? 0) * (1 - Math.abs(k) / (reach + 1));
    // A faint preference for the offset implied by the first notes breaks ties between repeats of a phrase.
    score -= 0.05 * Math.min(1, Math.abs(key * bin - natural) / 2);
    if (score > bestScore) {
      bestScore = score;
      best = key * bin;
    }
  }
  return best;
}

/** Cost of matching a reference note to a played note, given the time map; Infinity when too far apart. */
function matchCost(r: ReferenceNote, d: DetectedNote, offset: number, ratio: number): number {
  const dt = Math.abs(d.start - (offset + ratio * r.start));
  if (dt > A.maxMatchSec) return Infinity;
  const dp = Math.abs(d.pitch - r.pitch);
  const pitch = dp <= 0.5 ? 0 : A.wrongPitchCost + A.pitchCostPerSemitone * Math.min(dp, 12);
  return dt / A.timeScaleSec + pitch;
}

/** Monotone alignment with skips; returns matched (reference, played) index pairs in order. */
export function alignNotes(reference: ReferenceNote[], played: DetectedNote[], offset: number, ratio: number): [number, number][] {
  const n = reference.length;
  const m = played.length;
  const cost = new Float64Array((n + 1) * (m + 1));
  const move = new Uint8Array((n + 1) * (m + 1)); // 1 = match, 2 = skip reference (missed), 3 = skip played (extra)
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = 1; i <= n; i++) {
    cost[at(i, 0)] = i * A.missedCost;
    move[at(i, 0)] = 2;
  }
  for (let j = 1; j <= m; j++) {
    cost[at(0, j)] = j * A.extraCost;
    move[at(0, j)] = 3;
  }
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      let best = cost[at(i - 1, j)] + A.missedCost;
      let how = 2;
      const skip = cost[at(i, j - 1)] + A.extraCost;
      if (skip < best) {
        best = skip;
        how = 3;
      }
      const match = cost[at(i - 1, j - 1)] + matchCost(reference[i - 1], played[j - 1], offset, ratio);
      if (match < best) {
        best = match;
        how = 1;
      }
      cost[at(i, j)] = best;
      move[at(i, j)] = how;
    }
  }
  const pairs: [number, number][] = [];
  for (let i = n, j = m; i > 0 || j > 0;) {
    const how = move[at(i, j)];
    if (how === 1) {
      pairs.push([i - 1, j - 1]);
      i--;
      j--;
    } else if (how === 2) i--;
    else j--;
  }
  return pairs.reverse();
}

/**
 * Time map recording = offset + ratio · reference through the matched right-pitch onsets. Three explanations of the
 * onsets compete by their summed absolute residuals (truncated): no drift (ratio 1), a steady drift (best ratio within
 * ±15%), and a jump (ratio 1 with a different offset before and after one point). The drift is used only when it beats
 * both others: a steady slow-down is then absorbed, while a rushed or dragged passage, which a jump explains at least
 * as well as a tilt, stays early or late.
 */
export function fitTimeMap(reference: ReferenceNote[], played: DetectedNote[], pairs: [number, number][], offset: number): { offset: number; ratio: number } {
  const points = pairs
    .filter(([i, j]) => Math.abs(played[j].pitch - reference[i].pitch) <= 0.5)
    .map(([i, j]) => [reference[i].start, played[j].start])
    .sort((p, q) => p[0] - q[0]);
  if (points.length === 0) return { offset, ratio: 1 };
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  const l1 = (v: number[], centre: number) => v.reduce((sum, d) => sum + Math.min(Math.abs(d - centre), A.residualCapSec), 0);
  const fitRatio = (ratio: number) => {
    const diffs = points.map(([x, y]) => y - ratio * x);
    const a = median(diffs);
    return { offset: a, ratio, cost: l1(diffs, a) };
  };
  const flat = fitRatio(1);
  if (points.length < 4) return { offset: flat.offset, ratio: 1 };
  let drift = flat;
  const steps = Math.round(A.maxTempoDrift / A.tempoStep);
  for (let k = -steps; k <= steps; k++) {
    const candidate = fitRatio(1 + k * A.tempoStep);
    if (candidate.cost < drift.cost - 1e-12) drift = candidate;
  }
  const diffs = points.map(([x, y]) => y - x);
  let jump = Infinity;
  for (let k = 2; k <= diffs.length - 2; k++) {
    const before = diffs.slice(0, k);
    const after = diffs.slice(k);
    jump = Math.min(jump, l1(before, median(before)) + l1(after, median(after)));
  }
  const useDrift = drift.cost < jump && drift.cost < flat.cost - A.minDriftGainSec * points.length;
  return useDrift ? { offset: drift.offset, ratio: drift.ratio } : { offset: flat.offset, ratio: 1 };
}

/** Global offset, then alignment and time-map refits (see the file header). */
export function align(reference: ReferenceNote[], played: DetectedNote[]): Alignment {
  let offset = globalOffset(reference, played);
  let ratio = 1;
  let pairs = alignNotes(reference, played, offset, ratio);
  for (let round = 0; round < 2; round++) {
    ({ offset, ratio } = fitTimeMap(reference, played, pairs, offset));
    pairs = alignNotes(reference, played, offset, ratio);
  }
  return { offsetSec: offset, tempoRatio: ratio, pairs };
}
