/** Linear convolution through the FFT, for the evaluations' synthetic rooms. */
import FFT from 'fft.js';

/** `x` convolved with `response`, cut to `x`'s length (both real: one complex transform carries the two). */
export function convolve(x: Float32Array, response: Float64Array): Float32Array {
  let size = 1;
  while (size < x.length + response.length) size <<= 1;
  const fft = new FFT(size);
  const a = new Float64Array(2 * size);
  const b = new Float64Array(2 * size);
  for (let i = 0; i < x.length; i++) a[2 * i] = x[i];
  for (let i = 0; i < response.length; i++) a[2 * i + 1] = response[i];
  fft.transform(b, a);
  // Two real signals in one transform: X = (Z[k] + conj Z[N-k]) / 2, H = (Z[k] - conj Z[N-k]) / 2i; product X·H.
  for (let k = 0; k < size; k++) {
    const m = (size - k) & (size - 1);
    const zr = b[2 * k];
    const zi = b[2 * k + 1];
    const cr = b[2 * m];
    const ci = -b[2 * m + 1];
    const xr = 0.5 * (zr + cr);
    const xi = 0.5 * (zi + ci);
    const hr = 0.5 * (zi - ci);
    const hi = -0.5 * (zr - cr);
    a[2 * k] = xr * hr - xi * hi;
    a[2 * k + 1] = xr * hi + xi * hr;
  }
  fft.inverseTransform(b, a);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = b[2 * i];
  return out;
}
