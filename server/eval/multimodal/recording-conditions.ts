/**
 * The held-out clips as people record them, not as EmoDB cut them: a recorder started a second before the speaker
 * and stopped a second after, in a quiet room or over a noisy one. The speaker-independent fold models read them, so
 * the voice section shows what a first recording's accuracy rests on besides the speaker.
 */
import { createRng } from '../../src/music/engine/rng';
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

export const RECORDING_CONDITIONS: readonly RecordingCondition[] = [
  { name: '1 s of digital silence before and after', apply: (a, seed) => recorded(a, seed, 1) },
  { name: '1 s of room tone before and after, and under the speech (white noise at −60 dBFS)', apply: (a, seed) => recorded(a, seed, 1, { dbfs: -60 }) },
  { name: 'a noisy room: white noise 25 dB below the speech throughout, 1 s before and after', apply: (a, seed) => recorded(a, seed, 1, { belowSpeech: 25 }) },
];
