import { EDGE_SEC, noiseMarginDb, speechSpan, trimToSpeech } from './speech-span';

const RATE = 16000;

/** `before` s of `noise`-level hiss, `speech` s of a loud 220 Hz tone, `after` s of hiss. */
function take(before: number, speech: number, after: number, noise = 0): Float32Array {
  const out = new Float32Array(Math.round((before + speech + after) * RATE));
  let seed = 7;
  for (let i = 0; i < out.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const t = i / RATE;
    out[i] = noise * (seed / 1073741824 - 1) + (t >= before && t < before + speech ? 0.3 * Math.sin(2 * Math.PI * 220 * t) : 0);
  }
  return out;
}

/** The span starts EDGE_SEC before the speech and ends EDGE_SEC after it (up to 60 ms wider: loudness is smoothed). */
function expectSpan([start, end]: [number, number], speechFrom: number, speechTo: number): void {
  expect(start / RATE).toBeGreaterThan(speechFrom - EDGE_SEC - 0.07);
  expect(start / RATE).toBeLessThan(speechFrom - EDGE_SEC + 0.01);
  expect(end / RATE).toBeGreaterThan(speechTo + EDGE_SEC - 0.01);
  expect(end / RATE).toBeLessThan(speechTo + EDGE_SEC + 0.07);
}

describe('speechSpan', () => {
  it('keeps the speech and a quarter second either side of it', () => {
    expectSpan(speechSpan(take(1.5, 1, 2), RATE), 1.5, 2.5);
  });

  it('finds the speech over room tone (its noise floor) as over silence', () => {
    expectSpan(speechSpan(take(1, 1, 1, 0.01), RATE), 1, 2);
  });

  it('leaves a take that is speech from end to end, or has no speech, as it is', () => {
    const speech = take(0, 2, 0);
    expect(trimToSpeech(speech, RATE)).toBe(speech);
    const hiss = take(2, 0, 0, 0.01);
    expect(speechSpan(hiss, RATE)).toEqual([0, hiss.length]);
  });
});

describe('noiseMarginDb', () => {
  /** Speech-like bursts (a 220 Hz tone, 4 syllables a second with gaps between them) over white noise. */
  function syllables(seconds: number, noise: number): Float32Array {
    const out = take(0, seconds, 0, noise);
    for (let i = 0; i < out.length; i++) {
      const phase = ((i / RATE) * 4) % 1;
      if (phase > 0.7) out[i] -= 0.3 * Math.sin((2 * Math.PI * 220 * i) / RATE); // a gap: only the noise is left
    }
    return out;
  }

  it('is small when noise fills the pauses and large when they are quiet', () => {
    // The tone's loud frames sit at about −13.5 dBFS; noise at 0.01 (uniform, −45 dBFS) fills the gaps.
    const noisy = noiseMarginDb(syllables(2, 0.01), RATE);
    expect(noisy).toBeGreaterThan(28);
    expect(noisy).toBeLessThan(34);
    expect(noiseMarginDb(syllables(2, 0.0001), RATE)).toBeGreaterThan(60);
  });

  it('does not take digital silence (a muted input) for a quiet room', () => {
    const noisy = syllables(2, 0.01);
    const padded = new Float32Array(noisy.length + 2 * RATE);
    padded.set(noisy, RATE);
    expect(noiseMarginDb(padded, RATE)).toBeCloseTo(noiseMarginDb(noisy, RATE), 0);
    expect(noiseMarginDb(new Float32Array(RATE), RATE)).toBe(Infinity);
  });
});
