/** RIFF/WAVE encoding and decoding of 16-bit PCM (the format every browser and DAW plays). */
import type { StereoPcm } from './types';

const HEADER_BYTES = 44;

/** Encodes stereo float PCM as 16-bit little-endian WAV with TPDF dither (deterministic). */
export function encodeWav(pcm: StereoPcm): Uint8Array {
  const frames = pcm.left.length;
  const dataBytes = frames * 4;
  const out = new Uint8Array(HEADER_BYTES + dataBytes);
  writeWavHeader(out, { format: 1, channels: 2, sampleRate: pcm.sampleRate, bitsPerSample: 16, dataBytes });
  const samples = new Int16Array(out.buffer, HEADER_BYTES, frames * 2);
  let seed = 0x9e3779b9;
  const uniform = () => {
    // xorshift32: fixed seed so the same PCM always yields byte-identical files
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  for (let i = 0; i < frames; i++) {
    samples[2 * i] = quantise(pcm.left[i], uniform() - uniform());
    samples[2 * i + 1] = quantise(pcm.right[i], uniform() - uniform());
  }
  return out;
}

/** Writes the 44-byte canonical RIFF/WAVE header (fmt + data chunk headers) at the start of `out`. */
export function writeWavHeader(
  out: Uint8Array,
  { format, channels, sampleRate, bitsPerSample, dataBytes }: { format: 1 | 3; channels: number; sampleRate: number; bitsPerSample: number; dataBytes: number },
): void {
  const view = new DataView(out.buffer, out.byteOffset, HEADER_BYTES);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
  };
  const blockAlign = (channels * bitsPerSample) / 8;
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, format, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bitsPerSample, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
}

function quantise(x: number, dither: number): number {
  const v = Math.round(x * 32767 + dither);
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

export interface WavInfo {
  /** 1 = integer PCM, 3 = IEEE float (WAVE_FORMAT_EXTENSIBLE is resolved to its sub-format). */
  format: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  frames: number;
  /** Byte offset of the first PCM sample. */
  dataOffset: number;
}

/** Reads the header of a canonical PCM WAV (fmt + data chunks); throws on anything else. */
export function readWavInfo(bytes: Uint8Array): WavInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (bytes.length < HEADER_BYTES || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let offset = 12;
  let fmt: Omit<WavInfo, 'frames' | 'dataOffset'> | undefined;
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ') {
      const tagValue = view.getUint16(offset + 8, true);
      fmt = {
        format: tagValue === 0xfffe && size >= 40 ? view.getUint16(offset + 32, true) : tagValue,
        channels: view.getUint16(offset + 10, true),
        sampleRate: view.getUint32(offset + 12, true),
        bitsPerSample: view.getUint16(offset + 22, true),
      };
    } else if (id === 'data') {
      if (!fmt) throw new Error('data chunk before fmt chunk');
      const available = Math.min(size, bytes.length - offset - 8);
      return { ...fmt, frames: Math.floor(available / (fmt.channels * (fmt.bitsPerSample / 8))), dataOffset: offset + 8 };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('no data chunk');
}

/** Decodes a 16-bit stereo WAV back to float PCM (tests and analysis). */
export function decodeWav(bytes: Uint8Array): StereoPcm {
  const info = readWavInfo(bytes);
  if (info.bitsPerSample !== 16 || info.channels !== 2) throw new Error('only 16-bit stereo is supported');
  const view = new DataView(bytes.buffer, bytes.byteOffset + info.dataOffset, info.frames * 4);
  const left = new Float32Array(info.frames);
  const right = new Float32Array(info.frames);
  for (let i = 0; i < info.frames; i++) {
    left[i] = view.getInt16(4 * i, true) / 32768;
    right[i] = view.getInt16(4 * i + 2, true) / 32768;
  }
  return { sampleRate: info.sampleRate, left, right };
}

/**
 * Decodes the WAV variants text-to-music servers produce (16/24-bit PCM or 32-bit float, mono or
 * stereo, any rate) to stereo float PCM; mono is copied to both channels.
 */
export function decodeWavToStereo(bytes: Uint8Array): StereoPcm {
  const info = readWavInfo(bytes);
  const { format, channels, bitsPerSample, frames } = info;
  const supported = (format === 1 && (bitsPerSample === 16 || bitsPerSample === 24)) || (format === 3 && bitsPerSample === 32);
  if (!supported || channels < 1 || channels > 2) throw new Error(`unsupported WAV: format ${format}, ${bitsPerSample}-bit, ${channels} channel(s)`);
  if (frames === 0 || info.sampleRate < 8000 || info.sampleRate > 192000) throw new Error('WAV has no audio or an implausible sample rate');
  const view = new DataView(bytes.buffer, bytes.byteOffset + info.dataOffset);
  const width = bitsPerSample / 8;
  const read = (index: number): number => {
    const at = index * width;
    if (format === 3) return view.getFloat32(at, true);
    if (width === 2) return view.getInt16(at, true) / 32768;
    const v = view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16);
    return v / 8388608;
  };
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = read(i * channels);
    right[i] = channels === 2 ? read(i * channels + 1) : left[i];
  }
  return { sampleRate: info.sampleRate, left, right };
}
