/**
 * Synthesised performances for the tutor's tests: a melody as harmonic tones with an attack/decay envelope, slight
 * vibrato and a little noise, written as a WAV (16-bit PCM or 32-bit float, mono or stereo) by the tutor engine's encoder.
 */
import { encodeWavMono } from '../../src/tutor/engine';

export interface PerformedNote {
  /** MIDI pitch, fractional allowed (a flat or sharp note). */
  pitch: number;
  start: number;
  duration: number;
}

export interface PerformanceOptions {
  sampleRate?: number;
  /** Silence before the first note (s). */
  leadIn?: number;
  /** Total length (s); default: last note end + 0.5 s. */
  totalSec?: number;
  encoding?: 'pcm16' | 'float32';
  channels?: 1 | 2;
  /** Noise amplitude (0–1), default 0.003. */
  noise?: number;
}

/** Deterministic noise (a linear congruential generator), so that a failing test fails the same way every time. */
function noiseSource(seed = 12345): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}

/** The samples of a performance (mono, in [-1, 1]). */
export function performanceSamples(notes: PerformedNote[], options: PerformanceOptions = {}): { sampleRate: number; samples: Float32Array } {
  const sampleRate = options.sampleRate ?? 44_100;
  const leadIn = options.leadIn ?? 0.5;
  const end = options.totalSec ?? leadIn + Math.max(0, ...notes.map((n) => n.start + n.duration)) + 0.5;
  const samples = new Float32Array(Math.ceil(end * sampleRate));
  const noise = noiseSource();
  const noiseLevel = options.noise ?? 0.003;
  for (let i = 0; i < samples.length; i++) samples[i] = noiseLevel * 2 * noise();
  for (const note of notes) {
    const f0 = 440 * 2 ** ((note.pitch - 69) / 12);
    const first = Math.round((leadIn + note.start) * sampleRate);
    const count = Math.round(note.duration * sampleRate);
    let phase = 0;
    for (let k = 0; k < count && first + k < samples.length; k++) {
      const t = k / sampleRate;
      const envelope = Math.min(1, t / 0.02) * Math.min(1, (note.duration - t) / 0.04) * (0.85 + 0.15 * Math.exp(-t * 6));
      const f = f0 * 2 ** ((0.2 * Math.sin(2 * Math.PI * 5.5 * t)) / 12);
      phase += (2 * Math.PI * f) / sampleRate;
      samples[first + k] += 0.3 * envelope * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase));
    }
  }
  return { sampleRate, samples };
}

/** A performance as WAV bytes. */
export function performanceWav(notes: PerformedNote[], options: PerformanceOptions = {}): Buffer {
  return Buffer.from(encodeWavMono(performanceSamples(notes, options), options.encoding ?? 'pcm16', options.channels ?? 1));
}
