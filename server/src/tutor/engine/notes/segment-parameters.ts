/**
 * The note segmenter's one parameter set. Costs are in semitones² per 10 ms frame, so they do not depend on the hop.
 * Chosen on the evaluation's synthetic voice and instrument takes (vibrato up to ±70 cents, scoops, breath noise,
 * reverb), not on vocadito.
 */
export interface SegmentParameters {
  /** Shortest note kept (seconds); shorter voiced stretches are glides or noise. */
  minNoteSec: number;
  /** Cost of starting a new note inside a voiced stretch (semitones² · 10 ms frames); larger = fewer pitch splits. */
  changePenalty: number;
  /** Adjacent notes closer than this (semitones) with no articulation between them are one note. */
  mergeSemitones: number;
  /** Segments no longer than this (seconds) that alternate up and down form a vibrato chain, merged into one note. */
  vibratoSegmentSec: number;
  /** Largest distance (semitones) of a vibrato chain segment from the chain's mean. */
  vibratoSemitones: number;
  /** Segments up to this long (seconds) are checked for being glides, scoops or tracking transients rather than notes. */
  transientSec: number;
  /** A short segment whose pitch moves more than this (10th–90th percentile, semitones) is a glide, not a note. */
  glideSemitones: number;
  /** A short segment at the start of a sound within this distance (semitones) of the next note is a scoop into it. */
  scoopSemitones: number;
  /** Level rise (dB, over 30 ms against the previous 30 ms minimum) that marks a re-articulation. */
  articulationRiseDb: number;
  /** A rise this large (dB) is a re-articulation even when the periodicity stays undisturbed. */
  articulationStrongRiseDb: number;
  /** Clarity drop (0–1) that confirms a smaller rise as a re-attack rather than tremolo. */
  articulationClarityDip: number;
  /** Spectral flux at a re-articulation, as a multiple of the take's median voiced flux. */
  articulationFluxRatio: number;
  /** A pitch boundary moves to a re-articulation within this distance (seconds). */
  snapSec: number;
  /** Frames quieter than this below the take's reference level (dB) do not start notes. */
  floorDb: number;
}

export const SEGMENT_DEFAULTS: SegmentParameters = {
  minNoteSec: 0.06,
  changePenalty: 3,
  mergeSemitones: 0.4,
  vibratoSegmentSec: 0.13,
  vibratoSemitones: 1,
  transientSec: 0.12,
  glideSemitones: 0.6,
  scoopSemitones: 3,
  articulationRiseDb: 3.5,
  articulationStrongRiseDb: 6,
  articulationClarityDip: 0.04,
  articulationFluxRatio: 3,
  snapSec: 0.05,
  floorDb: 50,
};
