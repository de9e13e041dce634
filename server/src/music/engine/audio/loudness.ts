/**
 * Loudness measurement per ITU-R BS.1770-4 / EBU R128: K-weighting, 400 ms blocks with 75 % overlap,
 * absolute gate at -70 LUFS and relative gate at -10 LU. Filter coefficients are derived for any
 * sample rate from the analogue prototypes (as libebur128 does), so 44.1 kHz is measured correctly.
 */
import type { StereoPcm } from './types';

const ABSOLUTE_GATE_LUFS = -70;
const RELATIVE_GATE_LU = -10;
/** Loudness reported for a silent signal; finite so it can be stored as JSON. */
export const SILENCE_LUFS = -120;

export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** The two K-weighting stages (high shelf, then RLB high pass) for a sample rate in Hz. */
export function kWeightingFilters(sampleRate: number): [Biquad, Biquad] {
  // Stage 1: +4 dB high shelf around 1.68 kHz (acoustic effect of the head).
  const f0 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  const q = 0.7071752369554196;
  const k = Math.tan((Math.PI * f0) / sampleRate);
  const vh = 10 ** (gainDb / 20);
  const vb = vh ** 0.4996667741545416;
  const a0 = 1 + k / q + k * k;
  const shelf: Biquad = {
    b0: (vh + (vb * k) / q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q + k * k) / a0,
  };
  // Stage 2: high pass at 38 Hz.
  const f1 = 38.13547087602444;
  const q1 = 0.5003270373238773;
  const k1 = Math.tan((Math.PI * f1) / sampleRate);
  const d = 1 + k1 / q1 + k1 * k1;
  const highPass: Biquad = { b0: 1, b1: -2, b2: 1, a1: (2 * (k1 * k1 - 1)) / d, a2: (1 - k1 / q1 + k1 * k1) / d };
  return [shelf, highPass];
}

/** Adds the K-weighted energy (sum of squares) of one channel into consecutive segments of `segment` samples. */
function addWeightedEnergy(x: Float32Array, filters: [Biquad, Biquad], segment: number, out: Float64Array): void {
  const [s, h] = filters;
  let x1 = 0,
    x2 = 0,
    y1 = 0,
    y2 = 0; // stage 1 state
  let z1 = 0,
    z2 = 0; // stage 2 output history (its input history is y1/y2 of stage 1)
  let seg = 0;
  let inSeg = 0;
  let acc = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const y = s.b0 * xi + s.b1 * x1 + s.b2 * x2 - s.a1 * y1 - s.a2 * y2;
    const z = h.b0 * y + h.b1 * y1 + h.b2 * y2 - h.a1 * z1 - h.a2 * z2;
    x2 = x1;
    x1 = xi;
    y2 = y1;
    y1 = y;
    z2 = z1;
    z1 = z;
    acc += z * z;
    if (++inSeg === segment) {
      out[seg++] += acc;
      acc = 0;
      inSeg = 0;
    }
  }
}

/** Integrated loudness of a stereo signal in LUFS (BS.1770-4 gating); SILENCE_LUFS when all blocks are gated out. */
export function integratedLoudness(pcm: StereoPcm): number {
  const segment = Math.round(pcm.sampleRate * 0.1); // 100 ms hop; a block is 4 hops = 400 ms
  const segments = Math.floor(pcm.left.length / segment);
  if (segments < 4) return SILENCE_LUFS;
  const filters = kWeightingFilters(pcm.sampleRate);
  const energy = new Float64Array(segments + 1);
  addWeightedEnergy(pcm.left, filters, segment, energy);
  addWeightedEnergy(pcm.right, filters, segment, energy);
  const blockSamples = 4 * segment;
  const blocks: number[] = [];
  for (let b = 0; b + 4 <= segments; b++) {
    blocks.push((energy[b] + energy[b + 1] + energy[b + 2] + energy[b + 3]) / blockSamples);
  }
  const loudnessOf = (meanSquare: number) => -0.691 + 10 * Math.log10(meanSquare);
  const aboveAbsolute = blocks.filter((z) => z > 0 && loudnessOf(z) > ABSOLUTE_GATE_LUFS);
  if (aboveAbsolute.length === 0) return SILENCE_LUFS;
  const relativeGate = loudnessOf(mean(aboveAbsolute)) + RELATIVE_GATE_LU;
  const gated = aboveAbsolute.filter((z) => loudnessOf(z) > relativeGate);
  return gated.length === 0 ? SILENCE_LUFS : loudnessOf(mean(gated));
}

function mean(values: number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Highest absolute sample over both channels (linear). */
export function samplePeak(pcm: StereoPcm): number {
  let peak = 0;
  for (const ch of [pcm.left, pcm.right]) {
    for (let i = 0; i < ch.length; i++) {
      const a = Math.abs(ch[i]);
      if (a > peak) peak = a;
    }
  }
  return peak;
}

const OVERSAMPLE = 4;
const TAPS_PER_PHASE = 12;
/** Polyphase 4× interpolator (Kaiser-windowed sinc, 48 taps), the BS.1770-4 Annex 2 recipe for true peak. */
const INTERPOLATOR: Float64Array[] = buildInterpolator();

function buildInterpolator(): Float64Array[] {
  const total = OVERSAMPLE * TAPS_PER_PHASE;
  const centre = (total - 1) / 2;
  const beta = 8;
  const i0 = (v: number) => {
    let sum = 1,
      term = 1;
    for (let k = 1; k < 30; k++) {
      term *= (v / (2 * k)) ** 2;
      sum += term;
    }
    return sum;
  };
  const phases: Float64Array[] = [];
  for (let p = 0; p < OVERSAMPLE; p++) phases.push(new Float64Array(TAPS_PER_PHASE));
  for (let n = 0; n < total; n++) {
    const t = (n - centre) / OVERSAMPLE;
    const sinc = t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
    const r = (n - centre) / centre;
    const w = i0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0(beta);
    phases[n % OVERSAMPLE][Math.floor(n / OVERSAMPLE)] = sinc * w;
  }
  return phases;
}

/** 4× oversampled true peak over both channels (linear); never below the sample peak. */
export function truePeak(pcm: StereoPcm): number {
  let peak = samplePeak(pcm);
  for (const x of [pcm.left, pcm.right]) {
    const n = x.length;
    for (let i = 0; i + TAPS_PER_PHASE <= n; i++) {
      // Only look between samples where the signal is already close to the running peak: the
      // inter-sample overshoot of a band-limited signal is small, so far-below regions cannot win.
      // The interpolated points of window i lie between samples i+5 and i+6.
      const a = Math.max(Math.abs(x[i + 5]), Math.abs(x[i + 6]));
      if (a < peak * 0.5) continue;
      for (let p = 0; p < OVERSAMPLE; p++) {
        const h = INTERPOLATOR[p];
        let y = 0;
        for (let k = 0; k < TAPS_PER_PHASE; k++) y += h[k] * x[i + TAPS_PER_PHASE - 1 - k];
        const ay = Math.abs(y);
        if (ay > peak) peak = ay;
      }
    }
  }
  return peak;
}

/** Linear amplitude to decibels (dBFS), floored at -120 dB. */
export function toDb(linear: number): number {
  return linear <= 1e-6 ? -120 : 20 * Math.log10(linear);
}

/** Decibels to a linear factor. */
export function fromDb(db: number): number {
  return 10 ** (db / 20);
}
