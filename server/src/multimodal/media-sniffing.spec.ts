import { makePng, makeWav } from '../../test/support/media';
import { describeBytes, isWav, probeImage } from './media-sniffing';

/** A minimal JPEG head: SOI, an APP0 segment, then a baseline frame header of `width`×`height`. */
function jpegHead(width: number, height: number, frameMarker = 0xc0): Uint8Array {
  const app0 = [0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof = [0xff, frameMarker, 0x00, 0x11, 8, height >> 8, height & 255, width >> 8, width & 255, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return new Uint8Array([0xff, 0xd8, ...app0, ...sof, 0xff, 0xda]);
}

function webp(chunk: string, payload: number[]): Uint8Array {
  return new Uint8Array([...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBP'), ...Buffer.from(chunk), 0, 0, 0, 0, ...payload]);
}

describe('media sniffing', () => {
  it('reads the size of a PNG from its header chunk', () => {
    expect(probeImage(makePng(31, 17, () => [0, 0, 0]))).toEqual({ kind: 'image', type: 'png', width: 31, height: 17 });
  });

  it('walks JPEG segments to the frame header (baseline and progressive)', () => {
    expect(probeImage(jpegHead(640, 480))).toEqual({ kind: 'image', type: 'jpeg', width: 640, height: 480 });
    expect(probeImage(jpegHead(1920, 1080, 0xc2))).toEqual({ kind: 'image', type: 'jpeg', width: 1920, height: 1080 });
  });

  it('reads the three WebP flavours (lossy, lossless, extended)', () => {
    expect(probeImage(webp('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 200, 0, 100, 0]))).toMatchObject({ type: 'webp', width: 200, height: 100 });
    const bits = (300 - 1) | ((150 - 1) << 14);
    expect(probeImage(webp('VP8L', [0x2f, bits & 255, (bits >> 8) & 255, (bits >> 16) & 255, (bits >>> 24) & 255]))).toMatchObject({ width: 300, height: 150 });
    expect(probeImage(webp('VP8X', [0, 0, 0, 0, 0x3f, 0x1f, 0, 0x0f, 0x0f, 0]))).toMatchObject({ width: 8000, height: 3856 });
  });

  it('tells a broken header from a file of another type', () => {
    expect(probeImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]))).toMatchObject({ kind: 'undecodable', type: 'png' });
    expect(probeImage(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]))).toMatchObject({ kind: 'undecodable', type: 'jpeg' });
    expect(probeImage(Buffer.from('GIF89a......'))).toBeUndefined();
  });

  it('says what other bytes look like', () => {
    expect(describeBytes(Buffer.from('GIF89a'))).toBe('a GIF image');
    expect(describeBytes(Buffer.from('%PDF-1.7'))).toBe('a PDF document');
    expect(describeBytes(Buffer.from('ID3\x04'))).toBe('an MP3 recording');
    expect(describeBytes(Buffer.from('hello, world\n'))).toBe('text');
    expect(describeBytes(new Uint8Array([0, 1, 2, 3]))).toBe('unrecognised bytes');
    expect(isWav(makeWav(0.1))).toBe(true);
    expect(isWav(makePng(1, 1, () => [0, 0, 0]))).toBe(false);
  });
});
