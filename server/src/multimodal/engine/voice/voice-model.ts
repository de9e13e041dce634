/** The voice classifier's learned parameters (JSON written by eval/multimodal/train-voice.ts). */
import { readFileSync } from 'node:fs';
import { VOICE_EMOTIONS, type VoiceEmotion } from '../types';
import { VOICE_FEATURE_NAMES } from './voice-features';

export const VOICE_MODEL_FORMAT = 'xiaoyu-voice-emotion/1';

/** A linear softmax classifier over standardised features. */
export interface VoiceClassifier {
  /** Names of the features used (a subset of VOICE_FEATURE_NAMES, in this order). */
  features: string[];
  /** Standardisation: (x − mean) / sd per feature. */
  mean: number[];
  sd: number[];
  /** One row of weights per label. */
  weights: number[][];
  bias: number[];
  /** Softmax temperature fitted on speakers the model had not heard (calibration). */
  temperature: number;
}

export interface VoiceModelParameters extends VoiceClassifier {
  format: typeof VOICE_MODEL_FORMAT;
  labels: VoiceEmotion[];
  /**
   * Optional speaker-adapted classifier: it reads features minus the speaker's own running mean (SpeakerBaseline,
   * over all VOICE_FEATURE_NAMES), and is used once `adaptAfter` of the speaker's recordings have been heard.
   */
  speakerAdapted?: VoiceClassifier & { adaptAfter: number };
  trainedOn: string;
  metrics?: Record<string, number>;
}

export class VoiceModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VoiceModelError';
  }
}

export function validateVoiceModel(value: unknown, source: string): VoiceModelParameters {
  const m = value as Partial<VoiceModelParameters>;
  const fail = (why: string): never => {
    throw new VoiceModelError(`${source}: ${why}`);
  };
  if (!m || typeof m !== 'object') fail('not a JSON object');
  if (m.format !== VOICE_MODEL_FORMAT) fail(`format must be "${VOICE_MODEL_FORMAT}"`);
  if (!Array.isArray(m.labels) || !m.labels.length || m.labels.some((l) => !VOICE_EMOTIONS.includes(l)))
    fail(`labels must be among ${VOICE_EMOTIONS.join(', ')}`);
  validateClassifier(m, m.labels!.length, fail, '');
  if (m.speakerAdapted !== undefined) {
    const a = m.speakerAdapted;
    if (!a || typeof a !== 'object') fail('speakerAdapted must be an object');
    validateClassifier(a, m.labels!.length, fail, 'speakerAdapted.');
    if (!Number.isInteger(a.adaptAfter) || a.adaptAfter < 1) fail('speakerAdapted.adaptAfter must be a positive integer');
  }
  return m as VoiceModelParameters;
}

function validateClassifier(m: Partial<VoiceClassifier>, labels: number, fail: (why: string) => never, prefix: string): void {
  if (!Array.isArray(m.features) || m.features.some((f) => !VOICE_FEATURE_NAMES.includes(f))) fail(`${prefix}features must be names from VOICE_FEATURE_NAMES`);
  const d = m.features.length;
  if (!Array.isArray(m.mean) || m.mean.length !== d || !Array.isArray(m.sd) || m.sd.length !== d) fail(`${prefix}mean and sd must have ${d} numbers`);
  if (!Array.isArray(m.weights) || m.weights.length !== labels || m.weights.some((w) => !Array.isArray(w) || w.length !== d))
    fail(`${prefix}weights must be ${labels} rows of ${d}`);
  if (!Array.isArray(m.bias) || m.bias.length !== labels) fail(`${prefix}bias must have ${labels} numbers`);
  if (typeof m.temperature !== 'number' || !(m.temperature > 0)) fail(`${prefix}temperature must be a positive number`);
}

export function readVoiceModel(path: string): VoiceModelParameters {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new VoiceModelError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return validateVoiceModel(parsed, path);
}
