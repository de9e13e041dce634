import { BeatNote } from './beat-note';
import { Rng } from './rng';
import { DrumStyle, MusicPlan } from './types';

/** General MIDI percussion keys (channel 10). */
export const GM_DRUM = {
  kick: 36,
  sideStick: 37,
  snare: 38,
  lowTom: 41,
  closedHat: 42,
  midTom: 45,
  openHat: 46,
  crash: 49,
  ride: 51,
} as const;

type Hit = [beat: number, key: number, accent: number];

/** One bar of each groove in 4/4 (beats 0–4); 3/4 bars take the first three beats with the backbeat on 2 and 3. */
const GROOVES: Record<Exclude<DrumStyle, 'none'>, Hit[]> = {
  pop: [
    [0, GM_DRUM.kick, 10],
    [2, GM_DRUM.kick, 4],
    [2.5, GM_DRUM.kick, -6],
    [1, GM_DRUM.snare, 8],
    [3, GM_DRUM.snare, 8],
    ...[0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5].map((b): Hit => [b, GM_DRUM.closedHat, b % 1 === 0 ? 0 : -12]),
  ],
  rock: [
    [0, GM_DRUM.kick, 12],
    [1.5, GM_DRUM.kick, 0],
    [2, GM_DRUM.kick, 8],
    [2.5, GM_DRUM.kick, 0],
    [1, GM_DRUM.snare, 14],
    [3, GM_DRUM.snare, 14],
    ...[0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5].map((b): Hit => [b, GM_DRUM.closedHat, b % 1 === 0 ? 4 : -6]),
  ],
  driving: [
    ...[0, 1, 2, 3].map((b): Hit => [b, GM_DRUM.kick, 10]),
    [1, GM_DRUM.snare, 8],
    [3, GM_DRUM.snare, 8],
    ...[0.5, 1.5, 2.5, 3.5].map((b): Hit => [b, GM_DRUM.openHat, -4]),
  ],
  brushes: [[1, GM_DRUM.sideStick, -10], [3, GM_DRUM.sideStick, -10], ...[0, 1, 2, 3].map((b): Hit => [b, GM_DRUM.ride, -14])],
  pulse: [[0, GM_DRUM.kick, 8], ...[0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5].map((b): Hit => [b, GM_DRUM.lowTom, b % 1 === 0 ? 0 : -14])],
};

/** Drum part: the style's groove every bar, a crash at each section start, fills closing phrases and sections. */
export function drumPart(plan: MusicPlan, rng: Rng): BeatNote[] {
  if (plan.drums === 'none') return [];
  const beatsPerBar = plan.meter[0] * (4 / plan.meter[1]);
  const groove = GROOVES[plan.drums].filter(([b]) => b < beatsPerBar);
  const out: BeatNote[] = [];
  let bar = 0;
  for (const section of plan.sections) {
    for (let i = 0; i < section.bars; i++, bar++) {
      const start = bar * beatsPerBar;
      const lastOfSection = i === section.bars - 1 && bar < plan.bars - 1;
      const phraseEnd = !lastOfSection && i % 4 === 3 && bar < plan.bars - 1;
      const lastOfPiece = bar === plan.bars - 1;
      if (i === 0) out.push({ startBeat: start, beats: 1, pitch: GM_DRUM.crash, accent: 8 });
      if (lastOfPiece) {
        out.push({ startBeat: start, beats: 1, pitch: GM_DRUM.kick, accent: 10 }, { startBeat: start, beats: 2, pitch: GM_DRUM.crash, accent: 10 });
        continue;
      }
      for (const [b, key, accent] of groove) {
        if (lastOfSection && b >= beatsPerBar - 1 && key !== GM_DRUM.kick) continue;
        out.push({ startBeat: start + b, beats: 0.25, pitch: key, accent });
      }
      // Two-bar phrasing: every second bar answers with a syncopated sixteenth kick before the last strong beat.
      if (i % 2 === 1) out.push({ startBeat: start + beatsPerBar - 1.25, beats: 0.25, pitch: GM_DRUM.kick, accent: -8 });
      if (phraseEnd) {
        // A short pickup into the next phrase: two sixteenth-note snare hits before the barline.
        out.push(
          { startBeat: start + beatsPerBar - 0.5, beats: 0.25, pitch: GM_DRUM.snare, accent: -10 },
          { startBeat: start + beatsPerBar - 0.25, beats: 0.25, pitch: GM_DRUM.snare, accent: -4 },
        );
      }
      if (lastOfSection) {
        const fill = rng.chance(0.5) ? [0, 0.25, 0.5, 0.75] : [0, 0.5, 0.75];
        for (const f of fill)
          out.push({ startBeat: start + beatsPerBar - 1 + f, beats: 0.25, pitch: f < 0.5 ? GM_DRUM.snare : GM_DRUM.midTom, accent: -4 + f * 12 });
      }
    }
  }
  return out;
}
