/** Types for fft.js 4 (MIT, indutny): radix-4 FFT over interleaved complex arrays [re0, im0, re1, im1, …]. */
declare module 'fft.js' {
  type ComplexBuffer = Float64Array | number[];
  class FFT {
    constructor(size: number);
    readonly size: number;
    /** Forward transform of `data` into `out` (both 2·size long, distinct). */
    transform(out: ComplexBuffer, data: ComplexBuffer): void;
    /** Inverse transform with 1/size scaling. */
    inverseTransform(out: ComplexBuffer, data: ComplexBuffer): void;
    /** Forward transform of a real array (size long); fills the first half of `out`. */
    realTransform(out: ComplexBuffer, data: ComplexBuffer): void;
    completeSpectrum(spectrum: ComplexBuffer): void;
    createComplexArray(): number[];
  }
  export = FFT;
}
