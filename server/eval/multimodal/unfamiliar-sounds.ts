/**
 * Sounds that are not a person speaking, as a user might still send them to the voice reader: an instrument, a
 * whistle, knocks, a drum loop, a synthesised vowel voice. Each kind in a few variants (pitch, tempo, level), over a
 * quiet room floor, so the voice section can show how much the reader trusts what it was never trained on.
 */
import { createRng, type Rng } from '../../src/music/engine/rng';
import type { MonoAudio } from '../../src/tutor/engine/audio/wav-input';

const RATE = 16_000;

export interface UnfamiliarSound {
  kind: string;
  takes: MonoAudio[];
}

const hz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

function floor(seconds: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * RATE) }, () => 0.002 * rng.gauss());
}

/** Adds `render(t)` for `seconds` from `start` (seconds). */
function add(samples: Float32Array, start: number, seconds: number, render: (t: number) => number): void {
  const first = Math.round(start * RATE);
  for (let k = 0; k < seconds * RATE && first + k < samples.length; k++) samples[first + k] += render(k / RATE);
}

function piano(rng: Rng): Float32Array {
  const samples = floor(4, rng);
  const root = 55 + Math.floor(rng.next() * 12);
  const step = 0.3 + 0.25 * rng.next();
  [0, 4, 7, 12, 7, 4, 0, 2].forEach((interval, i) => {
    const f = hz(root + interval);
    add(samples, 0.2 + i * step, 0.9, (t) => {
      let v = 0;
      for (let h = 1; h < 10; h++) v += Math.sin(2 * Math.PI * f * h * t) / h ** 1.5;
      return 0.25 * Math.exp(-4 * t) * v;
    });
  });
  return samples;
}

function whistle(rng: Rng): Float32Array {
  const samples = floor(3, rng);
  const centre = 1000 + 1000 * rng.next();
  let phase = 0;
  add(samples, 0.3, 2.3, (t) => {
    phase += (2 * Math.PI * (centre + 300 * Math.sin(2 * Math.PI * 1.5 * t))) / RATE;
    return 0.3 * Math.sin(phase) * (0.5 + 0.5 * Math.sin(2 * Math.PI * 2 * t));
  });
  return samples;
}

function knocks(rng: Rng): Float32Array {
  const samples = floor(3, rng);
  const gap = 0.25 + 0.3 * rng.next();
  for (let start = 0.2; start < 2.6; start += gap) add(samples, start, 0.15, (t) => 0.5 * rng.gauss() * Math.exp(-30 * t));
  return samples;
}

function drumLoop(rng: Rng): Float32Array {
  const samples = floor(4, rng);
  const beat = 60 / (90 + 60 * rng.next());
  for (let i = 0; (i + 1) * beat < 3.8; i++) {
    if (i % 2 === 0) add(samples, 0.1 + i * beat, 0.3, (t) => 0.6 * Math.sin(2 * Math.PI * (60 + 90 * Math.exp(-20 * t)) * t) * Math.exp(-8 * t));
    else add(samples, 0.1 + i * beat, 0.2, (t) => 0.4 * rng.gauss() * Math.exp(-15 * t));
    add(samples, 0.1 + (i + 0.5) * beat, 0.05, (t) => 0.15 * rng.gauss() * Math.exp(-60 * t));
  }
  return samples;
}

/** Syllables of a harmonic source shaped by two vowel resonances (the kind of voice the browser test synthesises). */
function vowelSynth(rng: Rng): Float32Array {
  const samples = floor(4, rng);
  const vowels = [
    [700, 1220],
    [300, 2300],
    [500, 900],
    [400, 2000],
  ];
  const pitch = 110 + 100 * rng.next();
  let start = 0.4;
  for (let syllable = 0; syllable < 8; syllable++) {
    const duration = 0.16 + 0.08 * (syllable % 3);
    const [f1, f2] = vowels[syllable % vowels.length];
    let phase = 0;
    const from = start;
    add(samples, start, duration, (t) => {
      const f0 = pitch * (1 + 0.25 * Math.sin((Math.PI * (from + t)) / 3.2)) - (0.2 * pitch * t) / duration;
      phase += (2 * Math.PI * f0) / RATE;
      let voiced = 0;
      for (let h = 1; h * f0 < RATE / 2 - 500; h++) {
        const f = h * f0;
        voiced += ((1 / (1 + ((f - f1) / 150) ** 2) + 0.6 / (1 + ((f - f2) / 200) ** 2) + 0.05) / h) * Math.sin(h * phase);
      }
      return 0.3 * Math.sqrt(Math.sin((Math.PI * t) / duration)) * voiced;
    });
    start += duration + 0.06 + 0.05 * (syllable % 2);
  }
  return samples;
}

const KINDS: readonly [string, (rng: Rng) => Float32Array][] = [
  ['a piano-like melody', piano],
  ['a whistle gliding around 1–2 kHz', whistle],
  ['knocks on a door', knocks],
  ['a drum loop (kick, snare, hi-hat)', drumLoop],
  ['a synthesised vowel voice (the browser test’s kind)', vowelSynth],
];

/** Every kind, `variants` takes each (deterministic). */
export function unfamiliarSounds(variants = 5): UnfamiliarSound[] {
  return KINDS.map(([kind, make], k) => ({
    kind,
    takes: Array.from({ length: variants }, (_, v) => ({ sampleRate: RATE, samples: make(createRng(1000 * k + v + 1)) })),
  }));
}
