/**
 * WAV input for assessment: any common PCM/float WAV (8/16/24/32-bit integer PCM, 32/64-bit float, mono or stereo,
 * 8–48 kHz) decoded to one mono float channel. The RIFF chunk walk is the music engine's `readWavInfo`; this file adds
 * the formats a recorder or DAW writes, the downmix and typed errors the service maps to 400.
 */
import { readWavInfo, writeWavHeader, type WavInfo } from '../../../music/engine/audio/wav';

/** Why a WAV could not be used: `not-wav` (no RIFF/WAVE header), `unreadable` (broken chunks), `unsupported` (format/rate/channels), `empty` (no samples). */
export type AudioInputErrorCode = 'not-wav' | 'unreadable' | 'unsupported' | 'empty';

/** A WAV the engine cannot use; `code` says why (the service answers 400 naming the `audio` field). */
export class AudioInputError extends Error {
  constructor(
    readonly code: AudioInputErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AudioInputError';
  }
}

/** Sample rates accepted (Hz), the range the assessment is designed and evaluated for. */
export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 48000;
const MAX_CHANNELS = 2;

/** What a WAV header says, read without decoding the samples (for size and duration checks). */
export interface WavSummary {
  /** 1 = integer PCM, 3 = IEEE float. */
  format: number;
  /** Samples per second per channel (Hz). */
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Samples per channel. */
  frames: number;
  /** Length of the audio (seconds). */
  durationSec: number;
}

/** Mono float PCM, samples nominally in [-1, 1]. */
export interface MonoAudio {
  /** Samples per second (Hz). */
  sampleRate: number;
  samples: Float32Array;
}

function header(bytes: Uint8Array): WavInfo {
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new AudioInputError('not-wav', 'not a WAV file (no RIFF/WAVE header)');
  try {
    return readWavInfo(bytes);
  } catch (error) {
    throw new AudioInputError('unreadable', `unreadable WAV: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function isSupportedEncoding(format: number, bits: number): boolean {
  return (format === 1 && (bits === 8 || bits === 16 || bits === 24 || bits === 32)) || (format === 3 && (bits === 32 || bits === 64));
}

export interface WavInputOptions {
  /** Highest sample rate taken (Hz; default MAX_SAMPLE_RATE): a reader that resamples anyway may take studio rates. */
  maxSampleRate?: number;
}

/** Reads and checks a WAV header (format, rate, channels) without decoding; throws AudioInputError. */
export function inspectWav(bytes: Uint8Array, { maxSampleRate = MAX_SAMPLE_RATE }: WavInputOptions = {}): WavSummary {
  const info = header(bytes);
  const { format, sampleRate, channels, bitsPerSample, frames } = info;
  if (!isSupportedEncoding(format, bitsPerSample)) {
    const kind = format === 1 ? 'integer PCM' : format === 3 ? 'float' : `format tag ${format}`;
    throw new AudioInputError('unsupported', `unsupported WAV encoding: ${bitsPerSample}-bit ${kind} (use 16/24-bit PCM or 32-bit float)`);
  }
  if (channels < 1 || channels > MAX_CHANNELS) throw new AudioInputError('unsupported', `unsupported WAV: ${channels} channels (mono or stereo only)`);
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > maxSampleRate) {
    throw new AudioInputError('unsupported', `unsupported sample rate ${sampleRate} Hz (${MIN_SAMPLE_RATE}–${maxSampleRate} Hz)`);
  }
  if (frames === 0) throw new AudioInputError('empty', 'the WAV file holds no samples');
  return { format, sampleRate, channels, bitsPerSample, frames, durationSec: frames / sampleRate };
}

/** Decodes a WAV to mono float PCM (stereo is averaged; non-finite float samples become 0); throws AudioInputError. */
export function decodeWavMono(bytes: Uint8Array, options: WavInputOptions = {}): MonoAudio {
  const summary = inspectWav(bytes, options);
  const { dataOffset } = header(bytes);
  const { format, channels, bitsPerSample, frames, sampleRate } = summary;
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataOffset, frames * channels * (bitsPerSample / 8));
  const count = frames * channels;
  const interleaved = new Float32Array(count);
  if (format === 3 && bitsPerSample === 32) {
    for (let i = 0; i < count; i++) interleaved[i] = view.getFloat32(4 * i, true);
  } else if (format === 3) {
    for (let i = 0; i < count; i++) interleaved[i] = view.getFloat64(8 * i, true);
  } else if (bitsPerSample === 16) {
    for (let i = 0; i < count; i++) interleaved[i] = view.getInt16(2 * i, true) / 32768;
  } else if (bitsPerSample === 24) {
    for (let i = 0; i < count; i++) {
      const at = 3 * i;
      interleaved[i] = (view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8388608;
    }
  } else if (bitsPerSample === 32) {
    for (let i = 0; i < count; i++) interleaved[i] = view.getInt32(4 * i, true) / 2147483648;
  } else {
    // 8-bit WAV is unsigned, centred on 128.
    for (let i = 0; i < count; i++) interleaved[i] = (view.getUint8(i) - 128) / 128;
  }
  if (format === 3) for (let i = 0; i < count; i++) if (!Number.isFinite(interleaved[i])) interleaved[i] = 0;
  if (channels === 1) return { sampleRate, samples: interleaved };
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) samples[i] = 0.5 * (interleaved[2 * i] + interleaved[2 * i + 1]);
  return { sampleRate, samples };
}

/** Encodes mono float PCM as a 16-bit (default) or 32-bit float WAV: the test and evaluation fixtures' writer. */
export function encodeWavMono(audio: MonoAudio, encoding: 'pcm16' | 'float32' = 'pcm16', channels: 1 | 2 = 1): Uint8Array {
  const width = encoding === 'pcm16' ? 2 : 4;
  const frames = audio.samples.length;
  const dataBytes = frames * channels * width;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  writeWavHeader(out, { format: encoding === 'pcm16' ? 1 : 3, channels, sampleRate: audio.sampleRate, bitsPerSample: width * 8, dataBytes });
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) {
      const at = 44 + (i * channels + c) * width;
      const x = audio.samples[i];
      if (encoding === 'float32') view.setFloat32(at, x, true);
      else view.setInt16(at, Math.max(-32768, Math.min(32767, Math.round(x * 32767))), true);
    }
  }
  return out;
}
