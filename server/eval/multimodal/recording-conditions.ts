/**
 * The held-out clips as people record them, not as EmoDB cut them: a recorder started a second before the speaker
 * and stopped a second after, in a quiet room or over a noisy one. The speaker-independent fold models read them, so
 * the voice section shows what a first recording's accuracy rests on besides the speaker.
 */
import { createRng, type Rng } from '../../src/music/engine/rng';
import type { MonoAudio } from '../../src/tutor/engine/audio/wav-input';

export interface RecordingCondition {
  name: string;
  apply: (audio: MonoAudio, seed: number) => MonoAudio;
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

/** `n` samples of pink (Kellet's economy filter) or brown (leaky integrator) noise at unit RMS. */
function colouredNoise(colour: 'pink' | 'brown', n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  let [b0, b1, b2] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const w = rng.gauss();
    if (colour === 'pink') {
      b0 = 0.99765 * b0 + w * 0.099046;
      b1 = 0.963 * b1 + w * 0.2965164;
      b2 = 0.57 * b2 + w * 1.0526913;
      out[i] = b0 + b1 + b2 + w * 0.1848;
    } else {
      b0 = (b0 + 0.02 * w) / 1.02;
      out[i] = b0;
    }
  }
  const scale = 1 / Math.sqrt(out.reduce((s, v) => s + v * v, 0) / n || 1);
  return out.map((v) => v * scale);
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
];
