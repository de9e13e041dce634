import { trackPitch } from '../pitch/pitch-tracker';
import { segmentNotes } from './segment';

const RATE = 16000;

interface ToneNote {
  midi: number;
  start: number;
  duration: number;
  vibratoCents?: number;
  scoopCents?: number;
}

/** A monophonic harmonic melody with optional vibrato and scoops; 20 ms fades so each note is a clear attack. */
function melody(notes: ToneNote[], seconds: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * RATE));
  for (const n of notes) {
    let phase = 0;
    const from = Math.round(n.start * RATE);
    const to = Math.round((n.start + n.duration) * RATE);
    for (let i = from; i < to && i < out.length; i++) {
      const t = (i - from) / RATE;
      const cents = (n.vibratoCents ?? 0) * Math.sin(2 * Math.PI * 5.5 * t) - (n.scoopCents ?? 0) * Math.exp(-t / 0.04);
      const f = 440 * 2 ** ((n.midi + cents / 100 - 69) / 12);
      phase += (2 * Math.PI * f) / RATE;
      const env = Math.min(1, t / 0.02, (to - i) / RATE / 0.02);
      let v = 0;
      for (let k = 1; k <= 6; k++) v += Math.sin(k * phase) / k;
      out[i] += 0.3 * env * v;
    }
  }
  return out;
}

const segment = (notes: ToneNote[], seconds: number) => segmentNotes(trackPitch({ sampleRate: RATE, samples: melody(notes, seconds) }));

describe('segmentNotes', () => {
  it('finds each note of a legato line with its pitch and onset', () => {
    const found = segment(
      [
        { midi: 60, start: 0.2, duration: 0.4 },
        { midi: 62, start: 0.6, duration: 0.3 },
        { midi: 64, start: 0.9, duration: 0.5 },
        { midi: 59, start: 1.4, duration: 0.4 },
      ],
      2,
    );
    expect(found.map((n) => Math.round(n.pitch))).toEqual([60, 62, 64, 59]);
    [0.2, 0.6, 0.9, 1.4].forEach((t, i) => expect(Math.abs(found[i].start - t)).toBeLessThan(0.04));
    for (const n of found) expect(Math.abs(n.pitch - Math.round(n.pitch))).toBeLessThan(0.1);
  });

  it('keeps a note with wide vibrato (±70 cents) as one note at its centre pitch', () => {
    const found = segment([{ midi: 57, start: 0.1, duration: 1.5, vibratoCents: 70 }], 2);
    expect(found).toHaveLength(1);
    expect(Math.abs(found[0].pitch - 57)).toBeLessThan(0.25);
  });

  it('merges the pieces of very wide vibrato (±110 cents) back into one note', () => {
    const found = segment([{ midi: 52, start: 0.1, duration: 1.6, vibratoCents: 110 }], 2);
    expect(found).toHaveLength(1);
  });

  it('splits a repeated pitch re-attacked without a silence (level rise with a spectral-flux peak)', () => {
    const samples = melody([{ midi: 67, start: 0.1, duration: 1 }], 1.3);
    // The second attack: the level sags to a quarter, then the note is struck again with a click.
    for (let i = Math.round(0.45 * RATE); i < Math.round(1.1 * RATE); i++) {
      const t = i / RATE - 0.55;
      samples[i] *= t < 0 ? 1 - 0.75 * Math.min(1, (t + 0.1) / 0.05) : 0.25 + 0.75 * Math.min(1, t / 0.01);
      if (t >= 0 && t < 0.005) samples[i] += 0.3 * Math.sin(i * 1.7);
    }
    const found = segmentNotes(trackPitch({ sampleRate: RATE, samples }));
    expect(found).toHaveLength(2);
    expect(Math.abs(found[1].start - 0.55)).toBeLessThan(0.04);
  });

  it('does not take the level pulsing of vibrato (6 Hz, ±4 dB) for re-attacks', () => {
    const samples = melody([{ midi: 60, start: 0.1, duration: 1.6 }], 2);
    for (let i = 0; i < samples.length; i++) samples[i] *= 10 ** ((4 * Math.sin(2 * Math.PI * 6 * (i / RATE))) / 20);
    expect(segmentNotes(trackPitch({ sampleRate: RATE, samples }))).toHaveLength(1);
  });

  it('splits a repeated pitch at the short silence between the two notes', () => {
    const found = segment(
      [
        { midi: 65, start: 0.1, duration: 0.4 },
        { midi: 65, start: 0.56, duration: 0.4 },
      ],
      1.2,
    );
    expect(found).toHaveLength(2);
    expect(Math.abs(found[1].start - 0.56)).toBeLessThan(0.04);
  });

  it('counts a scoop into a note after a rest as the start of that note, not as a note of its own', () => {
    const found = segment([{ midi: 62, start: 0.3, duration: 0.6, scoopCents: 150 }], 1.2);
    expect(found).toHaveLength(1);
    expect(Math.abs(found[0].start - 0.3)).toBeLessThan(0.04);
    expect(Math.round(found[0].pitch)).toBe(62);
  });

  it('drops the glide between two distant legato notes instead of reporting a note inside it', () => {
    const samples = melody([], 1.4);
    let phase = 0;
    for (let i = 0; i < samples.length; i++) {
      const t = i / RATE;
      // 55 → 67 with a 90 ms glide in the middle.
      const midi = t < 0.6 ? 55 : t < 0.69 ? 55 + (12 * (t - 0.6)) / 0.09 : 67;
      phase += (2 * Math.PI * 440 * 2 ** ((midi - 69) / 12)) / RATE;
      samples[i] = t > 0.1 && t < 1.3 ? 0.3 * (Math.sin(phase) + 0.5 * Math.sin(2 * phase)) : 0;
    }
    const found = segmentNotes(trackPitch({ sampleRate: RATE, samples }));
    expect(found.map((n) => Math.round(n.pitch))).toEqual([55, 67]);
  });

  it.each([0.07, 0.15])('starts a note where its period first showed up doubled (an octave low for %s s), not after that', (lowSec) => {
    const samples = melody([], 1.3);
    let phase = 0;
    for (let i = 0; i < samples.length; i++) {
      const t = i / RATE;
      // 57, then a stretch an octave below the next note (its period doubled), then 62; no break in the sound.
      const midi = t < 0.6 ? 57 : t < 0.6 + lowSec ? 50 : 62;
      phase += (2 * Math.PI * 440 * 2 ** ((midi - 69) / 12)) / RATE;
      samples[i] = t > 0.2 && t < 1.1 ? 0.3 * (Math.sin(phase) + 0.5 * Math.sin(2 * phase)) : 0;
    }
    const found = segmentNotes(trackPitch({ sampleRate: RATE, samples }));
    expect(found.map((n) => Math.round(n.pitch))).toEqual([57, 62]);
    expect(Math.abs(found[1].start - 0.6)).toBeLessThan(0.03);
  });
});
