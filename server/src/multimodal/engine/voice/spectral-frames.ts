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
  /** Energy 50 Hz–1 kHz over 1–5 kHz (dB): vocal effort (eGeMAPS' alpha ratio, sign as there: low over high). */
  alphaRatioDb: number;
  /** Strongest bin 0–2 kHz over strongest bin 2–5 kHz (dB): Hammarberg's index. */
  hammarbergDb: number;
}

/** LPC order for formants at 16 kHz (2 per kHz of bandwidth plus a few for the glottal and lip shape). */
const LPC_ORDER = 14;
/** The LPC envelope is scanned at this many points between 0 and 4 kHz for its first peaks. */
const ENVELOPE_POINTS = 160;
const ENVELOPE_TOP_HZ = 4000;

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
  private readonly lpcFrame: Float64Array;
  private readonly envelopeCos: Float64Array;
  private readonly envelopeSin: Float64Array;

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
    this.lpcFrame = new Float64Array(frameSize);
    this.envelopeCos = Float64Array.from({ length: ENVELOPE_POINTS * (LPC_ORDER + 1) }, (_, k) => {
      const [p, j] = [Math.floor(k / (LPC_ORDER + 1)), k % (LPC_ORDER + 1)];
      return Math.cos((2 * Math.PI * ((p + 1) * ENVELOPE_TOP_HZ) * j) / ENVELOPE_POINTS / sampleRate);
    });
    this.envelopeSin = Float64Array.from({ length: ENVELOPE_POINTS * (LPC_ORDER + 1) }, (_, k) => {
      const [p, j] = [Math.floor(k / (LPC_ORDER + 1)), k % (LPC_ORDER + 1)];
      return Math.sin((2 * Math.PI * ((p + 1) * ENVELOPE_TOP_HZ) * j) / ENVELOPE_POINTS / sampleRate);
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
    let low = 1e-12;
    let high = 1e-12;
    let lowPeak = 1e-12;
    let highPeak = 1e-12;
    for (let k = 0; k < bins; k++) {
      const hz = k * binHz;
      if (hz >= 50 && hz < 1000) low += power[k];
      else if (hz >= 1000 && hz < 5000) high += power[k];
      if (hz < 2000) lowPeak = Math.max(lowPeak, power[k]);
      else if (hz < 5000) highPeak = Math.max(highPeak, power[k]);
    }
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
      alphaRatioDb: 10 * Math.log10(low / high),
      hammarbergDb: 10 * Math.log10(lowPeak / highPeak),
    };
  }

  /**
   * The first three formant frequencies (Hz) of `samples[start … start + frameSize)`: pre-emphasis, Hamming window,
   * autocorrelation LPC (Levinson–Durbin), then the first three peaks of the LPC envelope below 4 kHz (NaN for a
   * formant not found). Peak picking on the envelope instead of polynomial roots: cheaper, and it never reports a
   * root too broad to be a resonance.
   */
  formants(samples: Float32Array, start: number): [number, number, number] {
    const { frameSize: n, lpcFrame: x, window } = this;
    for (let i = 0; i < n; i++) x[i] = (samples[start + i] - (i > 0 || start > 0 ? 0.97 * samples[start + i - 1] : 0)) * window[i];
    const r = new Float64Array(LPC_ORDER + 1);
    for (let lag = 0; lag <= LPC_ORDER; lag++) {
      let s = 0;
      for (let i = lag; i < n; i++) s += x[i] * x[i - lag];
      r[lag] = s;
    }
    const none: [number, number, number] = [NaN, NaN, NaN];
    if (r[0] <= 1e-10) return none;
    r[0] *= 1 + 1e-9;
    const a = new Float64Array(LPC_ORDER + 1);
    const previous = new Float64Array(LPC_ORDER + 1);
    a[0] = 1;
    let error = r[0];
    for (let i = 1; i <= LPC_ORDER; i++) {
      let acc = r[i];
      for (let j = 1; j < i; j++) acc += a[j] * r[i - j];
      const k = -acc / error;
      previous.set(a);
      for (let j = 1; j < i; j++) a[j] = previous[j] + k * previous[i - j];
      a[i] = k;
      error *= 1 - k * k;
      if (error <= 0) return none;
    }
    const envelope = new Float64Array(ENVELOPE_POINTS);
    for (let p = 0; p < ENVELOPE_POINTS; p++) {
      let re = 0;
      let im = 0;
      const base = p * (LPC_ORDER + 1);
      for (let j = 0; j <= LPC_ORDER; j++) {
        re += a[j] * this.envelopeCos[base + j];
        im -= a[j] * this.envelopeSin[base + j];
      }
      envelope[p] = -Math.log(re * re + im * im + 1e-20);
    }
    const found: number[] = [];
    const stepHz = ENVELOPE_TOP_HZ / ENVELOPE_POINTS;
    for (let p = 1; p + 1 < ENVELOPE_POINTS && found.length < 3; p++) {
      if (envelope[p] > envelope[p - 1] && envelope[p] >= envelope[p + 1] && (p + 1) * stepHz > 200) {
        // Parabolic interpolation of the peak between the scanned points.
        const [l, c, h] = [envelope[p - 1], envelope[p], envelope[p + 1]];
        const offset = l - 2 * c + h < 0 ? (0.5 * (l - h)) / (l - 2 * c + h) : 0;
        found.push((p + 1 + offset) * stepHz);
      }
    }
    return [found[0] ?? NaN, found[1] ?? NaN, found[2] ?? NaN];
  }
}
