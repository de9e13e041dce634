import sharp from 'sharp';
import { UndecodableInputError } from '../types';
import { decodeImage, sniffImageFormat } from './image-decoder';

/** A small picture made here: left half red, right half blue, optionally with an alpha channel. */
async function twoColourImage(format: 'png' | 'jpeg' | 'webp', width = 40, height = 20, alpha = false): Promise<Uint8Array> {
  const channels = alpha ? 4 : 3;
  const pixels = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      pixels.set(x < width / 2 ? [255, 0, 0] : [0, 0, 255], i);
      if (alpha) pixels[i + 3] = x < width / 2 ? 255 : 0;
    }
  const image = sharp(pixels, { raw: { width, height, channels } });
  const encoded = format === 'png' ? image.png() : format === 'jpeg' ? image.jpeg({ quality: 95 }) : image.webp({ lossless: true });
  return new Uint8Array(await encoded.toBuffer());
}

describe('decodeImage', () => {
  it.each(['png', 'jpeg', 'webp'] as const)('decodes a %s picture to RGB pixels of its size', async (format) => {
    const bytes = await twoColourImage(format);
    expect(sniffImageFormat(bytes)).toBe(format);
    const image = await decodeImage(bytes);
    expect([image.width, image.height, image.originalWidth, image.originalHeight]).toEqual([40, 20, 40, 20]);
    expect(image.data.length).toBe(40 * 20 * 3);
    const pixel = (x: number, y: number) => Array.from(image.data.subarray((y * 40 + x) * 3, (y * 40 + x) * 3 + 3));
    const [r1, , b1] = pixel(5, 10);
    const [r2, , b2] = pixel(35, 10);
    expect(r1).toBeGreaterThan(200);
    expect(b1).toBeLessThan(60);
    expect(b2).toBeGreaterThan(200);
    expect(r2).toBeLessThan(60);
  });

  it('flattens transparent pixels onto white', async () => {
    const image = await decodeImage(await twoColourImage('png', 40, 20, true));
    expect(Array.from(image.data.subarray((10 * 40 + 35) * 3, (10 * 40 + 35) * 3 + 3))).toEqual([255, 255, 255]);
  });

  it('expands a greyscale PNG to three channels', async () => {
    const grey = await sharp(Buffer.alloc(16 * 16, 90), { raw: { width: 16, height: 16, channels: 1 } })
      .png()
      .toBuffer();
    const image = await decodeImage(new Uint8Array(grey));
    expect(image.data.length).toBe(16 * 16 * 3);
    expect(Array.from(image.data.subarray(0, 3))).toEqual([90, 90, 90]);
  });

  it('shrinks a large picture but reports its original size', async () => {
    const image = await decodeImage(await twoColourImage('png', 400, 100), 200);
    expect([image.width, image.height, image.originalWidth, image.originalHeight]).toEqual([200, 50, 400, 100]);
  });

  it('refuses bytes that are not a JPEG, PNG or WebP file', async () => {
    await expect(decodeImage(new TextEncoder().encode('GIF89a not really'))).rejects.toThrow(UndecodableInputError);
    await expect(decodeImage(new Uint8Array(0))).rejects.toThrow(/not a JPEG, PNG or WebP/);
    await expect(decodeImage(new Uint8Array(0))).rejects.toMatchObject({ modality: 'face' });
  });

  it('refuses a damaged file that starts like a PNG', async () => {
    const bytes = await twoColourImage('png');
    await expect(decodeImage(bytes.subarray(0, 40))).rejects.toThrow(/PNG image could not be decoded/);
    await expect(decodeImage(bytes.subarray(0, 40))).rejects.toMatchObject({ name: 'UndecodableInputError', modality: 'face' });
  });

  it('refuses a JPEG whose data is garbage', async () => {
    const bytes = new Uint8Array(200).fill(7);
    bytes.set([0xff, 0xd8, 0xff, 0xe0]);
    await expect(decodeImage(bytes)).rejects.toThrow(UndecodableInputError);
  });
});
