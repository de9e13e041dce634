import { PlanSection, SectionName } from './types';

/** Shortest and longest piece the engine plans, in seconds. */
export const MIN_DURATION_SEC = 10;
export const MAX_DURATION_SEC = 300;

/** Bars that best fit `durationSec` at `tempo` (quarter BPM) with `beatsPerBar` quarter beats (never fewer than 2). */
export function barsForDuration(durationSec: number, tempo: number, beatsPerBar: number): number {
  const barSec = (60 / tempo) * beatsPerBar;
  return Math.max(2, Math.round(durationSec / barSec));
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
