/**
 * Assessment of a performance against a reference melody: decode → pitch track → notes → alignment → verdicts,
 * score and feedback. The result maps 1:1 onto the `POST /api/tutor/assess` response.
 */
import { decodeWavMono, type MonoAudio } from '../audio/wav-input';
import { segmentNotes, type DetectedNote } from '../notes/segment';
import { PITCH_TRACKER_DEFAULTS, type PitchTrackerParameters } from '../pitch/pitch-parameters';
import { midiToHz, trackPitch, type PitchTrack } from '../pitch/pitch-tracker';
import { align } from './align';
import { EXTRA_FILTER, SCORE_WEIGHTS, SEARCH_RANGE, VERDICT_RULES } from './assess-parameters';
import { composeFeedback } from './feedback';
import { splitRepeatedNotes } from './repeated-notes';
import type { Alignment, AssessOptions, Assessment, ExtraNote, NoteVerdict, ReferenceNote } from './types';

/** A reference the engine cannot use; `field` names what is wrong (the service answers 400 naming `reference`). */
export class ReferenceInputError extends Error {
  constructor(
    message: string,
    readonly field: string = 'reference',
  ) {
    super(message);
    this.name = 'ReferenceInputError';
  }
}

/**
 * Checks a reference (≥ 1 note, integer MIDI 0–127, finite start ≥ 0, duration > 0); returns plain notes in the given
 * order. Notes are judged over the piano's range and a little beyond (SEARCH_RANGE: G0–E8).
 */
export function validateReference(notes: unknown): ReferenceNote[] {
  if (!Array.isArray(notes) || notes.length === 0) throw new ReferenceInputError('reference.notes must be a non-empty array');
  return notes.map((n: unknown, i) => {
    const note = n as Partial<ReferenceNote> | null;
    if (typeof note !== 'object' || note === null) throw new ReferenceInputError(`reference.notes[${i}] must be an object`);
    const { pitch, start, duration } = note;
    if (typeof pitch !== 'number' || !Number.isInteger(pitch) || pitch < 0 || pitch > 127) {
      throw new ReferenceInputError(`reference.notes[${i}].pitch must be an integer MIDI note 0–127`);
    }
    if (typeof start !== 'number' || !Number.isFinite(start) || start < 0)
      throw new ReferenceInputError(`reference.notes[${i}].start must be a number ≥ 0 (s)`);
    if (typeof duration !== 'number' || !Number.isFinite(duration) || duration <= 0) {
      throw new ReferenceInputError(`reference.notes[${i}].duration must be a number > 0 (s)`);
    }
    return { pitch, start, duration };
  });
}

/** Everything the assessment saw, for the service's history, charts and debugging. */
export interface AssessmentDetail {
  assessment: Assessment;
  alignment: Alignment;
  /** Notes found in the recording (recording time). */
  detected: DetectedNote[];
  track?: PitchTrack;
}

const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Verdicts, score and feedback for notes already found in a recording (reference in any order; verdicts follow it). */
export function assessNotes(reference: ReferenceNote[], detected: DetectedNote[], options: AssessOptions = {}): AssessmentDetail {
  const pitchTol = options.pitchToleranceCents ?? VERDICT_RULES.pitchToleranceCents;
  const onsetTol = options.onsetToleranceMs ?? VERDICT_RULES.onsetToleranceMs;
  // Alignment works in time order; `order[k]` is the caller's index of the k-th note in time.
  const order = reference.map((_, i) => i).sort((a, b) => reference[a].start - reference[b].start || a - b);
  const sorted = order.map((i) => reference[i]);
  const alignment = align(sorted, detected);
  const { offsetSec, tempoRatio } = alignment;
  alignment.pairs = alignment.pairs.map(([k, j]) => [order[k], j]);
  const matchOf = new Map(alignment.pairs);
  const used = new Set(alignment.pairs.map(([, j]) => j));

  let credit = 0;
  const notes: NoteVerdict[] = reference.map((r, index) => {
    const j = matchOf.get(index);
    if (j === undefined) return { index, verdict: 'missed' };
    const d = detected[j];
    const cents = (d.pitch - r.pitch) * 100;
    const onsetMs = (d.start - (offsetSec + tempoRatio * r.start)) * 1000;
    const base = { index, detectedPitch: round(d.pitch, 2), pitchErrorCents: Math.round(cents), onsetErrorMs: Math.round(onsetMs) };
    if (Math.abs(cents) > pitchTol) {
      credit += SCORE_WEIGHTS.wrongPitch;
      return { ...base, verdict: 'wrong-pitch' };
    }
    if (Math.abs(onsetMs) > onsetTol) {
      credit += SCORE_WEIGHTS.timing;
      return { ...base, verdict: onsetMs > 0 ? 'late' : 'early' };
    }
    credit += SCORE_WEIGHTS.correct - SCORE_WEIGHTS.intonation * (cents / pitchTol) ** 2;
    return { ...base, verdict: 'correct' };
  });

  const extra: ExtraNote[] = detected
    .filter((d, j) => !used.has(j) && d.duration >= EXTRA_FILTER.minDurationSec && d.clarity >= EXTRA_FILTER.minClarity && !continuesNote(detected, j, used))
    .map((d) => ({ pitch: Math.round(d.pitch), start: round((d.start - offsetSec) / tempoRatio, 3), duration: round(d.duration / tempoRatio, 3) }));

  const score = Math.round((100 * Math.max(0, credit)) / (reference.length + SCORE_WEIGHTS.extra * extra.length));
  const feedback = composeFeedback(reference, notes, extra, alignment, options);
  return { assessment: { score, notes, extra, feedback }, alignment, detected };
}

/**
 * Whether played note j only continues its neighbour: the same pitch without a gap, after the previous note or before a
 * matched one. Such a split of one sounding note (a bow change, a swell, a vibrato pulse through reverb) is not an
 * added note; a repeat after a gap still is.
 */
function continuesNote(detected: DetectedNote[], j: number, used: Set<number>): boolean {
  const d = detected[j];
  const joins = (a: DetectedNote, b: DetectedNote) =>
    b.start - (a.start + a.duration) <= EXTRA_FILTER.continuationGapSec && Math.abs(a.pitch - b.pitch) <= EXTRA_FILTER.continuationSemitones;
  const prev = detected[j - 1];
  const next = detected[j + 1];
  return (prev !== undefined && joins(prev, d)) || (next !== undefined && used.has(j + 1) && joins(d, next));
}

/**
 * The pitch tracker's search range for a reference (see SEARCH_RANGE): the default 55–1760 Hz unless the reference
 * reaches beyond it; the octave bonus keeps counting from the default floor so a lower floor does not change voicing.
 */
export function searchRangeFor(reference: readonly ReferenceNote[]): Pick<PitchTrackerParameters, 'minHz' | 'maxHz' | 'octaveBonusFromHz'> {
  const { minHz, maxHz } = PITCH_TRACKER_DEFAULTS;
  const pitches = reference.map((n) => n.pitch);
  const low = Math.max(SEARCH_RANGE.floorMidi, Math.min(...pitches) - SEARCH_RANGE.belowSemitones);
  const high = Math.min(SEARCH_RANGE.ceilingMidi, Math.max(...pitches) + SEARCH_RANGE.aboveSemitones);
  return { minHz: Math.min(minHz, midiToHz(low)), maxHz: Math.max(maxHz, midiToHz(high)), octaveBonusFromHz: minHz };
}

/** Assesses a recording (mono PCM at 8–48 kHz) against a reference melody. */
export function assessRecording(audio: MonoAudio, reference: ReferenceNote[], options: AssessOptions = {}): AssessmentDetail {
  const notes = validateReference(reference);
  const track = trackPitch(audio, searchRangeFor(notes));
  const detected = splitRepeatedNotes(notes, segmentNotes(track), track);
  return { ...assessNotes(notes, detected, options), track };
}

/** Assesses a WAV file (see decodeWavMono for the formats); throws AudioInputError or ReferenceInputError on bad input. */
export function assessWav(wav: Uint8Array, reference: ReferenceNote[], options: AssessOptions = {}): Assessment {
  const notes = validateReference(reference);
  return assessRecording(decodeWavMono(wav), notes, options).assessment;
}
