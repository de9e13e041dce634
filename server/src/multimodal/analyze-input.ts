import { HttpStatus } from '@nestjs/common';
import type { MultipartForm, MultipartSpec } from '../core/http/multipart';
import { FieldError, fieldsProblem, ProblemException } from '../core/errors/problem';
import { readWavInfo } from '../music/engine/audio';
import { describeBytes, isWav, probeImage, type ImageType } from './media-sniffing';

/** The limits of `POST /api/multimodal/analyze` (and of saving an analysis). */
export const ANALYZE_LIMITS = {
  imageBytes: 10 * 1024 * 1024,
  /** A guard on the bytes; the real limit is the duration. 30 s of 48 kHz 32-bit stereo is 11.5 MB. */
  audioBytes: 16 * 1024 * 1024,
  audioSeconds: 30,
  textChars: 5000,
  /** Decoding a bigger picture takes too much memory; cameras give 12–50 megapixels, phones' uploads fewer. */
  imagePixels: 50_000_000,
} as const;

/** The form's parts (their types are judged by their bytes in `analyzeInputOf`); `text` carries at most 4 bytes per character in UTF-8. */
export const ANALYZE_FORM: MultipartSpec = {
  files: {
    image: { maxBytes: ANALYZE_LIMITS.imageBytes, description: 'a JPEG, PNG or WebP picture' },
    audio: { maxBytes: ANALYZE_LIMITS.audioBytes, description: 'a WAV recording' },
  },
  fields: { text: { maxBytes: ANALYZE_LIMITS.textChars * 4 } },
};

export interface ImageInput {
  bytes: Uint8Array;
  type: ImageType;
  width: number;
  height: number;
}

export interface AudioInput {
  bytes: Uint8Array;
  durationSec: number;
}

/** A checked request: at least one modality, each of the right type and within its limits. */
export interface AnalyzeInput {
  image?: ImageInput;
  audio?: AudioInput;
  text?: string;
}

/**
 * Checks the form's parts: the type by magic bytes (415), headers that cannot be read (400), sizes, duration and
 * length over the limits (413), empty parts and an empty form (400). Every problem is reported with its field.
 */
export function analyzeInputOf(form: MultipartForm): AnalyzeInput {
  const problems: { status: HttpStatus; error: FieldError }[] = [];
  const fail = (status: HttpStatus, field: string, message: string) => problems.push({ status, error: { field, message } });
  const input: AnalyzeInput = {};

  const image = form.files.image;
  if (image) {
    const probe = image.bytes.length > 0 ? probeImage(image.bytes) : undefined;
    if (image.bytes.length === 0) fail(HttpStatus.BAD_REQUEST, 'image', 'image is an empty file');
    else if (!probe) fail(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'image', `image must be a JPEG, PNG or WebP picture; the file is ${describeBytes(image.bytes)}`);
    else if (probe.kind === 'undecodable') fail(HttpStatus.BAD_REQUEST, 'image', `image cannot be decoded: ${probe.reason}`);
    else if (probe.width * probe.height > ANALYZE_LIMITS.imagePixels)
      fail(HttpStatus.PAYLOAD_TOO_LARGE, 'image', `image has ${probe.width}×${probe.height} pixels; at most ${ANALYZE_LIMITS.imagePixels / 1e6} megapixels`);
    else input.image = { bytes: image.bytes, type: probe.type, width: probe.width, height: probe.height };
  }

  const audio = form.files.audio;
  if (audio) {
    if (audio.bytes.length === 0) fail(HttpStatus.BAD_REQUEST, 'audio', 'audio is an empty file');
    else if (!isWav(audio.bytes)) fail(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'audio', `audio must be a WAV recording; the file is ${describeBytes(audio.bytes)}`);
    else {
      const duration = wavDuration(audio.bytes);
      if (typeof duration === 'string') fail(HttpStatus.BAD_REQUEST, 'audio', `audio cannot be decoded: ${duration}`);
      else if (duration > ANALYZE_LIMITS.audioSeconds)
        fail(HttpStatus.PAYLOAD_TOO_LARGE, 'audio', `audio is ${duration.toFixed(1)} s long; at most ${ANALYZE_LIMITS.audioSeconds} s`);
      else input.audio = { bytes: audio.bytes, durationSec: duration };
    }
  }

  const text = form.fields.text;
  if (text !== undefined) {
    const characters = [...text].length;
    if (text.trim().length === 0) fail(HttpStatus.BAD_REQUEST, 'text', 'text is empty');
    else if (characters > ANALYZE_LIMITS.textChars)
      fail(HttpStatus.PAYLOAD_TOO_LARGE, 'text', `text has ${characters} characters; at most ${ANALYZE_LIMITS.textChars}`);
    else input.text = text.trim();
  }

  if (problems.length === 0 && !input.image && !input.audio && input.text === undefined) {
    const message = 'send at least one of image, audio and text';
    throw new ProblemException(HttpStatus.BAD_REQUEST, 'Nothing to analyse: send at least one of image, audio and text.', {
      errors: (['image', 'audio', 'text'] as const).map((field) => ({ field, message })),
    });
  }
  if (problems.length > 0) {
    const status = Math.max(...problems.map((p) => p.status));
    throw fieldsProblem(
      problems.map((p) => p.error),
      status,
    );
  }
  return input;
}

/** Seconds of audio in a WAV, or why its header cannot be read. */
function wavDuration(bytes: Uint8Array): number | string {
  try {
    const info = readWavInfo(bytes);
    if (info.sampleRate <= 0 || info.channels <= 0 || info.bitsPerSample <= 0) return 'the WAV header gives no sample rate, channels or sample size';
    if (info.frames === 0) return 'the WAV holds no audio';
    return info.frames / info.sampleRate;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
