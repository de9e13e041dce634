/**
 * Sound sources for synthetic performances: a formant voice (vibrato, scoops, breath, consonants, soft onsets), a
 * Karplus–Strong plucked string, an inharmonic piano-like additive tone, a clarinet-like odd-harmonic reed, and the
 * music engine's SoundFont instruments. Monophonic: each note ends where the next begins.
 */
import type { Rng } from '../../../src/music/engine/rng';

/** A note as performed: fractional MIDI pitch, onset and length in seconds. */
export interface PerformedNote {
  pitch: number;
  start: number;
  duration: number;
  /** 0–1 loudness. */
  velocity: number;
}

const hz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

/** Vowel formants (Hz) and bandwidths, after Peterson & Barney (1952) averages. */
const VOWELS: [number, number, number][] = [
  [730, 1090, 2440], // a
  [530, 1840, 2480], // e
  [390, 1990, 2550], // i (as in "bit")
  [570, 840, 2410], // o
  [440, 1020, 2240], // u (as in "book")
];

class Resonator {
  private y1 = 0;
  private y2 = 0;
  private readonly a1: number;
  private readonly a2: number;
  private readonly gain: number;
  constructor(freq: number, bandwidth: number, rate: number) {
    const f = Math.min(freq, 0.45 * rate);
    const r = Math.exp((-Math.PI * bandwidth) / rate);
    this.a1 = -2 * r * Math.cos((2 * Math.PI * f) / rate);
    this.a2 = r * r;
    this.gain = 1 - r;
  }
  step(x: number): number {
    const y = this.gain * x - this.a1 * this.y1 - this.a2 * this.y2;
    this.y2 = this.y1;
    this.y1 = y;
    return y;
  }
}

export interface VoiceStyle {
  vibratoCents: number;
  vibratoHz: number;
  /** Breath noise relative to the voiced signal (linear). */
  breath: number;
  /** Depth of the scoop into notes after a rest (cents below). */
  scoopCents: number;
  attackSec: number;
}

export function randomVoiceStyle(rng: Rng): VoiceStyle {
  return {
    vibratoCents: 15 + rng.next() * 55,
    vibratoHz: 4.8 + rng.next() * 2,
    breath: 0.02 + rng.next() * 0.08,
    scoopCents: rng.next() * 80,
    attackSec: 0.03 + rng.next() * 0.1,
  };
}

/** A sung melody: sawtooth source (PolyBLEP) → spectral tilt → three vowel formants, plus breath and consonants. */
export function renderVoice(notes: PerformedNote[], rate: number, rng: Rng, style: VoiceStyle): Float32Array {
  const end = Math.max(...notes.map((n) => n.start + n.duration)) + 0.6;
  const out = new Float32Array(Math.ceil(end * rate));
  const sorted = [...notes].sort((a, b) => a.start - b.start);
  let phase = 0;
  let tilt = 0;
  let noiseLp = 0;
  let jitter = 0;
  sorted.forEach((note, k) => {
    const next = sorted[k + 1];
    const prev = sorted[k - 1];
    const from = Math.round(note.start * rate);
    const stop = Math.min(out.length, Math.round((next ? Math.min(next.start, note.start + note.duration) : note.start + note.duration) * rate));
    const legato = prev !== undefined && note.start - (prev.start + prev.duration) < 0.03;
    const vowel = VOWELS[rng.int(0, VOWELS.length - 1)];
    const formants = vowel.map((f, i) => new Resonator(f * (0.95 + 0.1 * rng.next()), 80 + 40 * i, rate));
    const consonant = !legato || rng.chance(0.5) ? 0.02 + 0.03 * rng.next() : 0;
    const vibStart = 0.15 + 0.15 * rng.next();
    const vibPhase = rng.next() * 2 * Math.PI;
    const release = Math.min(0.05, (stop - from) / rate / 3);
    for (let i = from; i < stop + Math.round(release * rate) && i < out.length; i++) {
      const t = (i - from) / rate;
      const left = (stop - i) / rate;
      let cents = 0;
      if (legato && prev) cents += (prev.pitch - note.pitch) * 100 * Math.exp(-t / 0.025);
      else cents -= style.scoopCents * Math.exp(-t / 0.04);
      const vibDepth = Math.min(1, Math.max(0, (t - vibStart) / 0.2));
      cents += style.vibratoCents * vibDepth * Math.sin(2 * Math.PI * style.vibratoHz * t + vibPhase);
      jitter = 0.995 * jitter + 0.6 * (rng.next() - 0.5);
      const f = hz(note.pitch + (cents + jitter) / 100);
      const dt = f / rate;
      phase += dt;
      if (phase >= 1) phase -= 1;
      // PolyBLEP sawtooth.
      let saw = 2 * phase - 1;
      if (phase < dt) {
        const x = phase / dt;
        saw -= x + x - x * x - 1;
      } else if (phase > 1 - dt) {
        const x = (phase - 1) / dt;
        saw -= x * x + x + x + 1;
      }
      tilt += 0.35 * (saw - tilt);
      const attack = legato ? Math.min(1, t / 0.02) : 0.5 - 0.5 * Math.cos(Math.PI * Math.min(1, t / style.attackSec));
      const env = attack * (left > 0 ? 1 : Math.max(0, 1 + left / release)) * note.velocity;
      let voiced = 0;
      for (const r of formants) voiced += r.step(tilt);
      const white = rng.next() * 2 - 1;
      noiseLp += 0.5 * (white - noiseLp);
      const hiss = white - noiseLp;
      const burst = consonant > 0 && t < consonant ? 3 * hiss * (1 - t / consonant) : 0;
      out[i] += env * (6 * voiced + style.breath * hiss * 4) + burst * 0.15 * note.velocity;
    }
  });
  return out;
}

/** Karplus–Strong plucked string with a first-order all-pass for exact tuning; damped at the note's end. */
export function renderPluck(notes: PerformedNote[], rate: number, rng: Rng): Float32Array {
  const end = Math.max(...notes.map((n) => n.start + n.duration)) + 0.6;
  const out = new Float32Array(Math.ceil(end * rate));
  for (const note of notes) {
    const period = rate / hz(note.pitch);
    const length = Math.floor(period - 0.5);
    const frac = period - 0.5 - length;
    const c = (1 - frac) / (1 + frac);
    const line = new Float32Array(length).map(() => rng.next() * 2 - 1);
    let lp = 0;
    let apX = 0;
    let apY = 0;
    let p = 0;
    const from = Math.round(note.start * rate);
    const stop = Math.round((note.start + note.duration) * rate);
    const damp = Math.round(0.05 * rate);
    for (let i = from; i < Math.min(out.length, stop + damp); i++) {
      const x = line[p];
      lp = 0.5 * (x + lp);
      const y = c * lp + apX - c * apY;
      apX = lp;
      apY = y;
      const fade = i < stop ? 1 : 1 - (i - stop) / damp;
      line[p] = y * 0.996;
      p = p + 1 === length ? 0 : p + 1;
      out[i] += 0.5 * note.velocity * x * fade;
    }
  }
  return out;
}

/** Piano-like additive tone: 12 stretched partials (inharmonicity B), faster decay for upper partials, a hammer click. */
export function renderAdditivePiano(notes: PerformedNote[], rate: number, rng: Rng): Float32Array {
  const end = Math.max(...notes.map((n) => n.start + n.duration)) + 0.6;
  const out = new Float32Array(Math.ceil(end * rate));
  const B = 0.0002 + 0.0003 * rng.next();
  for (const note of notes) {
    const f0 = hz(note.pitch);
    const from = Math.round(note.start * rate);
    const stop = Math.round((note.start + note.duration) * rate);
    const release = Math.round(0.08 * rate);
    const partials: { w: number; a: number; decay: number }[] = [];
    for (let k = 1; k <= 12; k++) {
      const f = k * f0 * Math.sqrt(1 + B * k * k);
      if (f >= 0.45 * rate) break;
      partials.push({ w: (2 * Math.PI * f) / rate, a: 1 / k ** 1.3, decay: 1.2 + 0.5 * k });
    }
    for (let i = from; i < Math.min(out.length, stop + release); i++) {
      const t = (i - from) / rate;
      let v = 0;
      for (const q of partials) v += q.a * Math.exp(-q.decay * t) * Math.sin(q.w * (i - from));
      const fade = i < stop ? 1 : 1 - (i - stop) / release;
      const click = t < 0.004 ? (rng.next() - 0.5) * (1 - t / 0.004) : 0;
      out[i] += 0.3 * note.velocity * (v * Math.min(1, t / 0.002) + click) * fade;
    }
  }
  return out;
}

/** Clarinet-like reed: strong odd harmonics, weak even ones, breathy attack (tests octave robustness). */
export function renderReed(notes: PerformedNote[], rate: number, rng: Rng): Float32Array {
  const end = Math.max(...notes.map((n) => n.start + n.duration)) + 0.6;
  const out = new Float32Array(Math.ceil(end * rate));
  for (const note of notes) {
    const f0 = hz(note.pitch);
    const from = Math.round(note.start * rate);
    const stop = Math.round((note.start + note.duration) * rate);
    const release = Math.round(0.04 * rate);
    const harmonics: [number, number][] = [];
    for (let k = 1; k * f0 < 0.45 * rate && k <= 15; k++) harmonics.push([k, k % 2 === 1 ? 1 / k : 0.08 / k]);
    let phase = 0;
    for (let i = from; i < Math.min(out.length, stop + release); i++) {
      const t = (i - from) / rate;
      phase += (2 * Math.PI * f0 * (1 + 0.002 * Math.sin(2 * Math.PI * 4.5 * t))) / rate;
      let v = 0;
      for (const [k, a] of harmonics) v += a * Math.sin(k * phase);
      const env = Math.min(1, t / 0.04) * (i < stop ? 1 : 1 - (i - stop) / release);
      out[i] += 0.3 * note.velocity * env * (v + 0.05 * (rng.next() - 0.5));
    }
  }
  return out;
}
