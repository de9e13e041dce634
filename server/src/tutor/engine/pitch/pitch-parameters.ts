/**
 * The pitch tracker's one parameter set (used for every rate, voice and instrument). Values were chosen on synthetic
 * voice-like and instrument takes made by the evaluation's own generators (never on the vocadito file it reports).
 */
export interface PitchTrackerParameters {
  /** Lowest fundamental searched (Hz). */
  minHz: number;
  /** Highest fundamental searched (Hz); above 1778 Hz the analysis runs at 32 or 48 kHz instead of 16 (`analysisRateFor`). */
  maxHz: number;
  /** Frame step (seconds). */
  hopSec: number;
  /** Shortest analysis window (seconds); lengthened to `minPeriods` periods of `minHz` when that is longer. */
  windowSec: number;
  /** Periods of the lowest searched fundamental every window holds (the NSDF compares one period with the next). */
  minPeriods: number;
  /** Candidates kept per frame (strongest first). */
  maxCandidates: number;
  /** NSDF clarity below which a key maximum is not a candidate. */
  candidateFloor: number;
  /** Strength added per octave above `octaveBonusFromHz` (prefers the period over its multiples, like MPM's k and Praat's octave cost). */
  octaveBonus: number;
  /**
   * Frequency (Hz) the octave bonus counts from; `minHz` when absent. A caller that widens the search below its usual
   * floor sets this to the usual floor, so the widening does not make every candidate stronger against "unvoiced".
   */
  octaveBonusFromHz?: number;
  /** Base strength of the unvoiced state: a frame is voiced when a candidate's strength beats it (clarity scale). */
  voicingThreshold: number;
  /** Level below the take's reference (dB) where quietness starts to favour "unvoiced". */
  quietStartDb: number;
  /** Level below the reference (dB) where the quietness bonus is complete. */
  quietFullDb: number;
  /** Strength added to "unvoiced" by full quietness. */
  quietWeight: number;
  /** Path cost per octave of pitch movement between frames (per 10 ms, Praat's "octave-jump cost"). */
  octaveJumpCost: number;
  /** Path cost of a voiced ↔ unvoiced change (per 10 ms, Praat's "voiced/unvoiced cost"). */
  voicingSwitchCost: number;
}

export const PITCH_TRACKER_DEFAULTS: PitchTrackerParameters = {
  minHz: 55,
  maxHz: 1760,
  hopSec: 0.01,
  windowSec: 0.04,
  minPeriods: 2,
  maxCandidates: 6,
  candidateFloor: 0.3,
  octaveBonus: 0.12,
  voicingThreshold: 0.6,
  quietStartDb: 25,
  quietFullDb: 45,
  quietWeight: 1,
  octaveJumpCost: 0.35,
  voicingSwitchCost: 0.14,
};
