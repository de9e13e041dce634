/**
 * Offline look-ahead peak limiter, stereo-linked. Because the whole signal is known, the gain curve
 * is computed exactly: the per-sample required gain is min-filtered over the look-ahead window,
 * released exponentially, then box-smoothed over the same window. Every smoothing input covering a
 * sample is ≤ that sample's required gain, so the output never exceeds the ceiling (no clipping).
 */
import type { StereoPcm } from './types';

export interface LimiterOptions {
  /** Output ceiling as a linear sample value (e.g. 0.84 ≈ -1.5 dBFS). */
  ceiling: number;
  /** Look-ahead / attack time in milliseconds. */
  lookaheadMs: number;
  /** Release time constant in milliseconds. */
  releaseMs: number;
}

export const DEFAULT_LIMITER: LimiterOptions = { ceiling: 0.84, lookaheadMs: 3, releaseMs: 80 };

/** Limits `pcm` in place; returns the smallest gain applied (linear, 1 = untouched). */
export function limitPeaks(pcm: StereoPcm, options: LimiterOptions = DEFAULT_LIMITER): number {
  const { left, right } = pcm;
  const n = left.length;
  const half = Math.max(1, Math.round(((options.lookaheadMs / 1000) * pcm.sampleRate) / 2));
  let needed = false;
  for (let i = 0; i < n && !needed; i++) needed = Math.abs(left[i]) > options.ceiling || Math.abs(right[i]) > options.ceiling;
  if (!needed) return 1;
  const required = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.max(Math.abs(left[i]), Math.abs(right[i]));
    required[i] = a > options.ceiling ? options.ceiling / a : 1;
  }

  // m[k] = min(required[k-half .. k+half]) via a monotonic deque.
  const minimum = slidingMinimum(required, half);
  // Exponential release: the gain may fall instantly but rises back slowly.
  const release = Math.exp(-1 / ((options.releaseMs / 1000) * pcm.sampleRate));
  let env = 1;
  for (let i = 0; i < n; i++) {
    const recovered = 1 - (1 - env) * release;
    env = Math.min(minimum[i], recovered);
    minimum[i] = env;
  }
  // Box smoothing over [i-half, i+half]: every value in the window was min-filtered over a span that
  // contains i, so the average is ≤ required[i]; the final min() only guards the signal edges.
  const prefix = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) prefix[k + 1] = prefix[k] + minimum[k];
  const width = 2 * half + 1;
  let lowest = 1;
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - half);
    const b = Math.min(n - 1, i + half);
    const outside = width - (b - a + 1);
    const g = Math.min((prefix[b + 1] - prefix[a] + outside) / width, required[i]);
    left[i] *= g;
    right[i] *= g;
    if (g < lowest) lowest = g;
  }
  return lowest;
}

function slidingMinimum(x: Float32Array, half: number): Float32Array {
  const n = x.length;
  const out = new Float32Array(n);
  const deque = new Int32Array(n);
  let head = 0,
    tail = 0;
  let next = 0; // next index to push
  for (let i = 0; i < n; i++) {
    const hi = Math.min(n - 1, i + half);
    while (next <= hi) {
      while (tail > head && x[deque[tail - 1]] >= x[next]) tail--;
      deque[tail++] = next++;
    }
    while (deque[head] < i - half) head++;
    out[i] = x[deque[head]];
  }
  return out;
}
