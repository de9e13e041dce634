/** A note on the beat grid (quarter-note beats from the start), before performance (dynamics, timing). */
export interface BeatNote {
  startBeat: number;
  beats: number;
  pitch: number;
  /** Accent relative to the part's base loudness, in velocity units (may be negative). */
  accent: number;
}
