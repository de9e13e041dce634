import { MODE_STEPS, mod12 } from './theory';
import { ChordSpan, MusicPlan } from './types';

/** Where the melody may go: local scales, chord lookup by beat, strong beats, scale steps. */

/** Scale of a chord's key with chord tones substituted for the scale notes they alter (e.g. raised 7th over V in minor). */
export function localScale(chord: ChordSpan): number[] {
  const scale = MODE_STEPS[chord.mode].map((s) => mod12(chord.tonic + s));
  return scale
    .map((pc) => {
      if (chord.pitchClasses.includes(pc)) return pc;
      const altered = chord.pitchClasses.find((c) => !scale.includes(c) && (mod12(c - pc) === 1 || mod12(pc - c) === 1));
      return altered ?? pc;
    })
    .sort((a, b) => a - b);
}

/**
 * The scale the melody moves in: the local scale, reduced to its pentatonic core for the Chinese style
 * (gong-mode pentatonic: degrees 1 2 3 5 6 of a major key; yu-mode 1 b3 4 5 b7 of a minor one).
 */
export function melodicScale(plan: MusicPlan, chord: ChordSpan): number[] {
  const scale = localScale(chord);
  if (plan.style !== 'chinese') return scale;
  const keep = MODE_STEPS[chord.mode][2] === 4 ? [0, 2, 4, 7, 9] : [0, 3, 5, 7, 10];
  const penta = keep.map((s) => mod12(chord.tonic + s));
  const core = scale.filter((pc) => penta.includes(pc));
  return core.length >= 5 ? core : scale;
}

/** The chord's triad: root, third, fifth (a seventh stays in the harmony voices, where it is resolved). */
export function triadOf(chord: ChordSpan): number[] {
  return chord.pitchClasses.slice(0, 3);
}

/** Chord tones allowed on strong beats; the Chinese style prefers those inside its pentatonic scale. */
export function strongBeatTones(plan: MusicPlan, chord: ChordSpan): number[] {
  const triad = triadOf(chord);
  if (plan.style !== 'chinese') return triad;
  const scale = melodicScale(plan, chord);
  const inside = triad.filter((pc) => scale.includes(pc));
  return inside.length > 0 ? inside : triad;
}

export function chordAt(chords: readonly ChordSpan[], beat: number): ChordSpan {
  for (let i = chords.length - 1; i >= 0; i--) if (chords[i].startBeat <= beat + 1e-9) return chords[i];
  return chords[0];
}

/** Strong beats: the downbeat, and beat 3 in 4/4. */
export function isStrongBeat(beatInBar: number, beatsPerBar: number): boolean {
  return Math.abs(beatInBar) < 1e-9 || (beatsPerBar === 4 && Math.abs(beatInBar - 2) < 1e-9);
}

/** Nearest pitch in [lo, hi] whose pitch class is in `pcs` (ties go down). */
export function nearestIn(target: number, pcs: readonly number[], lo: number, hi: number): number {
  let best = Math.max(lo, Math.min(hi, target));
  let bestD = Infinity;
  for (let p = lo; p <= hi; p++) {
    if (!pcs.includes(mod12(p))) continue;
    const d = Math.abs(p - target);
    if (d < bestD) {
      bestD = d;
      best = p;
    }
  }
  return best;
}

/** Moves `steps` scale degrees from `pitch` within `scale` (pitch need not be in the scale). */
export function stepInScale(pitch: number, steps: number, scale: readonly number[]): number {
  let p = pitch;
  const dir = Math.sign(steps);
  for (let n = 0; n < Math.abs(steps); n++) {
    do p += dir;
    while (!scale.includes(mod12(p)));
  }
  return p;
}
