/**
 * Voice: one recording of 5 s (target ≤ 100 ms) from WAV bytes to the analysis, at the common rates, with the stages
 * (decode, features, classifier) and throughput; memory of the loaded model.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWavMono } from '../../src/tutor/engine/audio/wav-input';
import { VoiceEmotionRecognizer } from '../../src/multimodal/engine/voice/voice-emotion';
import { extractVoiceFeatures } from '../../src/multimodal/engine/voice/voice-features';
import { decodeWavMono } from '../../src/tutor/engine';
import { createRng } from '../../src/music/engine/rng';
import { machineNote, mb, memoryNow, ms, time } from './timing';

/** Five seconds of a voice-like signal: a harmonic tone with a wandering pitch cut into syllables, plus a little noise. */
function speechLike(rate: number, seconds: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(Math.round(rate * seconds));
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / rate;
    const hz = 170 * 2 ** ((3 * Math.sin(2 * Math.PI * 0.6 * t) + Math.sin(2 * Math.PI * 2.3 * t)) / 12);
    phase += (2 * Math.PI * hz) / rate;
    let v = 0;
    for (let k = 1; k <= 15; k++) v += Math.sin(k * phase) / k;
    const syllable = Math.max(0, Math.sin(Math.PI * ((t * 4.5) % 1))) ** 2;
    out[i] = 0.25 * v * syllable + 0.003 * rng.gauss();
  }
  return out;
}

export default async function voiceBench(): Promise<void> {
  const recogniser = new VoiceEmotionRecognizer();
  console.log('## Voice: 5 s of audio, WAV bytes → analysis (target ≤ 100 ms)\n');
  console.log(
    '| recording | calls | wall p50 (ms) | wall p99 (ms) | CPU per call (ms) | of which decode (ms) | of which features (ms) | audio seconds per CPU second |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [rate, encoding] of [
    [16000, 'pcm16'],
    [22050, 'pcm16'],
    [44100, 'pcm16'],
    [48000, 'float32'],
  ] as const) {
    const wav = encodeWavMono({ sampleRate: rate, samples: speechLike(rate, 5, rate) }, encoding);
    const whole = time(() => recogniser.analyze(wav), 15, 3);
    const decode = time(() => decodeWavMono(wav), 15, 2);
    const audio = decodeWavMono(wav);
    const features = time(() => extractVoiceFeatures(audio), 15, 2);
    console.log(
      `| 5 s, ${rate} Hz ${encoding} | ${whole.calls} | ${ms(whole.p50)} | ${ms(whole.p99)} | ${ms(whole.cpu)} | ${ms(decode.cpu)} | ${ms(features.cpu)} | ${(5000 / whole.cpu).toFixed(0)} |`,
    );
  }
  const thirty = encodeWavMono({ sampleRate: 44100, samples: speechLike(44100, 30, 3) });
  const longest = time(() => recogniser.analyze(thirty), 5, 1);
  console.log(`\n30 s at 44.1 kHz (the API's longest recording): p50 ${ms(longest.p50)} ms, CPU ${ms(longest.cpu)} ms.`);
  const memory = memoryNow();
  console.log(
    `Process after these runs: heap ${mb(memory.heap)}, RSS ${mb(memory.rss)} (the voice model is ${(statSync(join(__dirname, '../../src/multimodal/engine/models/voice.json')).size / 1024).toFixed(0)} kB of JSON).`,
  );
  console.log(machineNote() + '\n');
  return Promise.resolve();
}
