/**
 * The accompaniment material, taken from the music engine rather than re-invented: its style table (pattern and
 * groove per style), its accompaniment patterns (`arrangeAccompaniment`: block, arpeggio, Alberti, strum, pad,
 * ostinato, power; bass root–fifth or driving eighths), its drum grooves (`drumPart`: groove, crash, pickups, fills)
 * and its voice-leading rules (`candidateVoicings`, parallel fifths/octaves, leading-tone resolution), applied here one
 * chord at a time as the players' harmony is heard.
 */
import { arrangeAccompaniment } from '../../music/engine/accompaniment';
import { BeatNote } from '../../music/engine/beat-note';
import { drumPart } from '../../music/engine/drums';
import { planFromEmotion } from '../../music/engine/plan';
import { createRng } from '../../music/engine/rng';
import { STYLE_TABLE } from '../../music/engine/style-table';
import { mod12 } from '../../music/engine/theory';
import { ChordSpan, DrumStyle, MusicPlan } from '../../music/engine/types';
import { candidateVoicings, parallelViolations, unresolvedLeadingTone, VOICE_RANGES } from '../../music/engine/voicing';

/** Bars in the drum loop: one eight-bar strain with its crash, phrase pickups and closing fill. */
export const DRUM_LOOP_BARS = 8;

export interface StyleMaterial {
  /** A music-engine plan carrying the style's pattern, groove and meter (the rest of it is unused). */
  plan: MusicPlan;
  beatsPerBar: number;
  /** The groove over DRUM_LOOP_BARS bars (beats from the loop's start); empty when the style has no drums. */
  drumLoop: BeatNote[];
}

/** The style's material for a bar of `beatsPerBar` quarter beats (2–7); `drums` overrides the style's groove. */
export function styleMaterial(style: string, beatsPerBar: number, seed: number, drums?: DrumStyle): StyleMaterial {
  const entry = STYLE_TABLE[style];
  if (!entry) throw new RangeError(`style must be one of ${Object.keys(STYLE_TABLE).join(', ')}, got ${style}`);
  const bpb = Math.max(2, Math.min(7, Math.round(beatsPerBar)));
  const base = planFromEmotion({ valence: 0.5, arousal: 0 }, 60, { style });
  const plan: MusicPlan = {
    ...base,
    meter: [bpb, 4],
    registerShift: 0,
    accompaniment: entry.accompaniment,
    drums: drums ?? entry.drums,
    sections: [{ name: 'A', bars: DRUM_LOOP_BARS }],
    // One bar more than the loop, so the loop's last bar is a section end (fill), not the end of a piece.
    bars: DRUM_LOOP_BARS + 1,
  };
  const drumLoop = plan.drums === 'none' ? [] : drumPart(plan, createRng(seed).fork('drums'));
  return { plan, beatsPerBar: bpb, drumLoop };
}

/**
 * One bar of comping for a voiced chord: the style's pattern from the music engine, bar `bar` (its parity selects the
 * answering bar of two-bar phrases; every second eight-bar period uses the varied pattern).
 */
export function compingBar(
  material: StyleMaterial,
  voicing: readonly number[],
  pitchClasses: readonly number[],
  bar: number,
): { harmony: BeatNote[]; bass: BeatNote[] } {
  const bpb = material.beatsPerBar;
  const start = bar * bpb;
  const section = Math.floor(bar / 8) % 2 === 1 ? 'C' : 'A';
  const span = (startBeat: number): ChordSpan => ({
    startBeat,
    beats: bpb,
    numeral: 'I',
    pitchClasses: [...pitchClasses],
    voicing: [...voicing],
    tonic: pitchClasses[0],
    mode: 'major',
    section,
  });
  // A second bar follows so the first is neither the piece's final bar nor a cadence.
  const { harmony, bass } = arrangeAccompaniment(material.plan, [span(start), span(start + bpb)]);
  const inBar = (n: BeatNote) => n.startBeat >= start - 1e-9 && n.startBeat < start + bpb - 1e-9;
  return { harmony: harmony.filter(inBar), bass: bass.filter(inBar) };
}

function motionCost(a: readonly number[], b: readonly number[]): number {
  let cost = Math.abs(a[0] - b[0]) * 0.3;
  for (let v = 1; v < 4; v++) cost += Math.abs(a[v] - b[v]);
  return cost;
}

function centreCost(v: readonly number[]): number {
  return VOICE_RANGES.reduce((s, [lo, hi], i) => s + Math.abs(v[i] - (lo + hi) / 2), 0) * 0.15;
}

/**
 * The next four-voice voicing (bass to soprano) of a chord, led from the previous one: the music engine's candidate
 * voicings (root in the bass, complete triad, spacing, leading tone not doubled), without parallel fifths/octaves or an
 * unresolved leading tone when some candidate allows it, then the smallest motion. A leading tone (the pitch class
 * that must rise, in a dominant chord) is never doubled in `leadingTone`'s chord and resolves from `previousLeadingTone`'s.
 */
export function leadVoicing(
  previous: readonly number[] | undefined,
  pitchClasses: readonly number[],
  leadingTone?: number,
  previousLeadingTone?: number,
): number[] {
  let candidates = candidateVoicings(pitchClasses, 0, leadingTone);
  if (candidates.length === 0) candidates = candidateVoicings(pitchClasses, 0, undefined);
  if (candidates.length === 0) throw new RangeError(`no voicing for pitch classes ${pitchClasses.join(',')}`);
  if (!previous) return [...candidates.reduce((best, v) => (centreCost(v) < centreCost(best) ? v : best))];
  const lawful = candidates.filter(
    (v) => parallelViolations(previous, v).length === 0 && !unresolvedLeadingTone(previous, v, previousLeadingTone, pitchClasses),
  );
  const pool = lawful.length > 0 ? lawful : candidates;
  let best = pool[0];
  let bestCost = Infinity;
  for (const v of pool) {
    const c = motionCost(previous, v) + centreCost(v);
    if (c < bestCost) {
      bestCost = c;
      best = v;
    }
  }
  return [...best];
}

/** The leading tone of a chord in a key, when the chord is the key's dominant (major triad a fifth above the tonic). */
export function dominantLeadingTone(root: number, quality: string, tonic: number | undefined): number | undefined {
  if (tonic === undefined || quality !== 'maj' || mod12(root - tonic) !== 7) return undefined;
  return mod12(tonic + 11);
}
