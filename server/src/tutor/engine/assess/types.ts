/** The assessment contract (the body of `POST /api/tutor/assess` maps 1:1 onto `Assessment`). */

/** A note of the reference melody. */
export interface ReferenceNote {
  /** MIDI note number (integer 0–127; judged over G0–E8, MIDI 19–112). */
  pitch: number;
  /** Onset (seconds from the start of the reference). */
  start: number;
  /** Length (seconds, > 0). */
  duration: number;
}

export type NoteVerdictKind = 'correct' | 'wrong-pitch' | 'early' | 'late' | 'missed';

/** The verdict on one reference note. Optional fields are present when the note was played. */
export interface NoteVerdict {
  /** Index of the reference note (0-based, in the order given). */
  index: number;
  verdict: NoteVerdictKind;
  /** Pitch that was played (fractional MIDI, 2 decimals). */
  detectedPitch?: number;
  /** Played minus reference pitch (cents, integer; + = sharp). */
  pitchErrorCents?: number;
  /** Played onset minus the aligned reference onset (ms, integer; + = late). */
  onsetErrorMs?: number;
}

/** A played note that matches no reference note, on the reference's time line. */
export interface ExtraNote {
  /** Nearest MIDI note number. */
  pitch: number;
  /** Onset (seconds on the reference's time line, i.e. after removing the alignment offset and tempo ratio). */
  start: number;
  /** Length (seconds). */
  duration: number;
}

export interface Assessment {
  /** 0–100 (integer). */
  score: number;
  /** One entry per reference note, in order. */
  notes: NoteVerdict[];
  extra: ExtraNote[];
  /** Sentences for the learner: what went wrong and where, then the next step (last). */
  feedback: string[];
}

/** How the performance was laid over the reference: recording time ≈ offsetSec + tempoRatio · reference time. */
export interface Alignment {
  /** Seconds (recording time of reference time 0). */
  offsetSec: number;
  /** Recording seconds per reference second (> 1 = played slower). */
  tempoRatio: number;
  /** Pairs (reference index, detected-note index) that were matched. */
  pairs: [number, number][];
}

/** Optional context that makes feedback speak in bars (`meter`) and tolerance overrides (the contract's defaults). */
export interface AssessOptions {
  /** Tempo and bar length of the reference, so timing feedback can name bars ("the second bar"). */
  meter?: { bpm: number; beatsPerBar: number; /** Reference time of the first downbeat (s), default 0. */ downbeatSec?: number };
  /** Pitch tolerance (cents), default 50. */
  pitchToleranceCents?: number;
  /** Onset tolerance (ms), default 120. */
  onsetToleranceMs?: number;
}
