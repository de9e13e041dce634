/**
 * What uploaded bytes are, judged by their magic numbers and headers (never by the declared MIME type), and the
 * image's pixel size read from its header, so a decompression bomb is refused before any decoder sees it.
 */

export type ImageType = 'jpeg' | 'png' | 'webp';

export type ImageProbe = { kind: 'image'; type: ImageType; width: number; height: number } | { kind: 'undecodable'; type: ImageType; reason: string };

/** Signatures of common files that are not what a field accepts, to say what was sent instead. */
const KNOWN_SIGNATURES: { name: string; test: (b: Uint8Array) => boolean }[] = [
  { name: 'a JPEG image', test: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { name: 'a PNG image', test: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { name: 'a WebP image', test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP' },
  { name: 'a WAV recording', test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WAVE' },
  { name: 'a GIF image', test: (b) => ascii(b, 0, 4) === 'GIF8' },
  { name: 'a BMP image', test: (b) => ascii(b, 0, 2) === 'BM' },
  { name: 'a TIFF image', test: (b) => ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*' },
  { name: 'a HEIF/AVIF or MP4 file', test: (b) => ascii(b, 4, 4) === 'ftyp' },
  { name: 'a PDF document', test: (b) => ascii(b, 0, 5) === '%PDF-' },
  { name: 'an MP3 recording', test: (b) => ascii(b, 0, 3) === 'ID3' || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0) },
  { name: 'an Ogg recording', test: (b) => ascii(b, 0, 4) === 'OggS' },
  { name: 'a FLAC recording', test: (b) => ascii(b, 0, 4) === 'fLaC' },
  { name: 'a WebM/Matroska file', test: (b) => startsWith(b, [0x1a, 0x45, 0xdf, 0xa3]) },
  { name: 'a ZIP archive', test: (b) => ascii(b, 0, 4) === 'PK\x03\x04' },
];

/** A short description of what the bytes look like ("a GIF image", "text", "unrecognised bytes"). */
export function describeBytes(bytes: Uint8Array): string {
  const known = KNOWN_SIGNATURES.find((s) => s.test(bytes));
  if (known) return known.name;
  const head = bytes.subarray(0, 512);
  const printable = head.every((c) => c === 0x09 || c === 0x0a || c === 0x0d || c >= 0x20);
  return head.length > 0 && printable ? 'text' : 'unrecognised bytes';
}

export function isWav(bytes: Uint8Array): boolean {
  return ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE';
}

/** The image's type and pixel size, `undefined` when the bytes are no JPEG, PNG or WebP at all. */
export function probeImage(bytes: Uint8Array): ImageProbe | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return probePng(bytes);
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return probeJpeg(bytes);
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return probeWebp(bytes);
  return undefined;
}

function probePng(b: Uint8Array): ImageProbe {
  if (b.length < 24 || ascii(b, 12, 4) !== 'IHDR') return { kind: 'undecodable', type: 'png', reason: 'the PNG has no header chunk' };
  return sized('png', u32be(b, 16), u32be(b, 20));
}

/** Walks the JPEG markers up to the first start-of-frame, which holds the size. */
function probeJpeg(b: Uint8Array): ImageProbe {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return { kind: 'undecodable', type: 'jpeg', reason: 'the JPEG markers are broken' };
    const marker = b[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2; // markers without a length
      continue;
    }
    const length = u16be(b, at + 2);
    if (length < 2) return { kind: 'undecodable', type: 'jpeg', reason: 'the JPEG has a segment of impossible length' };
    const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isStartOfFrame) {
      if (at + 9 > b.length) break;
      return sized('jpeg', u16be(b, at + 7), u16be(b, at + 5));
    }
    if (marker === 0xda || marker === 0xd9) break; // image data or the end, and still no frame header
    at += 2 + length;
  }
  return { kind: 'undecodable', type: 'jpeg', reason: 'the JPEG has no frame header' };
}

function probeWebp(b: Uint8Array): ImageProbe {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ' && b.length >= 30 && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) {
    return sized('webp', u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff);
  }
  if (chunk === 'VP8L' && b.length >= 25 && b[20] === 0x2f) {
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return sized('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X' && b.length >= 30) {
    return sized('webp', 1 + (b[24] | (b[25] << 8) | (b[26] << 16)), 1 + (b[27] | (b[28] << 8) | (b[29] << 16)));
  }
  return { kind: 'undecodable', type: 'webp', reason: 'the WebP has no readable frame header' };
}

function sized(type: ImageType, width: number, height: number): ImageProbe {
  if (width < 1 || height < 1) return { kind: 'undecodable', type, reason: `the ${type.toUpperCase()} header gives no size` };
  return { kind: 'image', type, width, height };
}

function startsWith(b: Uint8Array, prefix: number[]): boolean {
  return b.length >= prefix.length && prefix.every((v, i) => b[i] === v);
}

function ascii(b: Uint8Array, offset: number, length: number): string {
  return b.length >= offset + length ? String.fromCharCode(...b.subarray(offset, offset + length)) : '';
}

function u16be(b: Uint8Array, i: number): number {
  return (b[i] << 8) | b[i + 1];
}

function u16le(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8);
}

function u32be(b: Uint8Array, i: number): number {
  return ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
}
