/** Exercise shapes: what the service sends to the page (prompt, audio as notes, notation as note data) and keeps for grading. */
import type { ModeName } from '../../../music/engine';
import type { ReferenceNote } from '../assess/types';
import type { SkillArea } from '../skills/skill-graph';

/** Notes the music engine's SoundFont synthesizer renders (see exerciseMidi): beats are quarter notes at `bpm`. */
export interface ExerciseAudio {
  bpm: number;
  /** General MIDI program (0 = acoustic grand piano). */
  program: number;
  notes: { pitch: number; startBeat: number; beats: number; velocity: number }[];
}

/** A note on a staff, spelled for the key (e.g. "F#4", "Bb3"). */
export interface StaffNote {
  pitch: number;
  /** Spelled name with octave (scientific pitch notation). */
  name: string;
  /** Length in quarter notes. */
  beats: number;
}

export interface Staff {
  clef: 'treble' | 'bass';
  /** Sharps (> 0) or flats (< 0) in the key signature. */
  keySignature: number;
  /** Time signature [beats per bar, beat unit]. */
  timeSignature: [number, number];
  notes: StaffNote[];
}

interface ExerciseBase {
  /** Unique per generated instance: item id + seed. */
  id: string;
  /** The calibrated item this instance belongs to (IRT difficulty and FSRS card are per item). */
  itemId: string;
  skillId: string;
  area: SkillArea;
  seed: number;
  /** What to tell the learner. */
  prompt: string;
}

/** Listen and choose: interval, chord quality or scale/mode by ear. */
export interface ChoiceExercise extends ExerciseBase {
  kind: 'interval' | 'chord' | 'scale';
  audio: ExerciseAudio;
  choices: string[];
  answer: string;
}

/** Name the notes on a staff (letters with accidentals, no octave). */
export interface NoteReadingExercise extends ExerciseBase {
  kind: 'note-reading';
  staff: Staff;
  /** Expected names in order, e.g. ["F#", "A", "D"]. */
  answer: string[];
}

/** Tap a rhythm after a count-in. */
export interface RhythmExercise extends ExerciseBase {
  kind: 'rhythm';
  bpm: number;
  beatsPerBar: number;
  /** Count-in clicks before the pattern (beats). */
  countInBeats: number;
  /** The pattern in beats; negative = rest. */
  pattern: number[];
  staff: Staff;
  /** Expected tap times (s from the first count-in click). */
  expectedTaps: number[];
  /** Count-in clicks and the pattern on one pitch, for the page to play. */
  audio: ExerciseAudio;
}

/** Sing or play a melody: from the staff (sight-singing) or after hearing it (play-back). */
export interface MelodyExercise extends ExerciseBase {
  kind: 'sight-singing' | 'play-back';
  bpm: number;
  beatsPerBar: number;
  key: string;
  mode: ModeName;
  /** The reference for assessRecording (s, from the first note). */
  melody: ReferenceNote[];
  staff: Staff;
  audio: ExerciseAudio;
}

export type Exercise = ChoiceExercise | NoteReadingExercise | RhythmExercise | MelodyExercise;

/** What a learner hands in: a choice, note names, tap times (s from the first count-in click), or an assessed recording. */
export type ExerciseAnswer =
  { kind: 'choice'; answer: string } | { kind: 'names'; names: string[] } | { kind: 'taps'; times: number[] } | { kind: 'recording'; score: number };

/** How an attempt went: `score` 0–1, `correct` = counts as a success for the planner. */
export interface ExerciseResult {
  correct: boolean;
  score: number;
  /** One-line explanation for the learner. */
  feedback: string[];
}
