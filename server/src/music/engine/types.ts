/** Shared domain types of the composition engine (see index.ts for the public surface). */

export type EmotionName = 'happy' | 'sad' | 'calm' | 'tense' | 'angry' | 'tender' | 'excited' | 'mysterious';

export type ModeName = 'major' | 'minor' | 'dorian' | 'phrygian' | 'lydian' | 'mixolydian' | 'harmonicMinor';

export type Articulation = 'legato' | 'normal' | 'staccato';
export type DynamicShape = 'steady' | 'arch' | 'crescendo' | 'decrescendo' | 'terraced';
export type AccompanimentPattern = 'block' | 'arpeggio' | 'alberti' | 'strum' | 'pad' | 'ostinato' | 'power';
export type DrumStyle = 'none' | 'brushes' | 'pop' | 'rock' | 'driving' | 'pulse';
export type HarmonicVocabulary = 'diatonic' | 'modal' | 'chromatic';
export type Modulation = 'none' | 'relative' | 'dominant' | 'parallel';
export type SectionName = 'intro' | 'A' | 'B' | "A'" | 'C' | "B'" | "A''" | 'outro';

/** A point of the valence/arousal plane (both in [-1, 1]), optionally tagged with a categorical emotion. */
export interface EmotionTarget {
  valence: number;
  arousal: number;
  label?: EmotionName;
}

/** Caller overrides applied after the emotion mapping. */
export interface PlanOverrides {
  /** Quarter-note beats per minute, 40–220. */
  tempo?: number;
  /** General MIDI programs 0–127, assigned to melody, harmony, bass in that order. */
  instruments?: number[];
  /** Style name (see STYLE_NAMES in style-table.ts); picks accompaniment and drums. */
  style?: string;
}

export interface PlanSection {
  name: SectionName;
  bars: number;
}

export interface PlanInstrument {
  role: 'melody' | 'harmony' | 'bass' | 'drums';
  /** General MIDI program 0–127 (drums: 0 on channel 10). */
  program: number;
  name: string;
}

/** Everything the composer needs, derived from an emotion or a topic; explainable via `explanation`. */
export interface MusicPlan {
  /** Tonic spelled for people, e.g. "A" or "F#". */
  key: string;
  /** Tonic pitch class 0–11 (C = 0). */
  tonic: number;
  mode: ModeName;
  /** Quarter-note beats per minute. */
  tempo: number;
  /** [beats per bar, beat unit]; the engine uses 4/4, 3/4 and 2/4. */
  meter: [number, number];
  /** Melody register as MIDI pitches (inclusive); span 18 semitones (an octave and a half) so it stays singable. */
  melodyRange: [number, number];
  /** Register shift of accompaniment and bass relative to the default (semitones). */
  registerShift: number;
  /** Base MIDI velocity 1–127 of the melody. */
  loudness: number;
  dynamicShape: DynamicShape;
  articulation: Articulation;
  /** Melody onsets per beat (0.5 = half notes on average, 2 = eighth notes). */
  rhythmicDensity: number;
  harmonicVocabulary: HarmonicVocabulary;
  /** Chords per bar (0.5 = one chord every two bars). */
  harmonicRhythm: number;
  accompaniment: AccompanimentPattern;
  drums: DrumStyle;
  modulation: Modulation;
  style: string;
  sections: PlanSection[];
  /** Total bars (sum of sections). */
  bars: number;
  /** Requested duration in seconds. */
  durationSec: number;
  instruments: PlanInstrument[];
  valence: number;
  arousal: number;
  emotion: EmotionName;
  explanation: string[];
}

/** One sounding note, in seconds, for the client's piano roll and the renderer. */
export interface NoteEvent {
  track: number;
  /** MIDI channel 0–15 (9 = General MIDI drums, "channel 10"). */
  channel: number;
  program: number;
  pitch: number;
  startSec: number;
  durationSec: number;
  velocity: number;
}

export interface CompositionTrack {
  /** Index into Composition.tracks; NoteEvent.track refers to it. */
  index: number;
  name: string;
  role: PlanInstrument['role'];
  channel: number;
  program: number;
}

/** A chord as placed on the time line (beats are quarter notes from the start). */
export interface ChordSpan {
  startBeat: number;
  beats: number;
  numeral: string;
  /** Pitch classes, root first. */
  pitchClasses: number[];
  /** The four harmony voices, bass to soprano, as MIDI pitches. */
  voicing: number[];
  /** Tonic and mode in force (changes during a modulation). */
  tonic: number;
  mode: ModeName;
  section: SectionName;
  cadence?: 'authentic' | 'half';
  /** Index of the chord this one restates (a returning section reuses its first statement's harmony). */
  restates?: number;
}

/** Where the piece's tempo changes, and with a new section its meter and key; sorted, the first at 0 s. */
export interface TempoChange {
  startSec: number;
  /** Quarter notes per minute from here to the next change. */
  tempo: number;
  meter?: [number, number];
  key?: { tonic: number; mode: ModeName };
}

export interface Composition {
  plan: MusicPlan;
  seed: number;
  /** Length of the piece in seconds (bars × bar length). */
  durationSec: number;
  tempo: number;
  meter: [number, number];
  tracks: CompositionTrack[];
  /** Sorted by startSec, then track, then pitch. */
  notes: NoteEvent[];
  /** The harmonic skeleton, kept for tests, explanations and the tutor. */
  chords: ChordSpan[];
  /** Melody notes before humanisation, in beats (for analysis and tests). */
  melody: { startBeat: number; beats: number; pitch: number; strong: boolean; chromatic: boolean }[];
  /** Absent: `tempo`, `meter` and the plan's key hold throughout (one composed piece). */
  tempoChanges?: TempoChange[];
  /** The MIDI file's title (conductor-track name); absent: the plan's emotion, key and mode. */
  title?: string;
}
