import { decodeWav, decodeWavToStereo, encodeWav, readWavInfo } from './wav';

describe('encodeWav', () => {
  const n = 1000;
  const left = new Float32Array(n).map((_, i) => Math.sin(i / 10) * 0.5);
  const right = new Float32Array(n).map((_, i) => Math.cos(i / 7) * 0.25);

  it('writes a canonical 16-bit stereo RIFF/WAVE header', () => {
    const bytes = encodeWav({ sampleRate: 44100, left, right });
    expect(bytes.length).toBe(44 + n * 4);
    expect(Buffer.from(bytes.subarray(0, 4)).toString('ascii')).toBe('RIFF');
    expect(readWavInfo(bytes)).toEqual({ format: 1, sampleRate: 44100, channels: 2, bitsPerSample: 16, frames: n, dataOffset: 44 });
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

describe('decodeWavToStereo', () => {
  function wavOf(format: number, bits: number, channels: number, rate: number, samples: number[]): Uint8Array {
    const width = bits / 8;
    const data = new Uint8Array(samples.length * width);
    const view = new DataView(data.buffer);
    samples.forEach((x, i) => {
      if (format === 3) view.setFloat32(i * width, x, true);
      else if (bits === 16) view.setInt16(i * width, Math.round(x * 32767), true);
      else {
        const v = Math.round(x * 8388607);
        view.setUint8(i * 3, v & 0xff);
        view.setUint8(i * 3 + 1, (v >> 8) & 0xff);
        view.setInt8(i * 3 + 2, v >> 16);
      }
    });
    const header = new Uint8Array(44);
    const h = new DataView(header.buffer);
    header.set([82, 73, 70, 70], 0);
    h.setUint32(4, 36 + data.length, true);
    header.set([87, 65, 86, 69, 102, 109, 116, 32], 8);
    h.setUint32(16, 16, true);
    h.setUint16(20, format, true);
    h.setUint16(22, channels, true);
    h.setUint32(24, rate, true);
    h.setUint32(28, rate * channels * width, true);
    h.setUint16(32, channels * width, true);
    h.setUint16(34, bits, true);
    header.set([100, 97, 116, 97], 36);
    h.setUint32(40, data.length, true);
    const out = new Uint8Array(44 + data.length);
    out.set(header);
    out.set(data, 44);
    return out;
  }

  it('copies mono 32 kHz float audio (MusicGen output) to both channels', () => {
    const pcm = decodeWavToStereo(wavOf(3, 32, 1, 32000, [0.5, -0.25, 0.125]));
    expect(pcm.sampleRate).toBe(32000);
    expect(Array.from(pcm.left)).toEqual([0.5, -0.25, 0.125]);
    expect(Array.from(pcm.right)).toEqual([0.5, -0.25, 0.125]);
  });

  it('reads 24-bit stereo PCM', () => {
    const pcm = decodeWavToStereo(wavOf(1, 24, 2, 48000, [0.5, -0.5, 0.25, -0.25]));
    expect(pcm.left[0]).toBeCloseTo(0.5, 5);
    expect(pcm.right[0]).toBeCloseTo(-0.5, 5);
    expect(pcm.left[1]).toBeCloseTo(0.25, 5);
  });

  it('refuses 8-bit audio and empty files', () => {
    expect(() => decodeWavToStereo(wavOf(1, 8, 1, 8000, []))).toThrow(/unsupported WAV/);
    expect(() => decodeWavToStereo(wavOf(1, 16, 1, 44100, []))).toThrow(/no audio/);
  });
});
