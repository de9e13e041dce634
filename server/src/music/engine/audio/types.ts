/** Stereo floating-point PCM, samples nominally in [-1, 1]. */
export interface StereoPcm {
  /** Samples per second (Hz). */
  sampleRate: number;
  left: Float32Array;
  right: Float32Array;
}

/** What the mastering chain measured and did, kept with each rendering for the plan/status. */
export interface MasteringReport {
  /** Integrated loudness of the raw synthesizer output (LUFS, ITU-R BS.1770-4). */
  inputLufs: number;
  /** Integrated loudness after gain and limiting (LUFS). */
  outputLufs: number;
  /** Static gain applied before the limiter (dB). */
  gainDb: number;
  /** Deepest gain reduction of the limiter (dB, ≥ 0). */
  limiterMaxReductionDb: number;
  /** 4× oversampled true peak of the output (dBTP). */
  truePeakDb: number;
  /** Highest absolute sample of the output (dBFS). */
  samplePeakDb: number;
}
