import { crc32, deflateSync } from 'node:zlib';
import { encodeWav } from '../../src/music/engine/audio';

/** Test media made in the test: PNG pictures and WAV recordings of known content. */

/** An RGB PNG whose pixel (x, y) is `pixel(x, y)` → [r, g, b] (0–255). */
export function makePng(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3);
    rows[row] = 0; // filter: none
    for (let x = 0; x < width; x++) rows.set(pixel(x, y), row + 1 + x * 3);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * A 16-bit stereo WAV of a voice-like sound: a gliding harmonic tone with syllable-rate loudness, or any signal
 * `sample(t)` in [-1, 1].
 */
export function makeWav(seconds: number, sampleRate = 16000, sample: (t: number) => number = voiceLike): Buffer {
  const frames = Math.round(seconds * sampleRate);
  const left = new Float32Array(frames);
  for (let i = 0; i < frames; i++) left[i] = sample(i / sampleRate);
  return Buffer.from(encodeWav({ sampleRate, left, right: left }));
}

function voiceLike(t: number): number {
  // The pitch glides 180 ± 40 Hz at 0.7 Hz (the phase is its integral).
  const phase = 2 * Math.PI * (180 * t - (40 / (2 * Math.PI * 0.7)) * Math.cos(2 * Math.PI * 0.7 * t));
  const syllables = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
  let value = 0;
  for (let h = 1; h <= 8; h++) value += Math.sin(h * phase) / h;
  return 0.25 * syllables * value;
}
