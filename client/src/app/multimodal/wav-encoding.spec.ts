import { encodeWav, joinChunks } from './wav-encoding';

describe('encodeWav', () => {
  it('writes a 16-bit mono PCM WAV with the samples clipped to the 16-bit range', async () => {
    const blob = encodeWav(new Float32Array([0, 0.5, -1, 2]), 16000);
    expect(blob.type).toBe('audio/wav');
    const view = new DataView(await blob.arrayBuffer());
    const ascii = (at: number) => String.fromCharCode(...new Uint8Array(view.buffer, at, 4));
    expect([ascii(0), ascii(8), ascii(12), ascii(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(view.getUint16(22, true)).toBe(1);
    expect(view.getUint32(24, true)).toBe(16000);
    expect(view.getUint16(34, true)).toBe(16);
    expect(view.getUint32(40, true)).toBe(8);
    expect([0, 1, 2, 3].map((i) => view.getInt16(44 + 2 * i, true))).toEqual([0, 16384, -32768, 32767]);
  });

  it('joins recorded chunks in order', () => {
    expect([...joinChunks([new Float32Array([1, 2]), new Float32Array([3])])]).toEqual([1, 2, 3]);
  });
});
