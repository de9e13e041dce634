/** Room acoustics and background for synthetic takes: a statistical room impulse response and coloured noise. */
import type { Rng } from '../../../src/music/engine/rng';
import { convolve } from '../../lib/convolve';
import { colouredNoise } from '../../lib/noise';

/**
 * Convolves with a synthetic room impulse response: the direct sound, a few early reflections (5–40 ms) and a
 * Gaussian-noise tail decaying at −60 dB per `rt60` seconds, mixed at the given direct-to-reverberant ratio (dB).
 */
export function addReverb(x: Float32Array, rate: number, rt60: number, drrDb: number, rng: Rng): Float32Array {
  const length = Math.round(rt60 * rate);
  const rir = new Float64Array(length);
  const decay = Math.log(1000) / (rt60 * rate);
  let tail = 0;
  for (let i = Math.round(0.005 * rate); i < length; i++) {
    rir[i] = (rng.gauss() * Math.exp(-decay * i)) / Math.sqrt(3);
    tail += rir[i] * rir[i];
  }
  for (let r = 0; r < 6; r++) {
    const at = Math.round((0.005 + 0.035 * rng.next()) * rate);
    rir[at] += (rng.next() < 0.5 ? -1 : 1) * (0.2 + 0.3 * rng.next()) * Math.sqrt(tail);
  }
  let energy = 0;
  for (const v of rir) energy += v * v;
  const scale = Math.sqrt(10 ** (-drrDb / 10) / energy);
  for (let i = 0; i < length; i++) rir[i] *= scale;
  rir[0] += 1;
  return convolve(x, rir);
}

/** Adds white or pink noise at `snrDb` below the signal's active level (RMS over its loudest half). */
export function addNoise(x: Float32Array, snrDb: number, colour: 'white' | 'pink', rng: Rng): Float32Array {
  const block = 1024;
  const energies: number[] = [];
  for (let i = 0; i + block <= x.length; i += block) {
    let e = 0;
    for (let k = i; k < i + block; k++) e += x[k] * x[k];
    energies.push(e / block);
  }
  energies.sort((p, q) => q - p);
  const active = energies.slice(0, Math.max(1, energies.length >> 1));
  const level = Math.sqrt(active.reduce((s, e) => s + e, 0) / active.length);
  const noise = colouredNoise(colour, x.length, rng);
  const gain = level * 10 ** (-snrDb / 20);
  return x.map((v, i) => v + gain * noise[i]);
}

/** Scales to a peak of `peak` (linear). */
export function normalise(x: Float32Array, peak = 0.7): Float32Array {
  let m = 1e-9;
  for (const v of x) m = Math.max(m, Math.abs(v));
  return x.map((v) => (v * peak) / m);
}
