import { fieldProblem } from '../core/errors/problem';
import { FILE_SIGNATURES, type MultipartSpec } from '../core/http/multipart';
import { ReferenceInputError, validateReference, type ReferenceNote } from './engine';

/** The recording part of tutor forms: a WAV, checked by its RIFF/WAVE magic while it streams in. */
export const recordingPart = (maxBytes: number) => ({ audio: { maxBytes, required: true, signatures: FILE_SIGNATURES.wav, description: 'a WAV file' } });

/** POST /api/tutor/exercises/:id/recording: `audio` (WAV). */
export const recordingForm = (maxAudioBytes: number): MultipartSpec => ({ files: recordingPart(maxAudioBytes) });

/** POST /api/tutor/assess: `audio` (WAV) and `reference` (JSON text). */
export const assessForm = (maxAudioBytes: number): MultipartSpec => ({
  files: recordingPart(maxAudioBytes),
  fields: { reference: { required: true, maxBytes: 512 * 1024 } },
});

const referenceProblem = (message: string) => fieldProblem('reference', message.startsWith('reference') ? message : `reference ${message}`);

/** Parses the `reference` field: JSON `{ notes: [{ pitch, start, duration }] }`; 400 naming `reference` otherwise. */
export function parseReference(text: string | undefined): ReferenceNote[] {
  if (text === undefined) throw referenceProblem('is required');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw referenceProblem('is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || !('notes' in value)) throw referenceProblem('must be a JSON object with "notes"');
  try {
    return validateReference(value.notes);
  } catch (error) {
    if (error instanceof ReferenceInputError) throw referenceProblem(error.message);
    throw error;
  }
}
