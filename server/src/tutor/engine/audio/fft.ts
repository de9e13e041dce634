/**
 * Autocorrelation of two real frames with one complex FFT pair ("two real signals in one complex transform"), on
 * fft.js (MIT), the fastest pure-JavaScript radix-4 FFT.
 */
import FFT from 'fft.js';

/**
 * Linear autocorrelation r[τ] = Σ_j x[j]·x[j+τ] of two real frames at once. Frames are zero-padded to the FFT size,
 * so lags τ ≤ size − frame length are exact. Results land in `outA`/`outB` (lags 0..outA.length−1); `powerA`/`powerB`,
 * when given, receive the power spectra |X[k]|² for k = 0..size/2 (for onset features).
 */
export class PairAutocorrelator {
  private readonly fft: FFT;
  private readonly data: Float64Array;
  private readonly spectrum: Float64Array;

  /** `size` must be a power of two ≥ 4. */
  constructor(readonly size: number) {
    if (size < 4 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two, got ${size}`);
    this.fft = new FFT(size);
    this.data = new Float64Array(2 * size);
    this.spectrum = new Float64Array(2 * size);
  }

  run(a: Float64Array, b: Float64Array | undefined, outA: Float64Array, outB: Float64Array | undefined, powerA?: Float64Array, powerB?: Float64Array): void {
    const { data, spectrum: z, size } = this;
    data.fill(0);
    for (let i = 0; i < a.length; i++) data[2 * i] = a[i];
    if (b) for (let i = 0; i < b.length; i++) data[2 * i + 1] = b[i];
    this.fft.transform(z, data);
    // Split Z = A + iB: A[k] = (Z[k] + conj Z[N-k]) / 2, B[k] = (Z[k] - conj Z[N-k]) / 2i; pack |A|² + i|B|².
    const half = size / 2;
    for (let k = 0; k <= half; k++) {
      const m = (size - k) & (size - 1);
      const zr = z[2 * k];
      const zi = z[2 * k + 1];
      const cr = z[2 * m];
      const ci = z[2 * m + 1];
      const ar = 0.5 * (zr + cr);
      const ai = 0.5 * (zi - ci);
      const br = 0.5 * (zi + ci);
      const bi = 0.5 * (cr - zr);
      const pa = ar * ar + ai * ai;
      const pb = br * br + bi * bi;
      if (powerA) powerA[k] = pa;
      if (powerB) powerB[k] = pb;
      data[2 * k] = pa;
      data[2 * k + 1] = pb;
      data[2 * m] = pa;
      data[2 * m + 1] = pb;
    }
    this.fft.inverseTransform(z, data);
    for (let t = 0; t < outA.length; t++) outA[t] = z[2 * t];
    if (outB) for (let t = 0; t < outB.length; t++) outB[t] = z[2 * t + 1];
  }
}
