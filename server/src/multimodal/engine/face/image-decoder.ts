import sharp from 'sharp';
import { UndecodableInputError } from '../types';

/** A decoded picture: 8-bit RGB, row-major, 3 bytes a pixel. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
  /** Size of the picture as sent (after EXIF rotation); boxes are reported in these pixels. */
  originalWidth: number;
  originalHeight: number;
}

export type ImageFormat = 'jpeg' | 'png' | 'webp';

/** Larger pictures are shrunk before detection: faces that matter are still ≥ 40 px at this size. */
export const MAX_DECODED_SIDE = 1280;
/** Refuses decompression bombs: a 10 MB upload may not claim more pixels than this. */
export const MAX_INPUT_PIXELS = 50_000_000;

/** The container format from the file's magic bytes, or undefined when it is none of JPEG, PNG and WebP. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'png';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  return undefined;
}

/**
 * Decodes JPEG, PNG or WebP bytes to RGB (EXIF orientation applied, transparency flattened onto white, greyscale
 * expanded to three channels), shrinking pictures larger than `maxSide`. Throws `UndecodableInputError('face', …)`
 * for anything else or for a damaged file.
 */
export async function decodeImage(bytes: Uint8Array, maxSide = MAX_DECODED_SIDE): Promise<RgbImage> {
  const format = sniffImageFormat(bytes);
  if (!format) throw new UndecodableInputError('face', 'the image is not a JPEG, PNG or WebP file');
  try {
    const source = sharp(bytes, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS, animated: false }).rotate();
    const oriented = await source.clone().metadata();
    const swap = (oriented.orientation ?? 1) >= 5;
    const originalWidth = swap ? oriented.height : oriented.width;
    const originalHeight = swap ? oriented.width : oriented.height;
    if (!originalWidth || !originalHeight) throw new Error('no image size');
    const { data, info } = await source
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected ${info.channels} channels`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length), originalWidth, originalHeight };
  } catch (error) {
    throw new UndecodableInputError('face', `the ${format.toUpperCase()} image could not be decoded (${(error as Error).message})`);
  }
}
