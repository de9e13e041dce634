/**
 * The held-out clips as people record them, not as EmoDB cut them: a recorder started a second before the speaker
 * and stopped a second after, in a quiet room or over a noisy one. The speaker-independent fold models read them, so
 * the voice section shows what a first recording's accuracy rests on besides the speaker.
 */
import { createRng } from '../../src/music/engine/rng';
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

/** A voice to talk in the background: one speaker's clips (same sample rate as the clips recorded over it). */
export interface BackgroundVoice {
  speaker: string;
  clips: readonly Float32Array[];
}

/**
 * A room where others talk: three other speakers, each saying their clips one after another (a random order), mixed
 * at equal loudness and together `belowSpeech` dB below the clip, 1 s before and after and under it. Babble is not
 * a steady floor, so only the noise margin can tell it from a studio take.
 */
export function othersTalking(voices: readonly BackgroundVoice[], belowSpeech: number): RecordingCondition {
  return {
    name: `a room where three others talk, together ${belowSpeech} dB below the speech, 1 s before and after`,
    apply: (audio, seed, speaker) => {
      const rng = createRng(seed).fork('others talking');
      const taking = recorded(audio, seed, 1);
      const others = voices.filter((v) => v.speaker !== speaker);
      const babble = new Float32Array(taking.samples.length);
      for (let talker = 0; talker < 3; talker++) {
        const voice = others.splice(rng.int(0, others.length - 1), 1)[0];
        const stream = new Float32Array(babble.length);
        for (let at = 0; at < stream.length;) {
          const clip = voice.clips[rng.int(0, voice.clips.length - 1)];
          stream.set(clip.subarray(0, stream.length - at), at);
          at += clip.length;
        }
        const scale = 10 ** (-rmsDb(stream) / 20);
        for (let i = 0; i < babble.length; i++) babble[i] += scale * stream[i];
      }
      const gain = 10 ** ((rmsDb(audio.samples) - belowSpeech - rmsDb(babble)) / 20);
      for (let i = 0; i < babble.length; i++) taking.samples[i] += gain * babble[i];
      return taking;
    },
  };
}
