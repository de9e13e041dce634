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
 * Lays out intro, A, B, A' (and B', A'' for long pieces) and outro over `totalBars`.
 * Body sections get whole four-bar phrases where possible, so cadences land on phrase ends.
 */
export function planForm(totalBars: number): PlanSection[] {
  if (totalBars < 6) return [{ name: 'A', bars: totalBars }];
  if (totalBars < 12) {
    const a = Math.ceil(totalBars / 2);
    return [{ name: 'A', bars: a }, { name: "A'", bars: totalBars - a }];
  }
  const frame = totalBars >= 48 ? 4 : totalBars >= 16 ? 2 : 0;
  let intro = frame;
  let outro = frame;
  const body = totalBars - intro - outro;
  const parts: SectionName[] = body >= 64 ? ['A', 'B', "A'", "B'", "A''"] : ['A', 'B', "A'"];
  const phrases = Math.floor(body / 4);
  const remainder = body - phrases * 4;
  const base = Math.floor(phrases / parts.length);
  let extra = phrases - base * parts.length;
  const sections: PlanSection[] = [];
  if (intro > 0) sections.push({ name: 'intro', bars: intro });
  parts.forEach((name, i) => {
    // Extra phrases go to the A sections first (the theme deserves the room), then B.
    const wantsExtra = extra > 0 && (name.startsWith('A') || i === parts.length - 1);
    const bars = (base + (wantsExtra ? 1 : 0)) * 4;
    if (wantsExtra) extra--;
    sections.push({ name, bars });
  });
  // Any phrases still unassigned go to the middle section; leftover bars extend the outro.
  if (extra > 0) sections[intro > 0 ? 2 : 1].bars += extra * 4;
  if (outro > 0 || remainder > 0) {
    outro += remainder;
    sections.push({ name: 'outro', bars: outro });
  }
  return sections.filter((s) => s.bars > 0);
}
