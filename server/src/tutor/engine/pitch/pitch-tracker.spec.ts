import { analysisRateFor, hzToMidi, midiToHz, trackPitch } from './pitch-tracker';

/** A harmonic tone (1/k amplitudes, `harmonics` partials), optionally with vibrato (Hz, cents) and white noise. */
function harmonicTone(
  f0: (t: number) => number,
  rate: number,
  seconds: number,
  { harmonics = 8, noise = 0, oddWeight = 1, seed = 7 }: { harmonics?: number; noise?: number; oddWeight?: number; seed?: number } = {},
): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  let phase = 0;
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff - 0.5;
  };
  for (let i = 0; i < out.length; i++) {
    const f = f0(i / rate);
    phase += (2 * Math.PI * f) / rate;
    let v = 0;
    for (let k = 1; k <= harmonics && k * f < rate / 2; k++) v += ((k % 2 === 1 && k > 1 ? oddWeight : 1) * Math.sin(k * phase)) / k;
    out[i] = 0.3 * v + noise * rnd();
  }
  return out;
}

function voicedMidi(track: ReturnType<typeof trackPitch>, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = Math.ceil(from / track.hopSec); i <= Math.floor(to / track.hopSec) && i < track.f0Hz.length; i++) {
    if (track.f0Hz[i] > 0) out.push(hzToMidi(track.f0Hz[i]));
  }
  return out;
}

describe('trackPitch', () => {
  it.each([8000, 16000, 22050, 44100, 48000])('measures a steady 220 Hz tone within 5 cents at %d Hz', (rate) => {
    const track = trackPitch({ sampleRate: rate, samples: harmonicTone(() => 220, rate, 1) });
    const midi = voicedMidi(track, 0.1, 0.9);
    expect(midi.length).toBeGreaterThan(75);
    for (const m of midi) expect(Math.abs(m - 57) * 100).toBeLessThan(5);
  });

  it('covers the vocal and instrumental range (A1 to A6)', () => {
    for (const note of [33, 45, 60, 81, 93]) {
      const track = trackPitch({ sampleRate: 44100, samples: harmonicTone(() => midiToHz(note), 44100, 0.6) });
      const midi = voicedMidi(track, 0.1, 0.5);
      expect(midi.length).toBeGreaterThan(35);
      expect(Math.abs(midi[Math.floor(midi.length / 2)] - note)).toBeLessThan(0.1);
    }
  });

  it.each([
    [21, 44100],
    [28, 16000],
    [40, 8000],
    [60, 22050],
    [96, 44100],
    [104, 22050],
    [108, 48000],
    [103, 8000],
  ])('finds MIDI %d at %d Hz within 5 cents when the search is widened to the piano’s range and an octave more', (note, rate) => {
    const track = trackPitch({ sampleRate: rate, samples: harmonicTone(() => midiToHz(note), rate, 0.6) }, { minHz: midiToHz(19), maxHz: midiToHz(112) });
    const midi = voicedMidi(track, 0.1, 0.5);
    expect(midi.length).toBeGreaterThan(35);
    for (const m of midi) expect(Math.abs(m - note) * 100).toBeLessThan(5);
  });

  it.each([21, 28])('holds MIDI %d in noise with windows of two periods of the lowest fundamental searched', (note) => {
    const samples = harmonicTone(() => midiToHz(note), 16000, 1, { harmonics: 2, noise: 0.3, seed: 3 });
    const midi = voicedMidi(trackPitch({ sampleRate: 16000, samples }, { minHz: midiToHz(19), maxHz: midiToHz(112), octaveBonusFromHz: 55 }), 0.1, 0.9);
    expect(midi.filter((m) => Math.abs(m - note) < 0.3).length).toBeGreaterThan(76);
  });

  it('keeps the default voicing bar when the search is widened below 55 Hz (the octave bonus still counts from 55 Hz)', () => {
    // A 220 Hz tone buried in noise (about −3 dB SNR): too unclear for the default search to call it voiced.
    const samples = harmonicTone(() => 220, 16000, 2, { harmonics: 1, noise: 1.15 });
    const voicedShare = (track: ReturnType<typeof trackPitch>) => Array.from(track.f0Hz).filter((f) => f > 0).length / track.f0Hz.length;
    expect(voicedShare(trackPitch({ sampleRate: 16000, samples }))).toBeLessThan(0.05);
    expect(voicedShare(trackPitch({ sampleRate: 16000, samples }, { minHz: midiToHz(19), maxHz: midiToHz(112), octaveBonusFromHz: 55 }))).toBeLessThan(0.05);
  });

  it('analyses at 16 kHz up to A6 and at a rate with at least 9 samples per period above it', () => {
    expect([1760, 1800, 3000, midiToHz(112)].map(analysisRateFor)).toEqual([16000, 32000, 32000, 48000]);
  });

  it('follows vibrato (6 Hz, ±80 cents) without octave jumps', () => {
    const f0 = (t: number) => 196 * 2 ** ((0.8 * Math.sin(2 * Math.PI * 6 * t)) / 12);
    const track = trackPitch({ sampleRate: 16000, samples: harmonicTone(f0, 16000, 1.5) });
    for (let i = 10; i < 140; i++) {
      expect(track.f0Hz[i]).toBeGreaterThan(0);
      expect(Math.abs(hzToMidi(track.f0Hz[i]) - hzToMidi(f0(i * track.hopSec)))).toBeLessThan(0.25);
    }
  });

  it('prefers the period over its multiples when odd harmonics are weak', () => {
    const track = trackPitch({ sampleRate: 22050, samples: harmonicTone(() => 150, 22050, 1, { oddWeight: 0.1 }) });
    const midi = voicedMidi(track, 0.1, 0.9);
    expect(midi.filter((m) => Math.abs(m - hzToMidi(150)) < 0.3).length / midi.length).toBeGreaterThan(0.95);
  });

  it('hears a weak subharmonic as the upper octave, not the lower (octave bonus)', () => {
    const rate = 16000;
    const samples = harmonicTone(() => 200, rate, 1).map((v, i) => v + 0.03 * Math.sin((2 * Math.PI * 100 * i) / rate));
    const midi = voicedMidi(trackPitch({ sampleRate: rate, samples }), 0.1, 0.9);
    expect(midi.length).toBeGreaterThan(75);
    expect(midi.filter((m) => Math.abs(m - hzToMidi(200)) < 0.3).length / midi.length).toBeGreaterThan(0.95);
  });

  it('keeps a tone with a weak fundamental and weak odd harmonics (flute-like) at its fundamental, not an octave up', () => {
    const f = 392;
    const samples = new Float32Array(16000).map((_, i) => {
      let v = 0;
      for (let k = 1; k <= 10; k++) v += (k === 1 ? 0.1 : (k % 2 ? 0.3 : 1) / k) * Math.sin((2 * Math.PI * f * k * i) / 16000);
      return 0.3 * v;
    });
    const midi = voicedMidi(trackPitch({ sampleRate: 16000, samples }), 0.1, 0.9);
    expect(midi.length).toBeGreaterThan(75);
    for (const m of midi) expect(Math.abs(m - hzToMidi(f))).toBeLessThan(0.3);
  });

  it('does not jump an octave for brief stretches that sound an octave up (octave-jump cost)', () => {
    const rate = 16000;
    const even = harmonicTone(() => 400, rate, 1, { harmonics: 4 });
    const samples = harmonicTone(() => 200, rate, 1).map((v, i) => (i % 3200 < 960 ? even[i] : v));
    const midi = voicedMidi(trackPitch({ sampleRate: rate, samples }), 0.05, 0.95);
    expect(midi.length).toBeGreaterThan(85);
    for (const m of midi) expect(Math.abs(m - hzToMidi(200))).toBeLessThan(0.3);
  });

  it('stays voiced through short noise bursts inside a note (voicing-change cost)', () => {
    const rate = 16000;
    const burst = harmonicTone(() => 100, rate, 1, { harmonics: 0, noise: 1.5, seed: 3 });
    const samples = harmonicTone(() => 247, rate, 1).map((v, i) => (i % 4000 > 3500 ? v + burst[i] : v));
    const track = trackPitch({ sampleRate: rate, samples });
    for (let i = 5; i < 95; i++) expect(track.f0Hz[i]).toBeGreaterThan(0);
  });

  it('calls silence and white noise unvoiced', () => {
    const rate = 16000;
    const noise = harmonicTone(() => 100, rate, 1, { harmonics: 0, noise: 0.2 });
    const samples = new Float32Array(rate * 2);
    samples.set(noise, rate);
    const track = trackPitch({ sampleRate: rate, samples });
    const voiced = Array.from(track.f0Hz).filter((f) => f > 0).length;
    expect(voiced / track.f0Hz.length).toBeLessThan(0.03);
  });

  it('finds the tone under white noise at 10 dB SNR and leaves the silence around it unvoiced', () => {
    const rate = 16000;
    const samples = new Float32Array(rate * 2);
    samples.set(
      harmonicTone(() => 330, rate, 1, { noise: 0.23 }),
      rate / 2,
    );
    const track = trackPitch({ sampleRate: rate, samples });
    const midi = voicedMidi(track, 0.6, 1.4);
    expect(midi.length).toBeGreaterThan(75);
    expect(midi.filter((m) => Math.abs(m - hzToMidi(330)) < 0.5).length / midi.length).toBeGreaterThan(0.95);
    expect(voicedMidi(track, 0, 0.4)).toHaveLength(0);
    expect(voicedMidi(track, 1.6, 2)).toHaveLength(0);
  });

  it('reports levels and a flux peak at a re-attack of the same pitch', () => {
    const rate = 16000;
    const tone = harmonicTone(() => 262, rate, 1);
    for (let i = 0; i < tone.length; i++) tone[i] *= i < rate / 2 ? 1 : 0.02 + Math.min(1, (i - rate / 2) / 80);
    const track = trackPitch({ sampleRate: rate, samples: tone });
    const at = Math.round(0.5 / track.hopSec);
    const peak = Math.max(...Array.from(track.flux.subarray(at - 3, at + 4)));
    const typical = Array.from(track.flux.subarray(10, at - 10)).sort((a, b) => a - b)[Math.floor((at - 20) / 2)];
    expect(peak).toBeGreaterThan(10 * Math.max(typical, 1e-3));
    expect(track.referenceDb).toBeGreaterThan(-20);
  });
});
