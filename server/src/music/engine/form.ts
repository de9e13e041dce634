import { PlanSection, SectionName } from './types';

/** Shortest and longest piece the engine plans, in seconds. */
export const MIN_DURATION_SEC = 10;
export const MAX_DURATION_SEC = 300;

/**
 * How far a piece's written length (whole bars, up to the final barline) may miss the requested duration, as a
 * share of it. The rendered audio adds the synthesizer's ring-out tail on top (docs/music-engine.md).
 */
export const DURATION_TOLERANCE = 0.1;

/** Bars that best fit `durationSec` at `tempo` (quarter BPM) with `beatsPerBar` quarter beats (never fewer than 2). */
export function barsForDuration(durationSec: number, tempo: number, beatsPerBar: number): number {
  const barSec = (60 / tempo) * beatsPerBar;
  return Math.max(2, Math.round(durationSec / barSec));
}

/** Whole bars and the (integer) tempo they are played at; `bars × bar length` is the piece's written length. */
export interface DurationFit {
  bars: number;
  tempo: number;
}

/**
 * Largest share by which fitDuration may move the tempo. 12 % closes every gap between the tempo bands in which
 * 2, 3 or 4 bars last within 10 % of a short request (a 10 s piece of 4/4 fits 2 bars at 44–53 BPM or 3 bars at
 * 66–80 BPM: from 59 BPM either is about 11 % away); emotion-table tempos never need more than 6.5 %.
 */
export const MAX_TEMPO_NUDGE = 0.12;

/**
 * Bars (≥ 2) and tempo for `durationSec`. Nearest whole bars at `tempo` when they land within DURATION_TOLERANCE of
 * the request, which is always the case from 30 s on (half a bar is then under 10 %): those pieces are planned
 * exactly as before. Shorter pieces at slow tempos can miss by up to half a bar (a 10 s request at 62 BPM would be
 * 3 bars = 11.6 s); then the tempo moves by the smallest whole number of BPM, at most MAX_TEMPO_NUDGE and within
 * `minTempo`–`maxTempo`, that brings one bar count inside the tolerance. Where no such tempo exists (only for tempos
 * asked under 45 BPM, next to the 40 BPM floor: e.g. 14 s at 40 BPM is 2 bars = 12 s or 3 bars ≥ 16.4 s) the bar
 * count and tempo within those limits that come closest are used (at most 15.4 % off, at 14.2 s and 40 BPM).
 */
export function fitDuration(durationSec: number, tempo: number, beatsPerBar: number, minTempo: number, maxTempo: number): DurationFit {
  const bars = barsForDuration(durationSec, tempo, beatsPerBar);
  const lengthAt = (n: number, t: number) => (n * beatsPerBar * 60) / t;
  const miss = (n: number, t: number) => Math.abs(lengthAt(n, t) - durationSec);
  const allowed = DURATION_TOLERANCE * durationSec + 1e-9;
  if (miss(bars, tempo) <= allowed) return { bars, tempo };
  const slowest = Math.max(minTempo, Math.ceil(tempo * (1 - MAX_TEMPO_NUDGE) - 1e-9));
  const fastest = Math.min(maxTempo, Math.floor(tempo * (1 + MAX_TEMPO_NUDGE) + 1e-9));
  let fit: DurationFit | undefined;
  let closest: DurationFit = { bars, tempo };
  for (const n of [bars - 1, bars, bars + 1]) {
    if (n < 2) continue;
    // n bars last n·beatsPerBar·60/t seconds: the tempi that keep that within the tolerance, and the nudge limits.
    const lo = Math.max(slowest, Math.ceil((n * beatsPerBar * 60) / (durationSec + allowed)));
    const hi = Math.min(fastest, Math.floor((n * beatsPerBar * 60) / (durationSec - allowed)));
    if (lo <= hi) {
      const t = Math.min(hi, Math.max(lo, Math.round(tempo)));
      const nudge = Math.abs(t - tempo);
      const best = fit ? Math.abs(fit.tempo - tempo) : Infinity;
      if (nudge < best || (nudge === best && fit && miss(n, t) < miss(fit.bars, fit.tempo))) fit = { bars: n, tempo: t };
    } else {
      // Out of reach: the allowed tempo that comes closest to the request with n bars.
      const t = Math.min(fastest, Math.max(slowest, Math.round((n * beatsPerBar * 60) / durationSec)));
      if (miss(n, t) < miss(closest.bars, closest.tempo)) closest = { bars: n, tempo: t };
    }
  }
  return fit ?? closest;
}

/**
 * Lays out intro, A, B, A' (and, for long pieces, a development C and a second reprise A'') and outro over `totalBars`.
 * Body sections get whole four-bar phrases where possible, so cadences land on phrase ends.
 */
export function planForm(totalBars: number): PlanSection[] {
  if (totalBars < 6) return [{ name: 'A', bars: totalBars }];
  if (totalBars < 12) {
    // Theme and its restatement, equal in length so the reprise can repeat it; an odd bar becomes a one-bar coda.
    const a = Math.floor(totalBars / 2);
    const sections: PlanSection[] = [
      { name: 'A', bars: a },
      { name: "A'", bars: a },
    ];
    if (totalBars > 2 * a) sections.push({ name: 'outro', bars: totalBars - 2 * a });
    return sections;
  }
  const frame = totalBars >= 48 ? 4 : totalBars >= 16 ? 2 : 0;
  const body = totalBars - 2 * frame;
  const phrases = Math.floor(body / 4);
  const remainder = body - phrases * 4;
  // Leftover bars lengthen the frame: half (rounded down) to the intro, the rest to the outro.
  const intro = frame + Math.floor(remainder / 2);
  const outro = frame + remainder - Math.floor(remainder / 2);
  // Returning A sections get the same length as the first A so they can restate it exactly.
  const long = phrases >= 16;
  const aCount = long ? 3 : 2;
  const bCount = long ? 2 : 1;
  let a = Math.ceil(phrases / (aCount + bCount));
  while (a > 1 && phrases - aCount * a < bCount) a--;
  const bTotal = phrases - aCount * a;
  const b = Math.floor(bTotal / bCount);
  const names: SectionName[] = long ? ['A', 'B', "A'", 'C', "A''"] : ['A', 'B', "A'"];
  const sections: PlanSection[] = [];
  if (intro > 0) sections.push({ name: 'intro', bars: intro });
  for (const name of names) {
    const isB = name === 'B' || name === 'C';
    const extra = name === 'C' ? bTotal - b * bCount : 0;
    sections.push({ name, bars: (isB ? b + extra : a) * 4 });
  }
  if (outro > 0) sections.push({ name: 'outro', bars: outro });
  return sections.filter((s) => s.bars > 0);
}
