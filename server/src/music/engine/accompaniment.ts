import { BeatNote } from './beat-note';
import { ChordSpan, MusicPlan } from './types';

/** Lowest pitch the bass part may play: E1, the open low string of a double bass or bass guitar. */
const LOWEST_BASS = 28;

/** Highest fifth above the root the bass plays before it takes the fifth below instead (A3 before the register shift). */
const BASS_FIFTH_CEILING = 57;

/**
 * Widest distance (semitones) from the melody's ceiling to the lowest bass note: about three and a half octaves,
 * the span of the Nottingham arrangements (pitch-range IQR 43–45); chosen from that corpus, see docs/music-engine.md.
 */
const MAX_TEXTURE_SPAN = 45;

/** One bar of a pattern: onsets in beats, which upper voices (1 = tenor, 2 = alto, 3 = soprano) sound, and for how long. */
interface PatternHit {
  at: number;
  voices: number[];
  beats: number;
  accent: number;
}

/**
 * One bar of the style's pattern. `variant` is the re-orchestrated form (a different broken-chord order, strum
 * rhythm or off-beat voicing) used in every second period of a long section and in the development and last reprise
 * of long pieces, as an arranger varies the comping of a returning strain.
 */
function patternBar(plan: MusicPlan, beatsPerBar: number, variant: boolean): PatternHit[] {
  const triad = [1, 2, 3];
  const eighths = (voicesAt: (i: number) => number[], dur: number) =>
    Array.from({ length: beatsPerBar * 2 }, (_, i) => ({ at: i / 2, voices: voicesAt(i), beats: dur, accent: i % 2 === 0 ? 6 : 0 }));
  switch (plan.accompaniment) {
    case 'block':
      return beatsPerBar === 3
        ? [0, 1, 2].map((at) => ({ at, voices: triad, beats: 0.9, accent: at === 0 ? 6 : 0 }))
        : variant
          ? [
              { at: 0, voices: triad, beats: 1.5, accent: 6 },
              { at: 1.5, voices: triad, beats: 2.5, accent: 2 },
            ]
          : [
              { at: 0, voices: triad, beats: 2, accent: 6 },
              { at: 2, voices: triad, beats: 2, accent: 0 },
            ];
    case 'arpeggio': {
      const order = variant ? [1, 3, 2, 3] : [1, 2, 3, 2];
      // Broken chord held by the pedal: every note rings to the end of the bar.
      return Array.from({ length: beatsPerBar * 2 }, (_, i) => {
        const at = i / 2;
        return { at, voices: [order[i % 4]], beats: beatsPerBar - at, accent: i === 0 ? 6 : 0 };
      });
    }
    case 'alberti':
      return eighths((i) => [(variant ? [1, 2, 3, 2] : [1, 3, 2, 3])[i % 4]], 0.5);
    case 'strum': {
      const onsets = beatsPerBar === 3 ? (variant ? [0, 1.5, 2] : [0, 1, 2]) : variant ? [0, 0.5, 1.5, 2, 3] : [0, 1, 1.5, 2.5, 3];
      return onsets.map((at, i) => ({ at, voices: triad, beats: (onsets[i + 1] ?? beatsPerBar) - at, accent: at === 0 ? 8 : at % 1 === 0 ? 3 : -4 }));
    }
    case 'pad':
      // Alto and soprano sustain; the tenor only colours the downbeat, keeping the texture to about four voices.
      return variant
        ? [
            { at: 0, voices: [1, 3], beats: beatsPerBar, accent: 0 },
            { at: 1, voices: [2], beats: 1, accent: -4 },
          ]
        : [
            { at: 0, voices: [2, 3], beats: beatsPerBar, accent: 0 },
            { at: 0, voices: [1], beats: 1, accent: 0 },
          ];
    case 'ostinato':
    case 'power': {
      // Driving eighths: the full chord on the beat (its notes ring into the off-beat), two voices off the beat.
      const offBeat = plan.accompaniment === 'ostinato' ? (variant ? [1, 3] : [2, 3]) : variant ? [2, 3] : [1, 2];
      return Array.from({ length: beatsPerBar * 2 }, (_, i) => ({
        at: i / 2,
        voices: i % 2 === 0 ? [1, 2, 3] : offBeat,
        beats: i % 2 === 0 ? 0.75 : 0.5,
        accent: i % 2 === 0 ? 6 : 0,
      }));
    }
  }
}

/**
 * The second bar of a two-bar accompaniment phrase: broken chords lengthen their first note to a quarter, pads
 * re-strike the soprano mid-bar. Other patterns repeat unchanged (their drums carry the two-bar phrasing).
 */
function answeringBar(plan: MusicPlan, hits: PatternHit[], beatsPerBar: number): PatternHit[] {
  if (plan.accompaniment === 'arpeggio' || plan.accompaniment === 'alberti') return hits.filter((h) => Math.abs(h.at - 0.5) > 1e-9);
  if (plan.accompaniment === 'pad') return [...hits, { at: 2, voices: [3], beats: beatsPerBar - 2, accent: -6 }];
  return hits;
}

/** Bass rhythm per accompaniment: sustained roots for soft styles, root–fifth on strong beats, or driving eighths. */
function bassBar(plan: MusicPlan, beatsPerBar: number): { at: number; beats: number; fifth: boolean; accent: number }[] {
  switch (plan.accompaniment) {
    case 'pad':
    case 'arpeggio':
      return [{ at: 0, beats: beatsPerBar, fifth: false, accent: 0 }];
    case 'ostinato':
    case 'power':
      return Array.from({ length: beatsPerBar * 2 }, (_, i) => ({ at: i / 2, beats: 0.5, fifth: false, accent: i % 2 === 0 ? 6 : 0 }));
    default:
      return beatsPerBar === 3
        ? [{ at: 0, beats: 3, fifth: false, accent: 4 }]
        : [
            { at: 0, beats: 2, fifth: false, accent: 4 },
            { at: 2, beats: 2, fifth: true, accent: 0 },
          ];
  }
}

/** Harmony and bass parts from the voiced chords; the bass plays the voicing's bass voice (sometimes its fifth above). */
export function arrangeAccompaniment(plan: MusicPlan, chords: readonly ChordSpan[]): { harmony: BeatNote[]; bass: BeatNote[] } {
  const beatsPerBar = plan.meter[0] * (4 / plan.meter[1]);
  const plainHits = patternBar(plan, beatsPerBar, false);
  const variantHits = patternBar(plan, beatsPerBar, true);
  const bassHits = bassBar(plan, beatsPerBar);
  const harmony: BeatNote[] = [];
  const bass: BeatNote[] = [];
  const sectionStart = new Map<string, number>();
  for (const c of chords) if (!sectionStart.has(c.section)) sectionStart.set(c.section, c.startBeat);
  chords.forEach((chord, index) => {
    const final = index === chords.length - 1;
    const endsSection = index + 1 < chords.length && chords[index + 1].section !== chord.section;
    // Every second eight-bar period of a long section, and the development and last reprise, vary the comping.
    const period = Math.floor((chord.startBeat - (sectionStart.get(chord.section) ?? 0)) / (8 * beatsPerBar));
    const hits = chord.section === 'C' || chord.section === "A''" || period % 2 === 1 ? variantHits : plainHits;
    for (let b0 = chord.startBeat; b0 < chord.startBeat + chord.beats - 1e-9; b0 += beatsPerBar) {
      const lastBarOfChord = b0 + beatsPerBar >= chord.startBeat + chord.beats - 1e-9;
      const cadential = endsSection && chord.cadence === 'authentic' && plan.accompaniment !== 'pad' && plan.accompaniment !== 'block';
      if (final && lastBarOfChord) {
        // The last bar of the piece: one held chord, the bass doubled an octave lower (the weighty final tonic of
        // piano and orchestral endings) where the instrument reaches it and the texture stays within its span.
        for (const v of [1, 2, 3]) harmony.push({ startBeat: b0, beats: beatsPerBar, pitch: chord.voicing[v], accent: 0 });
        bass.push({ startBeat: b0, beats: beatsPerBar, pitch: chord.voicing[0], accent: 0 });
        const low = chord.voicing[0] - 12;
        if (low >= LOWEST_BASS && plan.melodyRange[1] - low <= MAX_TEXTURE_SPAN)
          bass.push({ startBeat: b0, beats: beatsPerBar, pitch: chord.voicing[0] - 12, accent: -6 });
        continue;
      }
      if (cadential && lastBarOfChord) {
        // A section-closing cadence: the pattern runs for the first half of the bar, then settles on a held chord.
        const half = beatsPerBar === 3 ? 1 : beatsPerBar / 2;
        for (const h of hits.filter((x) => x.at < half - 1e-9)) {
          for (const v of h.voices) harmony.push({ startBeat: b0 + h.at, beats: Math.min(h.beats, half - h.at), pitch: chord.voicing[v], accent: h.accent });
        }
        for (const v of [1, 2, 3]) harmony.push({ startBeat: b0 + half, beats: beatsPerBar - half, pitch: chord.voicing[v], accent: -4 });
        bass.push({ startBeat: b0, beats: beatsPerBar, pitch: chord.voicing[0], accent: 2 });
        continue;
      }
      const answering = Math.round(b0 / beatsPerBar) % 2 === 1;
      for (const h of answering ? answeringBar(plan, hits, beatsPerBar) : hits) {
        for (const v of h.voices) harmony.push({ startBeat: b0 + h.at, beats: h.beats, pitch: chord.voicing[v], accent: h.accent });
      }
      for (const h of bassHits) {
        const root = chord.voicing[0];
        const fifthBelow = root - 5 >= LOWEST_BASS ? root - 5 : root;
        const pitch = h.fifth ? (root + 7 <= BASS_FIFTH_CEILING + plan.registerShift ? root + 7 : fifthBelow) : root;
        bass.push({ startBeat: b0 + h.at, beats: h.beats, pitch, accent: h.accent });
      }
    }
  });
  return { harmony, bass };
}
