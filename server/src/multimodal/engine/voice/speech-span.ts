/**
 * A recording cut to its speech and a short margin. People start a recorder before they speak and stop it after; the
 * silence (or room tone) either side would otherwise count as pauses and lower the take's level statistics, which
 * the classifier reads as emotion (slow, hesitant speech). The training clips keep at most `EDGE_SEC` either side too,
 * so the edge a model learned from is the edge it is given.
 */

/** Silence kept before the first and after the last speech frame (seconds). */
export const EDGE_SEC = 0.25;
const FRAME_SEC = 0.01;
/** Loudness is judged on 110 ms (±5 frames) so that a click does not set the reference and a plosive's gap does not end speech. */
const SMOOTH_FRAMES = 5;
/** Speech is louder than the loudest stretch minus this... */
const BELOW_LOUDEST_DB = 35;
/** ...and than the quietest tenth of the recording (its noise floor, when it has silence) plus this. */
const ABOVE_FLOOR_DB = 6;

/** [start, end) in samples of the speech with up to `edgeSec` either side; the whole recording when none is found. */
export function speechSpan(samples: Float32Array, sampleRate: number, edgeSec = EDGE_SEC): [number, number] {
  const hop = Math.max(1, Math.round(sampleRate * FRAME_SEC));
  const frames = Math.floor(samples.length / hop);
  if (frames < 2 * SMOOTH_FRAMES + 1) return [0, samples.length];
  const power = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let energy = 0;
    for (let i = f * hop; i < (f + 1) * hop; i++) energy += samples[i] * samples[i];
    power[f] = energy / hop + 1e-20;
  }
  const smoothed = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    const from = Math.max(0, f - SMOOTH_FRAMES);
    const to = Math.min(frames - 1, f + SMOOTH_FRAMES);
    for (let g = from; g <= to; g++) sum += power[g];
    smoothed[f] = 10 * Math.log10(sum / (to - from + 1));
  }
  const floor = [...smoothed].sort((a, b) => a - b)[Math.floor(0.1 * (frames - 1))];
  const threshold = Math.max(Math.max(...smoothed) - BELOW_LOUDEST_DB, floor + ABOVE_FLOOR_DB);
  let first = -1;
  let last = -1;
  for (let f = 0; f < frames; f++) {
    if (smoothed[f] > threshold) {
      if (first < 0) first = f;
      last = f;
    }
  }
  if (first < 0) return [0, samples.length];
  const edge = Math.round(edgeSec * sampleRate);
  return [Math.max(0, first * hop - edge), Math.min(samples.length, (last + 1) * hop + edge)];
}

/** The recording cut to `speechSpan` (a view, not a copy). */
export function trimToSpeech(samples: Float32Array, sampleRate: number, edgeSec = EDGE_SEC): Float32Array {
  const [start, end] = speechSpan(samples, sampleRate, edgeSec);
  return start === 0 && end === samples.length ? samples : samples.subarray(start, end);
}
