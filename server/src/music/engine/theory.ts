import { ModeName } from './types';

/** Semitone steps of each mode from its tonic (seven degrees). */
export const MODE_STEPS: Record<ModeName, readonly number[]> = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  harmonicMinor: [0, 2, 3, 5, 7, 8, 11],
  dorian: [0, 2, 3, 5, 7, 9, 10],
  phrygian: [0, 1, 3, 5, 7, 8, 10],
  lydian: [0, 2, 4, 6, 7, 9, 11],
  mixolydian: [0, 2, 4, 5, 7, 9, 10],
};

const SHARP_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
const FLAT_NAMES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'Gb', 'G', 'Ab', 'A', 'Bb', 'B'];

/** Modes whose third is minor (the "minor family"). */
export function isMinorFamily(mode: ModeName): boolean {
  return MODE_STEPS[mode][2] === 3;
}

export function mod12(n: number): number {
  return ((n % 12) + 12) % 12;
}

/** Pitch classes of the scale of `mode` on `tonic`. */
export function scalePitchClasses(tonic: number, mode: ModeName): number[] {
  return MODE_STEPS[mode].map((s) => mod12(tonic + s));
}

/** Number of sharps (positive) or flats (negative) of the key signature, as written in a MIDI key-signature event. */
export function keySignatureAccidentals(tonic: number, mode: ModeName): number {
  // Reduce each mode to its relative major/minor signature.
  const majorOffset: Record<ModeName, number> = {
    major: 0,
    lydian: 7,
    mixolydian: 5,
    minor: 3,
    harmonicMinor: 3,
    dorian: 10,
    phrygian: 8,
  };
  const majorTonic = mod12(tonic + majorOffset[mode]);
  const circle = [0, 7, 2, 9, 4, 11, 6, 1, 8, 3, 10, 5]; // C G D A E B F# C# Ab Eb Bb F
  const idx = circle.indexOf(majorTonic);
  return idx <= 6 ? idx : idx - 12;
}

/** Human spelling of a tonic ("F#", "Bb"), choosing sharps or flats from the key signature. */
export function tonicName(tonic: number, mode: ModeName): string {
  return keySignatureAccidentals(tonic, mode) < 0 ? FLAT_NAMES[mod12(tonic)] : SHARP_NAMES[mod12(tonic)];
}

const NAME_TO_PC: Record<string, number> = {
  C: 0,
  'C#': 1,
  DB: 1,
  D: 2,
  'D#': 3,
  EB: 3,
  E: 4,
  F: 5,
  'F#': 6,
  GB: 6,
  G: 7,
  'G#': 8,
  AB: 8,
  A: 9,
  'A#': 10,
  BB: 10,
  B: 11,
};

/** Pitch class of a tonic name like "F#" or "Bb"; undefined when unknown. */
export function pitchClassOf(name: string): number | undefined {
  return NAME_TO_PC[name.trim().toUpperCase()];
}

/** Largest MIDI pitch ≤ `ceiling` with pitch class `pc`. */
export function pitchAtOrBelow(pc: number, ceiling: number): number {
  return ceiling - mod12(ceiling - pc);
}

/** Smallest MIDI pitch ≥ `floor` with pitch class `pc`. */
export function pitchAtOrAbove(pc: number, floor: number): number {
  return floor + mod12(pc - floor);
}

/** Nearest MIDI pitch to `target` whose pitch class is in `pcs` (ties go down). */
export function nearestPitchIn(target: number, pcs: readonly number[]): number {
  for (let d = 0; d < 12; d++) {
    if (pcs.includes(mod12(target - d))) return target - d;
    if (pcs.includes(mod12(target + d))) return target + d;
  }
  return target;
}

/** Scale pitches in [lo, hi] ascending. */
export function scalePitchesInRange(pcs: readonly number[], lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let p = lo; p <= hi; p++) if (pcs.includes(mod12(p))) out.push(p);
  return out;
}
