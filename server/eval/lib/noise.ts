/** Synthetic background noise for the evaluations' recordings. */
import type { Rng } from '../../src/music/engine/rng';

/** `n` samples of white, pink (Paul Kellet's economy filter) or brown (leaky integrator) noise at unit RMS. */
export function colouredNoise(colour: 'white' | 'pink' | 'brown', n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  let [b0, b1, b2] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const w = rng.gauss();
    if (colour === 'pink') {
      b0 = 0.99765 * b0 + w * 0.099046;
      b1 = 0.963 * b1 + w * 0.2965164;
      b2 = 0.57 * b2 + w * 1.0526913;
      out[i] = b0 + b1 + b2 + w * 0.1848;
    } else if (colour === 'brown') {
      b0 = (b0 + 0.02 * w) / 1.02;
      out[i] = b0;
    } else out[i] = w;
  }
  const scale = 1 / Math.sqrt(out.reduce((s, v) => s + v * v, 0) / n || 1);
  return out.map((v) => v * scale);
}
