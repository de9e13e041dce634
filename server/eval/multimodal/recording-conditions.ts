/**
 * The held-out clips as people record them, not as EmoDB cut them: a recorder started a second before the speaker
 * and stopped a second after, in a quiet room or over a noisy one. The speaker-independent fold models read them, so
 * the voice section shows what a first recording's accuracy rests on besides the speaker.
 */
import { createRng, type Rng } from '../../src/music/engine/rng';
import { convolve } from '../lib/convolve';
import { colouredNoise } from '../lib/noise';
import type { MonoAudio } from '../../src/tutor/engine/audio/wav-input';

export interface RecordingCondition {
  name: string;
  /** The clip recorded so; `speaker` is whose voice it is (so that the voices around it are others'). */
  apply: (audio: MonoAudio, seed: number, speaker: string) => MonoAudio;
}

function rmsDb(samples: Float32Array): number {
  let energy = 0;
  for (const v of samples) energy += v * v;
  return 10 * Math.log10(energy / samples.length + 1e-20);
}

/** `pad` seconds before and after; white noise at `noiseDb` (dBFS, or relative to the clip's RMS level) throughout. */
function recorded(audio: MonoAudio, seed: number, pad: number, noiseDb?: { dbfs: number } | { belowSpeech: number }): MonoAudio {
  const margin = Math.round(pad * audio.sampleRate);
  const samples = new Float32Array(audio.samples.length + 2 * margin);
  samples.set(audio.samples, margin);
  if (noiseDb) {
    const level = 'dbfs' in noiseDb ? noiseDb.dbfs : rmsDb(audio.samples) - noiseDb.belowSpeech;
    const sd = 10 ** (level / 20);
    const rng = createRng(seed);
    for (let i = 0; i < samples.length; i++) samples[i] += sd * rng.gauss();
  }
  return { sampleRate: audio.sampleRate, samples };
}

/** Scales `response[1..]` (the room after the direct path, `response[0]` = 1) to `directToReverberantDb` below the direct path. */
function setDirectToReverberant(response: Float64Array, directToReverberantDb: number): Float64Array {
  let tail = 0;
  for (let i = 1; i < response.length; i++) tail += response[i] * response[i];
  const scale = Math.sqrt(10 ** (-directToReverberantDb / 10) / tail);
  for (let i = 1; i < response.length; i++) response[i] *= scale;
  response[0] = 1;
  return response;
}

/**
 * The take heard in a room: 1 s of silence before and after, convolved with a synthetic impulse response, a direct
 * path and then exponentially decaying white noise (from `rng`) that falls 60 dB in `rt60` seconds, its energy
 * `directToReverberantDb` below the direct path's.
 */
function reverberant(audio: MonoAudio, rng: Rng, rt60: number, directToReverberantDb: number): MonoAudio {
  const response = new Float64Array(Math.round(rt60 * audio.sampleRate));
  for (let i = 1; i < response.length; i++) response[i] = rng.gauss() * 10 ** ((-3 * i) / response.length);
  return { sampleRate: audio.sampleRate, samples: convolve(recorded(audio, 0, 1).samples, setDirectToReverberant(response, directToReverberantDb)) };
}

/**
 * The reverberant copies the reverberant-room classifier is trained on, from another family of rooms than the
 * evaluation's: 0–1 s of the room before and after; a direct path, three to eight early reflections 2–40 ms after it,
 * and from 10–20 ms a diffuse tail of noise, low-passed (walls and air absorb the highs) and falling 60 dB in 0.2–1 s,
 * together −3 to 10 dB below the direct path.
 */
export function trainingReverberation(audio: MonoAudio, seed: number): MonoAudio {
  const rng = createRng(seed).fork('reverberation copies');
  const rate = audio.sampleRate;
  const [before, after] = [rng.next(), rng.next()].map((s) => Math.round(s * rate));
  const dry = new Float32Array(before + audio.samples.length + after);
  dry.set(audio.samples, before);
  const rt60 = 0.2 + 0.8 * rng.next();
  const response = new Float64Array(Math.round(rt60 * rate));
  const reflections = rng.int(3, 8);
  for (let r = 0; r < reflections; r++) response[Math.round((0.002 + 0.038 * rng.next()) * rate)] += (rng.next() < 0.5 ? -1 : 1) * (0.2 + 0.5 * rng.next());
  const smoothing = 0.6 * rng.next();
  let lowPassed = 0;
  for (let i = Math.round((0.01 + 0.01 * rng.next()) * rate); i < response.length; i++) {
    lowPassed = smoothing * lowPassed + (1 - smoothing) * rng.gauss();
    response[i] += lowPassed * 10 ** ((-3 * i) / response.length);
  }
  return { sampleRate: rate, samples: convolve(dry, setDirectToReverberant(response, -3 + 13 * rng.next())) };
}

/** A biquad's coefficients, normalised by a0 (RBJ's audio EQ cookbook). */
type Biquad = [b0: number, b1: number, b2: number, a1: number, a2: number];

/** A high-pass, low-pass or peaking biquad at `hz` (`q` 1/√2 for Butterworth; `gainDb` for the peak). */
function biquad(sampleRate: number, type: 'high' | 'low' | 'peak', hz: number, q = Math.SQRT1_2, gainDb = 0): Biquad {
  const w = (2 * Math.PI * hz) / sampleRate;
  const alpha = Math.sin(w) / (2 * q);
  const cos = Math.cos(w);
  if (type === 'peak') {
    const a = 10 ** (gainDb / 40);
    const a0 = 1 + alpha / a;
    return [(1 + alpha * a) / a0, (-2 * cos) / a0, (1 - alpha * a) / a0, (-2 * cos) / a0, (1 - alpha / a) / a0];
  }
  const a0 = 1 + alpha;
  const [b0, b1] = type === 'low' ? [(1 - cos) / 2, 1 - cos] : [(1 + cos) / 2, -(1 + cos)];
  return [b0 / a0, b1 / a0, b0 / a0, (-2 * cos) / a0, (1 - alpha) / a0];
}

/** `audio` through the filters in turn (a copy). */
function filtered(audio: MonoAudio, filters: readonly Biquad[]): MonoAudio {
  const samples = Float32Array.from(audio.samples);
  for (const [b0, b1, b2, a1, a2] of filters) {
    let [x1, x2, y1, y2] = [0, 0, 0, 0];
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i];
      const y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
      [x2, x1, y2, y1] = [x1, x, y1, y];
      samples[i] = y;
    }
  }
  return { sampleRate: audio.sampleRate, samples };
}

/** The take as EmoDB cut it, through a microphone or line that passes only `lowHz`–`highHz` (second order either side). */
function bandLimited(audio: MonoAudio, lowHz: number, highHz: number): MonoAudio {
  return filtered(audio, [biquad(audio.sampleRate, 'high', lowHz), biquad(audio.sampleRate, 'low', highHz)]);
}

/**
 * The microphone copies the speaker-independent classifier is also trained on, so that it does not learn EmoDB's one
 * microphone: mostly a low cut at 60–400 Hz and a high cut at 2.8–7 kHz (each first the eval's second order, or twice
 * that), and a resonance or dip of −6 to 6 dB somewhere between 300 Hz and 5 kHz.
 */
export function trainingMicrophone(audio: MonoAudio, seed: number): MonoAudio {
  const rng = createRng(seed).fork('microphone');
  const rate = audio.sampleRate;
  const logUniform = (lo: number, hi: number) => lo * (hi / lo) ** rng.next();
  const filters: Biquad[] = [];
  if (rng.next() < 0.85) filters.push(...Array<Biquad>(rng.int(1, 2)).fill(biquad(rate, 'high', logUniform(60, 400))));
  if (rng.next() < 0.85) filters.push(...Array<Biquad>(rng.int(1, 2)).fill(biquad(rate, 'low', Math.min(logUniform(2800, 7000), 0.45 * rate))));
  filters.push(biquad(rate, 'peak', logUniform(300, 5000), 0.7 + 1.3 * rng.next(), -6 + 12 * rng.next()));
  return filtered(audio, filters);
}

/**
 * The noisy copies the noisy-room classifier is trained on: 0–1 s of the room before and after, and pink or brown
 * noise (a room, a fan, traffic; never the white noise the evaluation's noisy room uses) 8–40 dB below the speech.
 */
export function trainingRoomNoise(audio: MonoAudio, seed: number): MonoAudio {
  const rng = createRng(seed).fork('room noise');
  const [before, after] = [rng.next(), rng.next()].map((s) => Math.round(s * audio.sampleRate));
  const samples = new Float32Array(before + audio.samples.length + after);
  samples.set(audio.samples, before);
  const belowSpeech = 8 + 32 * rng.next();
  const noise = colouredNoise(rng.next() < 0.5 ? 'pink' : 'brown', samples.length, rng);
  const sd = 10 ** ((rmsDb(audio.samples) - belowSpeech) / 20);
  for (let i = 0; i < samples.length; i++) samples[i] += sd * noise[i];
  return { sampleRate: audio.sampleRate, samples };
}

export const RECORDING_CONDITIONS: readonly RecordingCondition[] = [
  { name: '1 s of digital silence before and after', apply: (a, seed) => recorded(a, seed, 1) },
  { name: '1 s of room tone before and after, and under the speech (white noise at −60 dBFS)', apply: (a, seed) => recorded(a, seed, 1, { dbfs: -60 }) },
  { name: 'a noisy room: white noise 25 dB below the speech throughout, 1 s before and after', apply: (a, seed) => recorded(a, seed, 1, { belowSpeech: 25 }) },
  {
    name: 'a quieter room: white noise 30 dB below the speech throughout, 1 s before and after',
    apply: (a, seed) => recorded(a, seed, 1, { belowSpeech: 30 }),
  },
  {
    name: 'a living room at arm’s length: reverberation of 0.5 s (RT60), 3 dB below the direct sound, 1 s before and after',
    apply: (a, seed) => reverberant(a, createRng(seed).fork('reverberation'), 0.5, 3),
  },
  { name: 'a small microphone: as cut, below 200 Hz and above 6 kHz rolled off', apply: (a) => bandLimited(a, 200, 6000) },
  { name: 'a telephone line: as cut, only 300–3,400 Hz passed', apply: (a) => bandLimited(a, 300, 3400) },
];

/** A voice to talk in the background: one speaker's clips (same sample rate as the clips recorded over it). */
export interface BackgroundVoice {
  speaker: string;
  clips: readonly Float32Array[];
}

/** `talkers` of the voices (each saying random clips one after another from a random point), mixed at equal loudness. */
function talk(voices: readonly BackgroundVoice[], talkers: number, length: number, rng: Rng): Float32Array {
  const left = [...voices];
  const babble = new Float32Array(length);
  for (let talker = 0; talker < talkers; talker++) {
    const voice = left.splice(rng.int(0, left.length - 1), 1)[0];
    const stream = new Float32Array(length);
    for (let at = -Math.round(rng.next() * voice.clips[0].length); at < length;) {
      const clip = voice.clips[rng.int(0, voice.clips.length - 1)];
      const from = Math.max(0, -at);
      stream.set(clip.subarray(from, Math.min(clip.length, from + length - Math.max(0, at))), Math.max(0, at));
      at += clip.length;
    }
    const scale = 10 ** (-rmsDb(stream) / 20);
    for (let i = 0; i < length; i++) babble[i] += scale * stream[i];
  }
  return babble;
}

/** `audio` with `pad` = [before, after] samples of the room, and `babble` mixed `belowSpeech` dB below its level throughout. */
function overTalk(audio: MonoAudio, pad: [number, number], babble: (length: number) => Float32Array, belowSpeech: number): MonoAudio {
  const samples = new Float32Array(pad[0] + audio.samples.length + pad[1]);
  samples.set(audio.samples, pad[0]);
  const room = babble(samples.length);
  const gain = 10 ** ((rmsDb(audio.samples) - belowSpeech - rmsDb(room)) / 20);
  for (let i = 0; i < samples.length; i++) samples[i] += gain * room[i];
  return { sampleRate: audio.sampleRate, samples };
}

/**
 * Which speakers talk behind a held-out speaker's takes: the others in sorted order, alternately to the
 * background-talk classifier's training copies and to the evaluation's rooms, so that the voices the evaluation puts
 * behind a speaker are voices that classifier never heard in the background.
 */
export function backgroundTalkers(speakers: readonly string[], heldOut: string): { training: string[]; evaluation: string[] } {
  const others = [...speakers].filter((s) => s !== heldOut).sort();
  return { training: others.filter((_, i) => i % 2 === 0), evaluation: others.filter((_, i) => i % 2 === 1) };
}

/**
 * The copies the background-talk classifier is trained on: 0–1 s of the room before and after, and two to four of
 * `voices` (never the speaker's own) talking together 8–25 dB below the speech.
 */
export function trainingBackgroundTalk(voices: readonly BackgroundVoice[]): (audio: MonoAudio, seed: number, speaker: string) => MonoAudio {
  return (audio, seed, speaker) => {
    const rng = createRng(seed).fork('background talk');
    const others = voices.filter((v) => v.speaker !== speaker);
    const pad: [number, number] = [Math.round(rng.next() * audio.sampleRate), Math.round(rng.next() * audio.sampleRate)];
    const talkers = Math.min(others.length, rng.int(2, 4));
    return overTalk(audio, pad, (length) => talk(others, talkers, length, rng), 8 + 17 * rng.next());
  };
}

/**
 * A room where others talk: three speakers (the held-out speaker's `backgroundTalkers(...).evaluation`), mixed at
 * equal loudness and together `belowSpeech` dB below the clip, 1 s before and after and under it.
 */
export function othersTalking(voices: readonly BackgroundVoice[], belowSpeech: number): RecordingCondition {
  const speakers = voices.map((v) => v.speaker);
  return {
    name: `a room where three others talk, together ${belowSpeech} dB below the speech, 1 s before and after`,
    apply: (audio, seed, speaker) => {
      const rng = createRng(seed).fork('others talking');
      const talkers = backgroundTalkers(speakers, speaker).evaluation;
      const others = voices.filter((v) => talkers.includes(v.speaker));
      const second = audio.sampleRate;
      return overTalk(audio, [second, second], (length) => talk(others, 3, length, rng), belowSpeech);
    },
  };
}
