/** Shared types of the ensemble engines (see index.ts for the public surface). */

/** General MIDI's percussion channel ("channel 10", 0-based 9): its notes are drum sounds, not pitches. */
export const DRUM_CHANNEL = 9;

/** A note event as the room protocol carries it: `time` is shared-clock ms. */
export interface EnsembleNote {
  type: 'on' | 'off';
  /** MIDI pitch 0–127. */
  pitch: number;
  /** MIDI velocity 0–127 (a note-on with velocity 0 is a note-off, as in MIDI). */
  velocity: number;
  /** Shared-clock time, ms. */
  time: number;
  /** MIDI channel 0–15 (9 = drums); 0 when absent. */
  channel?: number;
  /** Who played it (the room member); notes are told apart per member, channel and pitch. */
  memberId?: string;
}

export type KeyMode = 'major' | 'minor';

/** A key estimate. */
export interface KeyEstimate {
  /** Tonic pitch class 0–11 (C = 0). */
  tonic: number;
  mode: KeyMode;
  /** Spelled for people, e.g. "F# minor", "Bb major". */
  name: string;
  /** Pearson correlation of the pitch-class weights with the key's profile, −1…1. */
  correlation: number;
  /** Correlation of the best key minus the runner-up's: how clear the choice is. */
  margin: number;
}

export type ChordQuality = 'maj' | 'min' | 'dim';

/** A chord estimate. */
export interface ChordEstimate {
  /** Root pitch class 0–11. */
  root: number;
  quality: ChordQuality;
  /** e.g. "C", "F#m", "Bdim". */
  name: string;
  /** Pitch classes, root first. */
  pitchClasses: number[];
  /** Posterior probability of this chord, 0–1. */
  probability: number;
}

/** Whether a value is a well-formed note event (the gateway validates too; the engines stay safe on their own). */
export function isEnsembleNote(e: EnsembleNote): boolean {
  return (
    (e.type === 'on' || e.type === 'off') &&
    Number.isInteger(e.pitch) &&
    e.pitch >= 0 &&
    e.pitch <= 127 &&
    Number.isFinite(e.velocity) &&
    e.velocity >= 0 &&
    e.velocity <= 127 &&
    Number.isFinite(e.time) &&
    (e.channel === undefined || (Number.isInteger(e.channel) && e.channel >= 0 && e.channel <= 15))
  );
}

/** Whether the event starts a note (a note-on with a positive velocity). */
export const isNoteOn = (e: EnsembleNote) => e.type === 'on' && e.velocity > 0;
