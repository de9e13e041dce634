import { resample } from './resample';

function tone(hz: number, rate: number, seconds: number): Float32Array {
  return new Float32Array(Math.round(rate * seconds)).map((_, i) => Math.sin((2 * Math.PI * hz * i) / rate));
}

function rmsOf(x: Float32Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / (to - from));
}

describe('resample', () => {
  it.each([
    [44100, 16000],
    [8000, 16000],
    [48000, 16000],
    [44100.5, 16000],
  ])('keeps an in-band tone from %d Hz to %d Hz (phase and amplitude)', (from, to) => {
    const out = resample(tone(440, from, 0.5), from, to);
    expect(out.length).toBe(Math.round(0.5 * from * (to / from)));
    for (let i = 200; i < out.length - 200; i += 37) expect(out[i]).toBeCloseTo(Math.sin((2 * Math.PI * 440 * i) / to), 2);
  });

  it('removes content above the new Nyquist frequency instead of aliasing it', () => {
    const out = resample(tone(12000, 44100, 0.5), 44100, 16000);
    expect(rmsOf(out, 200, out.length - 200)).toBeLessThan(0.01);
  });

  it('returns a copy when the rates are equal', () => {
    const x = tone(100, 16000, 0.01);
    const y = resample(x, 16000, 16000);
    expect(y).not.toBe(x);
    expect(Array.from(y)).toEqual(Array.from(x));
  });
});
