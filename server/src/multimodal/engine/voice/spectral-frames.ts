/**
 * Short-time spectral features of speech frames: MFCC (Davis & Mermelstein 1980: power spectrum → triangular mel
 * filters → log → DCT-II, 26 bands 60 Hz–7.6 kHz as in HTK's defaults, 13 coefficients) and spectral shape (centroid,
 * spread, 85% roll-off, flatness, slope) from the same power spectrum, plus the zero-crossing rate. On fft.js, the
 * FFT the tutor engine uses: meyda computes the same features but its FFT cost 50 ms per second of audio here, half
 * the voice budget.
 */
import FFT from 'fft.js';

export const MFCC_COUNT = 13;
const MEL_BANDS = 26;
const LOW_HZ = 60;
const HIGH_HZ = 7600;

const mel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
const melToHz = (m: number) => 700 * (10 ** (m / 2595) - 1);

export const MEL_BAND_COUNT = MEL_BANDS;

export interface SpectralFrame {
  mfcc: Float64Array;
  /** Log energy of each mel band (natural log). */
  bands: Float64Array;
  centroidHz: number;
  spreadHz: number;
  rolloffHz: number;
  flatness: number;
  /** Least-squares slope of the dB spectrum per kHz. */
  slopeDbPerKhz: number;
  zcr: number;
}

/** One analyser per (frame size, rate): the window, filters and DCT are computed once. */
export class SpectralAnalyser {
  private readonly fft: FFT;
  private readonly window: Float64Array;
  private readonly input: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly power: Float64Array;
  private readonly filters: { start: number; weights: Float64Array }[];
  private readonly dct: Float64Array;
  private readonly bandEnergy = new Float64Array(MEL_BANDS);

  constructor(
    readonly frameSize: number,
    readonly sampleRate: number,
  ) {
    this.fft = new FFT(frameSize);
    this.window = Float64Array.from({ length: frameSize }, (_, i) => 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (frameSize - 1)));
    this.input = new Float64Array(frameSize);
    this.spectrum = new Float64Array(2 * frameSize);
    this.power = new Float64Array(frameSize / 2 + 1);
    const binHz = sampleRate / frameSize;
    const top = Math.min(HIGH_HZ, sampleRate / 2);
    const edges = Array.from({ length: MEL_BANDS + 2 }, (_, i) => melToHz(mel(LOW_HZ) + ((mel(top) - mel(LOW_HZ)) * i) / (MEL_BANDS + 1)));
    this.filters = Array.from({ length: MEL_BANDS }, (_, b) => {
      const [lo, mid, hi] = [edges[b], edges[b + 1], edges[b + 2]];
      const start = Math.ceil(lo / binHz);
      const end = Math.floor(hi / binHz);
      const weights = Float64Array.from({ length: Math.max(0, end - start + 1) }, (_, j) => {
        const hz = (start + j) * binHz;
        return hz <= mid ? (hz - lo) / (mid - lo) : (hi - hz) / (hi - mid);
      });
      return { start, weights };
    });
    this.dct = Float64Array.from({ length: MFCC_COUNT * MEL_BANDS }, (_, k) => {
      const [c, b] = [Math.floor(k / MEL_BANDS), k % MEL_BANDS];
      return Math.cos((Math.PI * c * (b + 0.5)) / MEL_BANDS) * Math.sqrt((c === 0 ? 1 : 2) / MEL_BANDS);
    });
  }

  /** Features of `samples[start … start + frameSize)`. */
  analyse(samples: Float32Array, start: number): SpectralFrame {
    const { frameSize: n, input, spectrum, power, window } = this;
    let crossings = 0;
    for (let i = 0; i < n; i++) {
      input[i] = samples[start + i] * window[i];
      if (i > 0 && samples[start + i] >= 0 !== samples[start + i - 1] >= 0) crossings++;
    }
    this.fft.realTransform(spectrum, input);
    const binHz = this.sampleRate / n;
    let total = 0;
    let weighted = 0;
    let logSum = 0;
    for (let k = 0; k <= n / 2; k++) {
      const p = spectrum[2 * k] ** 2 + spectrum[2 * k + 1] ** 2 + 1e-12;
      power[k] = p;
      total += p;
      weighted += p * k * binHz;
      logSum += Math.log(p);
    }
    const bins = n / 2 + 1;
    const centroidHz = weighted / total;
    let spread = 0;
    let cumulative = 0;
    let rolloffHz = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    for (let k = 0; k < bins; k++) {
      const hz = k * binHz;
      spread += power[k] * (hz - centroidHz) ** 2;
      cumulative += power[k];
      if (!rolloffHz && cumulative >= 0.85 * total) rolloffHz = hz;
      const db = 10 * Math.log10(power[k]);
      const khz = hz / 1000;
      sx += khz;
      sy += db;
      sxx += khz * khz;
      sxy += khz * db;
    }
    for (let b = 0; b < MEL_BANDS; b++) {
      const { start: s, weights } = this.filters[b];
      let e = 1e-10;
      for (let j = 0; j < weights.length; j++) e += weights[j] * power[s + j];
      this.bandEnergy[b] = Math.log(e);
    }
    const mfcc = new Float64Array(MFCC_COUNT);
    for (let c = 0; c < MFCC_COUNT; c++) {
      let v = 0;
      for (let b = 0; b < MEL_BANDS; b++) v += this.dct[c * MEL_BANDS + b] * this.bandEnergy[b];
      mfcc[c] = v;
    }
    return {
      mfcc,
      bands: Float64Array.from(this.bandEnergy),
      centroidHz,
      spreadHz: Math.sqrt(spread / total),
      rolloffHz,
      flatness: Math.exp(logSum / bins) / (total / bins),
      slopeDbPerKhz: (bins * sxy - sx * sy) / (bins * sxx - sx * sx),
      zcr: crossings / n,
    };
  }
}
