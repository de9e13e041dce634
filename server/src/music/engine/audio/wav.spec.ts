import { decodeWav, encodeWav, readWavInfo } from './wav';

describe('encodeWav', () => {
  const n = 1000;
  const left = new Float32Array(n).map((_, i) => Math.sin(i / 10) * 0.5);
  const right = new Float32Array(n).map((_, i) => Math.cos(i / 7) * 0.25);

  it('writes a canonical 16-bit stereo RIFF/WAVE header', () => {
    const bytes = encodeWav({ sampleRate: 44100, left, right });
    expect(bytes.length).toBe(44 + n * 4);
    expect(Buffer.from(bytes.subarray(0, 4)).toString('ascii')).toBe('RIFF');
    expect(readWavInfo(bytes)).toEqual({ sampleRate: 44100, channels: 2, bitsPerSample: 16, frames: n, dataOffset: 44 });
  });

  it('round-trips samples within dither + quantisation error', () => {
    const decoded = decodeWav(encodeWav({ sampleRate: 48000, left, right }));
    expect(decoded.sampleRate).toBe(48000);
    for (let i = 0; i < n; i++) {
      expect(Math.abs(decoded.left[i] - left[i])).toBeLessThan(3 / 32768);
      expect(Math.abs(decoded.right[i] - right[i])).toBeLessThan(3 / 32768);
    }
  });

  it('saturates out-of-range input instead of wrapping around', () => {
    const decoded = decodeWav(encodeWav({ sampleRate: 8000, left: new Float32Array([2, -2]), right: new Float32Array([1, -1]) }));
    expect(decoded.left[0]).toBeCloseTo(32767 / 32768, 4);
    expect(decoded.left[1]).toBe(-1);
  });

  it('is deterministic (the same PCM gives the same bytes)', () => {
    expect(Buffer.from(encodeWav({ sampleRate: 44100, left, right })).equals(Buffer.from(encodeWav({ sampleRate: 44100, left, right })))).toBe(true);
  });

  it('rejects bytes that are not a WAV file', () => {
    expect(() => readWavInfo(new Uint8Array(100))).toThrow('not a RIFF/WAVE file');
  });
});
