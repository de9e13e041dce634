import { detectPitch, noteName } from './live-pitch';
import { encodeWav } from './wav';

function tone(hz: number, sampleRate: number, length = 2048, harmonics = [1, 0.5, 0.3]): Float32Array {
  const x = new Float32Array(length);
  for (let i = 0; i < length; i++) harmonics.forEach((a, h) => (x[i] += 0.3 * a * Math.sin((2 * Math.PI * hz * (h + 1) * i) / sampleRate)));
  return x;
}

describe('detectPitch', () => {
  it('finds the pitch of harmonic tones across the range within a few cents', () => {
    for (const [hz, rate] of [
      [110, 48_000],
      [261.63, 44_100],
      [440, 48_000],
      [880, 16_000],
      [1318.5, 48_000],
    ]) {
      const { midi } = detectPitch(tone(hz, rate), rate);
      const expected = 69 + 12 * Math.log2(hz / 440);
      expect(Math.abs(midi! - expected) * 100).toBeLessThan(10);
    }
  });

  it('stays at the fundamental when the second harmonic is stronger', () => {
    const { midi } = detectPitch(tone(220, 48_000, 2048, [0.5, 1, 0.2]), 48_000);
    expect(Math.round(midi!)).toBe(57);
  });

  it('reports silence and noise as unvoiced', () => {
    expect(detectPitch(new Float32Array(2048), 48_000).midi).toBeNull();
    let seed = 7;
    const noise = Float32Array.from({ length: 2048 }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.5);
    expect(detectPitch(noise, 48_000).midi).toBeNull();
  });

  it('names notes', () => {
    expect(noteName(69)).toBe('A4');
    expect(noteName(60.4)).toBe('C4');
    expect(noteName(61)).toBe('C#4');
  });
});

describe('encodeWav', () => {
  it('writes a 16-bit mono PCM WAV with the samples clipped to range', async () => {
    const blob = encodeWav([Float32Array.from([0, 0.5]), Float32Array.from([-1, 2])], 48_000);
    const view = new DataView(await blob.arrayBuffer());
    const text = (o: number) => String.fromCharCode(...[0, 1, 2, 3].map((i) => view.getUint8(o + i)));
    expect([text(0), text(8), text(12), text(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(view.getUint32(24, true)).toBe(48_000);
    expect(view.getUint16(34, true)).toBe(16);
    expect(view.getUint32(40, true)).toBe(8);
    expect([0, 1, 2, 3].map((i) => view.getInt16(44 + 2 * i, true))).toEqual([0, 16383, -32768, 32767]);
    expect(blob.type).toBe('audio/wav');
  });
});
