/** MP3 encoding with LAME compiled to WebAssembly (wasm-media-encoders): ~100× real time here, vs ~13× for lamejs. */
import { createMp3Encoder } from 'wasm-media-encoders';
import type { StereoPcm } from './types';

/** Constant bit rate keeps byte offsets proportional to time, so browsers seek MP3 over HTTP ranges exactly. */
export const MP3_BITRATE_KBPS = 160;
const CHUNK_FRAMES = 1152 * 32;

/** Encodes stereo PCM to a CBR MP3 (kbit/s among LAME's CBR rates). */
export async function encodeMp3(pcm: StereoPcm, bitrateKbps: number = MP3_BITRATE_KBPS): Promise<Uint8Array> {
  const encoder = await createMp3Encoder();
  encoder.configure({ sampleRate: pcm.sampleRate, channels: 2, bitrate: bitrateKbps as 160 });
  const parts: Uint8Array[] = [];
  let total = 0;
  const keep = (chunk: Uint8Array) => {
    // The encoder reuses its output buffer: copy before the next call.
    if (chunk.length > 0) {
      parts.push(chunk.slice());
      total += chunk.length;
    }
  };
  for (let i = 0; i < pcm.left.length; i += CHUNK_FRAMES) {
    keep(encoder.encode([pcm.left.subarray(i, i + CHUNK_FRAMES), pcm.right.subarray(i, i + CHUNK_FRAMES)]));
  }
  keep(encoder.finalize());
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
