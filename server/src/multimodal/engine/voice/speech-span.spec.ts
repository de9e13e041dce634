import { BACKGROUND_TALK_CUES, EDGE_SEC, noiseFloor, REVERBERATION_CUES, speechSpan, trimToSpeech } from './speech-span';

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

describe('noiseFloor', () => {
  /**
   * Speech-like bursts (a 220 Hz tone at 0.3, 4 syllables a second) over white noise; in the gaps between them the
   * tone falls `gapDb` and climbs 10 dB back through the gap (the quiet parts of speech), or vanishes (the default).
   */
  function syllables(seconds: number, noise: number, gapDb = Infinity): Float32Array {
    const out = take(0, 0, seconds, noise);
    for (let i = 0; i < out.length; i++) {
      const phase = ((i / RATE) * 4) % 1;
      const scale = phase <= 0.7 ? 1 : 10 ** ((-gapDb + (30 * (phase - 0.7)) / 0.3) / 20);
      out[i] += scale * 0.3 * Math.sin((2 * Math.PI * 220 * i) / RATE);
    }
    return out;
  }

  it('gives a small margin when noise fills the pauses and a large one when they are quiet', () => {
    // The tone's loud frames sit at about −13.5 dBFS; noise at 0.01 (uniform, −45 dBFS) fills the gaps.
    const noisy = noiseFloor(syllables(2, 0.01), RATE);
    expect(noisy.marginDb).toBeGreaterThan(28);
    expect(noisy.marginDb).toBeLessThan(34);
    expect(noisy.steady).toBe(true);
    expect(noiseFloor(syllables(2, 0.0001), RATE).marginDb).toBeGreaterThan(60);
  });

  it('tells a steady noise floor from the quiet parts of speech', () => {
    // Gaps that are quieter speech (40 dB down, 30 dB back up through the gap) and no noise: a spread floor.
    const speech = noiseFloor(syllables(2, 0, 40), RATE);
    expect(speech.steady).toBe(false);
    expect(noiseFloor(syllables(2, 0.003), RATE).steady).toBe(true);
  });

  it('does not take digital silence (a muted input) for a quiet room', () => {
    const noisy = syllables(2, 0.01);
    const padded = new Float32Array(noisy.length + 2 * RATE);
    padded.set(noisy, RATE);
    expect(noiseFloor(padded, RATE).marginDb).toBeCloseTo(noiseFloor(noisy, RATE).marginDb, 0);
    expect(noiseFloor(new Float32Array(RATE), RATE)).toEqual({
      marginDb: Infinity,
      steady: false,
      backgroundTalk: [0, 0, 0, 0, 0],
      reverberation: [0, 0, 0, 0],
    });
  });

  it('hears voices talking behind the speaker in the quiet frames', () => {
    const cue = (floor: { backgroundTalk: number[] }, name: (typeof BACKGROUND_TALK_CUES)[number]) => floor.backgroundTalk[BACKGROUND_TALK_CUES.indexOf(name)];
    // The speaker: syllables four times a second with quiet gaps, a second of a quiet room before and after...
    const alone = take(4, 0, 0, 0.0001);
    syllables(2, 0).forEach((v, i) => (alone[RATE + i] += v));
    // ...and the same with two quieter voices (20 dB down) talking at their own pace throughout.
    const talking = alone.map((v, i) => {
      const t = i / RATE;
      const voice = (hz: number, rate: number) => 0.03 * Math.sin(2 * Math.PI * hz * t) * Math.sin(Math.PI * ((t * rate) % 1)) ** 2;
      return v + voice(130, 3) + voice(170, 2.3);
    });
    const [quiet, busy] = [noiseFloor(alone, RATE), noiseFloor(talking, RATE)];
    expect(cue(busy, 'backgroundShare')).toBeGreaterThan(cue(quiet, 'backgroundShare') + 0.2);
    expect(cue(busy, 'pauseShare')).toBeLessThan(cue(quiet, 'pauseShare'));
    expect(cue(busy, 'longestBackgroundSec')).toBeGreaterThan(0.9); // the second before the speaker
    expect(cue(quiet, 'longestBackgroundSec')).toBeLessThan(0.2); // only the syllables' edges
    expect(busy.steady).toBe(false);
  });

  it('hears a reverberant room in the slow falls at the ends of words, and not in noise under the speech', () => {
    const cue = (samples: Float32Array, name: (typeof REVERBERATION_CUES)[number]) => noiseFloor(samples, RATE).reverberation[REVERBERATION_CUES.indexOf(name)];
    const dry = new Float32Array(4 * RATE);
    dry.set(syllables(2, 0), RATE);
    const [roomy, overNoise] = [reverberate(dry, 0.5), syllables(2, 0.01)];
    // Falls are in tens of dB: a dry word's end falls 30 dB in 30 ms here, the room's tail about 6 dB.
    expect(cue(dry, 'steepFall30ms')).toBeGreaterThan(2);
    expect(cue(roomy, 'steepFall30ms')).toBeLessThan(cue(dry, 'steepFall30ms') - 1);
    expect(cue(roomy, 'steepFall100ms')).toBeLessThan(cue(dry, 'steepFall100ms') - 1);
    expect(cue(overNoise, 'steepFall30ms')).toBeGreaterThan(cue(roomy, 'steepFall30ms') + 0.5); // hiss 30 dB down caps, does not slow, the falls
  });
});

/** `samples` with the tails of four feedback combs (a Schroeder reverberator's) that fall 60 dB in `rt60` seconds. */
function reverberate(samples: Float32Array, rt60: number): Float32Array {
  const out = Float32Array.from(samples);
  for (const delaySec of [0.0297, 0.0371, 0.0411, 0.0437]) {
    const delay = Math.round(delaySec * RATE);
    const gain = 10 ** ((-3 * delaySec) / rt60);
    const comb = new Float32Array(samples.length);
    for (let i = 0; i < samples.length; i++) comb[i] = samples[i] + (i >= delay ? gain * comb[i - delay] : 0);
    for (let i = 0; i < samples.length; i++) out[i] += 0.25 * (comb[i] - samples[i]);
  }
  return out;
}
