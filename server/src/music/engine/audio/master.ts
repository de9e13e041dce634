/** Mastering chain: loudness normalisation to a BS.1770 target, then a peak limiter and a true-peak trim. */
import { limitPeaks } from './limiter';
import { fromDb, integratedLoudness, samplePeak, SILENCE_LUFS, toDb, truePeak } from './loudness';
import type { MasteringReport, StereoPcm } from './types';

export interface MasteringOptions {
  /** Integrated loudness target (LUFS); -16 is the usual streaming/podcast level. */
  targetLufs: number;
  /** Maximum true peak of the result (dBTP). */
  truePeakCeilingDb: number;
  /** Largest boost allowed (dB), so near-silent pieces are not pumped up to noise. */
  maxGainDb: number;
}

export const DEFAULT_MASTERING: MasteringOptions = { targetLufs: -16, truePeakCeilingDb: -1, maxGainDb: 30 };

/** Normalises `pcm` in place to the loudness target without clipping; returns what was measured and done. */
export function masterPcm(pcm: StereoPcm, options: MasteringOptions = DEFAULT_MASTERING): MasteringReport {
  const inputLufs = integratedLoudness(pcm);
  const gainDb = inputLufs <= SILENCE_LUFS ? 0 : Math.min(options.maxGainDb, options.targetLufs - inputLufs);
  scale(pcm, fromDb(gainDb));
  // The limiter works on samples; leave 0.5 dB of head-room for inter-sample overshoot, then trim
  // statically if the oversampled true peak is still above the ceiling.
  const lowest = limitPeaks(pcm, { ceiling: fromDb(options.truePeakCeilingDb - 0.5), lookaheadMs: 3, releaseMs: 80 });
  let peak = truePeak(pcm);
  const ceiling = fromDb(options.truePeakCeilingDb);
  let trimmed = false;
  if (peak > ceiling) {
    scale(pcm, ceiling / peak);
    peak = ceiling;
    trimmed = true;
  }
  // A pure gain moves loudness by exactly that gain; measure again only when the limiter or trim acted.
  const outputLufs = lowest === 1 && !trimmed && inputLufs > SILENCE_LUFS ? inputLufs + gainDb : integratedLoudness(pcm);
  return {
    inputLufs: round2(inputLufs),
    outputLufs: round2(outputLufs),
    gainDb: round2(gainDb),
    limiterMaxReductionDb: round2(Math.max(0, -toDb(lowest))),
    truePeakDb: round2(toDb(peak)),
    samplePeakDb: round2(toDb(samplePeak(pcm))),
  };
}

function scale(pcm: StereoPcm, factor: number): void {
  if (factor === 1) return;
  for (const ch of [pcm.left, pcm.right]) {
    for (let i = 0; i < ch.length; i++) ch[i] *= factor;
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
