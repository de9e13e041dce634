import { integratedLoudness, SILENCE_LUFS, truePeak, samplePeak, toDb } from './loudness';
import type { StereoPcm } from './types';

// Worker start-up and whole-file DSP are slow on a busy CI machine; this is a hang guard, not a speed check.
jest.setTimeout(60_000);

function sine(sampleRate: number, seconds: number, hz: number, amplitude: number, phase = 0): StereoPcm {
  const n = Math.round(sampleRate * seconds);
  const left = new Float32Array(n);
  for (let i = 0; i < n; i++) left[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate + phase);
  return { sampleRate, left, right: left.slice() };
}

describe('integratedLoudness (ITU-R BS.1770-4)', () => {
  it.each([48000, 44100])('reads a -23 dBFS 1 kHz stereo sine as -23 LUFS at %i Hz (EBU Tech 3341 case 1)', (rate) => {
    expect(integratedLoudness(sine(rate, 20, 1000, 10 ** (-23 / 20)))).toBeCloseTo(-23, 1);
  });

  it('ignores silence around the programme thanks to the absolute gate', () => {
    const tone = sine(48000, 10, 1000, 10 ** (-23 / 20));
    const padded = new Float32Array(tone.left.length * 3);
    padded.set(tone.left, tone.left.length);
    // Only the few 400 ms blocks straddling the edges (partly silent) may pull it down a little.
    const lufs = integratedLoudness({ sampleRate: 48000, left: padded, right: padded.slice() });
    expect(lufs).toBeGreaterThan(-23.3);
    expect(lufs).toBeLessThan(-22.9);
  });

  it('applies the relative gate: a quiet passage 20 LU down does not lower the result', () => {
    const loud = sine(48000, 10, 1000, 10 ** (-23 / 20));
    const quiet = sine(48000, 10, 1000, 10 ** (-43 / 20));
    const left = new Float32Array(loud.left.length * 2);
    left.set(loud.left);
    left.set(quiet.left, loud.left.length);
    expect(integratedLoudness({ sampleRate: 48000, left, right: left.slice() })).toBeCloseTo(-23, 0);
  });

  it('reports silence for digital silence and for signals under -70 LUFS', () => {
    expect(integratedLoudness(sine(44100, 5, 1000, 0))).toBe(SILENCE_LUFS);
    expect(integratedLoudness(sine(44100, 5, 1000, 10 ** (-85 / 20)))).toBe(SILENCE_LUFS);
  });

  it('weights low frequencies down (K-weighting high pass)', () => {
    const low = integratedLoudness(sine(48000, 5, 30, 0.1));
    const mid = integratedLoudness(sine(48000, 5, 1000, 0.1));
    expect(mid - low).toBeGreaterThan(3);
  });
});

describe('truePeak', () => {
  it('finds the inter-sample peak of a quarter-rate sine sampled off its crests', () => {
    // fs/4 sine with 45° phase: every sample sits at 0.707 of the real crest (the classic -3 dB case).
    const pcm = sine(48000, 1, 12000, 1, Math.PI / 4);
    expect(toDb(samplePeak(pcm))).toBeCloseTo(-3.01, 1);
    expect(toDb(truePeak(pcm))).toBeGreaterThan(-0.6);
  });

  it('equals the sample peak for a low-frequency tone', () => {
    const pcm = sine(48000, 1, 100, 0.5);
    expect(truePeak(pcm)).toBeCloseTo(samplePeak(pcm), 2);
  });
});
