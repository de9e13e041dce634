/**
 * The peer: `pitchy` 4 (MIT, McLeod pitch method) with its defaults (k = 0.9), framed like the dataset's README
 * measurement: 2048-sample window centred on every 256th sample at 44.1 kHz (scaled to the input rate), voiced where
 * clarity ≥ 0.8. pitchy is an ES module; Node ≥ 20.19 loads it with require().
 */
import type { MonoAudio } from '../../src/tutor/engine';

interface PitchyModule {
  PitchDetector: { forFloat32Array(length: number): { findPitch(input: Float32Array, sampleRate: number): [number, number] } };
}

/** pitchy's clarity threshold for "voiced" used by the dataset README's measurement. */
export const PITCHY_MIN_CLARITY = 0.8;

export interface PitchySeries {
  times: Float64Array;
  hz: Float64Array;
  clarity: Float64Array;
}

/** Runs pitchy over a recording; frames every `hopSec`, window 2048 at 44.1 kHz scaled to the rate (power of two). */
export function pitchyTrack(audio: MonoAudio, hopSec = 256 / 44100): PitchySeries {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PitchDetector } = require('pitchy') as PitchyModule;
  let window = 1;
  while (window < (2048 * audio.sampleRate) / 44100) window <<= 1;
  const detector = PitchDetector.forFloat32Array(window);
  const hop = hopSec * audio.sampleRate;
  const frames = Math.floor(audio.samples.length / hop) + 1;
  const times = new Float64Array(frames);
  const hz = new Float64Array(frames);
  const clarity = new Float64Array(frames);
  const buf = new Float32Array(window);
  for (let i = 0; i < frames; i++) {
    const centre = Math.round(i * hop);
    buf.fill(0);
    for (let j = 0; j < window; j++) {
      const k = centre - window / 2 + j;
      if (k >= 0 && k < audio.samples.length) buf[j] = audio.samples[k];
    }
    const [pitch, c] = detector.findPitch(buf, audio.sampleRate);
    times[i] = centre / audio.sampleRate;
    clarity[i] = c;
    hz[i] = c >= PITCHY_MIN_CLARITY && Number.isFinite(pitch) && pitch > 0 ? pitch : 0;
  }
  return { times, hz, clarity };
}

/**
 * The baseline segmentation on pitchy's frames: each voiced frame rounded to the nearest semitone; a note starts where
 * voicing starts or the rounded pitch changes and holds for 3 frames; notes shorter than 60 ms are dropped. Pitch is
 * the median of the note's frames.
 */
export function pitchyNotes(series: PitchySeries, minNoteSec = 0.06): { start: number; pitch: number; duration: number }[] {
  const notes: { start: number; pitch: number; duration: number }[] = [];
  const midiOf = (hz: number) => 69 + 12 * Math.log2(hz / 440);
  let current: { from: number; to: number; semitone: number } | undefined;
  const close = () => {
    if (!current) return;
    const { from, to } = current;
    const values: number[] = [];
    for (let k = from; k < to; k++) if (series.hz[k] > 0) values.push(midiOf(series.hz[k]));
    values.sort((a, b) => a - b);
    const duration = series.times[to - 1] - series.times[from] + (series.times[1] - series.times[0]);
    if (duration >= minNoteSec && values.length) notes.push({ start: series.times[from], pitch: values[values.length >> 1], duration });
    current = undefined;
  };
  for (let i = 0; i < series.hz.length; i++) {
    if (!(series.hz[i] > 0)) {
      close();
      continue;
    }
    const semitone = Math.round(midiOf(series.hz[i]));
    if (!current) current = { from: i, to: i + 1, semitone };
    else if (semitone !== current.semitone) {
      let holds = true;
      for (let k = i; k < i + 3; k++) if (!(series.hz[k] > 0) || Math.round(midiOf(series.hz[k])) !== semitone) holds = false;
      if (holds) {
        current.to = i;
        close();
        current = { from: i, to: i + 1, semitone };
      } else current.to = i + 1;
    } else current.to = i + 1;
  }
  close();
  return notes;
}
