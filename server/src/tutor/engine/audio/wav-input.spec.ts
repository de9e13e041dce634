import { AudioInputError, decodeWavMono, encodeWavMono, inspectWav } from './wav-input';

/** A canonical WAV with the given header fields and raw sample bytes. */
function wav(format: number, bits: number, channels: number, rate: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(44 + data.length);
  const view = new DataView(out.buffer);
  out.set([0x52, 0x49, 0x46, 0x46], 0);
  view.setUint32(4, 36 + data.length, true);
  out.set([0x57, 0x41, 0x56, 0x45, 0x66, 0x6d, 0x74, 0x20], 8);
  view.setUint32(16, 16, true);
  view.setUint16(20, format, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, (rate * channels * bits) / 8, true);
  view.setUint16(32, (channels * bits) / 8, true);
  view.setUint16(34, bits, true);
  out.set([0x64, 0x61, 0x74, 0x61], 36);
  view.setUint32(40, data.length, true);
  out.set(data, 44);
  return out;
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof AudioInputError ? error.code : `other: ${String(error)}`;
  }
  return undefined;
}

describe('decodeWavMono', () => {
  it('decodes 16-bit PCM mono sample by sample', () => {
    const data = new Uint8Array(6);
    const view = new DataView(data.buffer);
    [16384, -32768, 32767].forEach((v, i) => view.setInt16(2 * i, v, true));
    const audio = decodeWavMono(wav(1, 16, 1, 16000, data));
    expect(audio.sampleRate).toBe(16000);
    expect(Array.from(audio.samples)).toEqual([0.5, -1, 32767 / 32768]);
  });

  it('averages the two channels of a stereo file', () => {
    const data = new Uint8Array(8);
    const view = new DataView(data.buffer);
    [16384, 0, -16384, -16384].forEach((v, i) => view.setInt16(2 * i, v, true));
    expect(Array.from(decodeWavMono(wav(1, 16, 2, 44100, data)).samples)).toEqual([0.25, -0.5]);
  });

  it('decodes 24-bit PCM, including negative samples', () => {
    const data = new Uint8Array([0x00, 0x00, 0x40, 0x00, 0x00, 0xc0]);
    expect(Array.from(decodeWavMono(wav(1, 24, 1, 48000, data)).samples)).toEqual([0.5, -0.5]);
  });

  it('decodes 32-bit float and zeroes non-finite samples', () => {
    const data = new Uint8Array(12);
    const view = new DataView(data.buffer);
    [0.25, Number.NaN, -0.75].forEach((v, i) => view.setFloat32(4 * i, v, true));
    expect(Array.from(decodeWavMono(wav(3, 32, 1, 22050, data)).samples)).toEqual([0.25, 0, -0.75]);
  });

  it('decodes unsigned 8-bit PCM around 128', () => {
    expect(Array.from(decodeWavMono(wav(1, 8, 1, 8000, new Uint8Array([128, 192, 0]))).samples)).toEqual([0, 0.5, -1]);
  });

  it('round-trips its own 16-bit and float writers, mono and stereo', () => {
    const samples = new Float32Array(100).map((_, i) => 0.6 * Math.sin(i / 5));
    for (const encoding of ['pcm16', 'float32'] as const) {
      for (const channels of [1, 2] as const) {
        const back = decodeWavMono(encodeWavMono({ sampleRate: 32000, samples }, encoding, channels));
        expect(back.sampleRate).toBe(32000);
        back.samples.forEach((x, i) => expect(Math.abs(x - samples[i])).toBeLessThan(1e-4));
      }
    }
  });
});

describe('typed errors', () => {
  it('calls bytes without a RIFF/WAVE header not-wav', () => {
    expect(codeOf(() => decodeWavMono(new TextEncoder().encode('ID3\x03 this is an mp3 file, honest')))).toBe('not-wav');
    expect(codeOf(() => decodeWavMono(new Uint8Array(0)))).toBe('not-wav');
  });

  it('calls a RIFF/WAVE file without a data chunk unreadable', () => {
    const broken = wav(1, 16, 1, 16000, new Uint8Array(4)).slice(0, 36);
    broken.set(new Uint8Array(8), 28);
    expect(codeOf(() => decodeWavMono(broken))).toBe('unreadable');
  });

  it('rejects encodings, rates and channel counts outside the contract as unsupported', () => {
    expect(codeOf(() => decodeWavMono(wav(2, 4, 1, 16000, new Uint8Array(8))))).toBe('unsupported');
    expect(codeOf(() => decodeWavMono(wav(1, 16, 4, 16000, new Uint8Array(8))))).toBe('unsupported');
    expect(codeOf(() => decodeWavMono(wav(1, 16, 1, 96000, new Uint8Array(8))))).toBe('unsupported');
    expect(codeOf(() => decodeWavMono(wav(1, 16, 1, 6000, new Uint8Array(8))))).toBe('unsupported');
  });

  it('calls a WAV with no samples empty', () => {
    expect(codeOf(() => decodeWavMono(wav(1, 16, 1, 16000, new Uint8Array(0))))).toBe('empty');
  });
});

describe('inspectWav', () => {
  it('reports the duration without decoding', () => {
    const summary = inspectWav(wav(1, 16, 2, 8000, new Uint8Array(8000 * 4 * 3)));
    expect(summary).toMatchObject({ sampleRate: 8000, channels: 2, bitsPerSample: 16, frames: 24000, durationSec: 3 });
  });
});
