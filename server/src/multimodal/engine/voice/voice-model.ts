/** The voice classifier's learned parameters (JSON written by eval/multimodal/train-voice.ts). */
import { readFileSync } from 'node:fs';
import { VOICE_EMOTIONS, type VoiceEmotion } from '../types';
import { BACKGROUND_TALK_CUES, type NoiseFloor, REVERBERATION_CUES } from './speech-span';
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
  /**
   * Optional gender-dependent standardisation: a logistic reader of the standardised features says whether the voice
   * is more like the training's female (score > 0) or male speakers, and the features are then standardised with
   * that group's mean and deviation instead (so the classifier reads a voice against voices like it).
   */
  genderStandardisation?: GenderStandardisation;
}

export interface GenderStandardisation {
  reader: { weights: number[]; bias: number };
  /** [male, female]: per-group means and deviations of the features. */
  mean: [number[], number[]];
  sd: [number[], number[]];
}

/**
 * The classifier's standardised inputs for one feature vector (VOICE_FEATURE_NAMES order) at the given columns,
 * optionally relative to a speaker's mean (`centre`, same order).
 */
export function standardisedInputs(classifier: VoiceClassifier, columns: readonly number[], features: ArrayLike<number>, centre?: ArrayLike<number>): number[] {
  const raw = columns.map((c) => features[c] - (centre ? centre[c] : 0));
  let { mean, sd } = classifier;
  const gender = classifier.genderStandardisation;
  if (gender) {
    const score = gender.reader.weights.reduce((s, w, j) => s + (w * (raw[j] - mean[j])) / sd[j], gender.reader.bias);
    const group = score > 0 ? 1 : 0;
    [mean, sd] = [gender.mean[group], gender.sd[group]];
  }
  return raw.map((v, j) => (v - mean[j]) / sd[j]);
}

/** The classifier's logits (before its temperature) for its standardised inputs. */
export function linearLogits(classifier: VoiceClassifier, inputs: readonly number[]): number[] {
  return classifier.weights.map((w, k) => classifier.bias[k] + w.reduce((s, wj, j) => s + wj * inputs[j], 0));
}

export function classifierLogits(classifier: VoiceClassifier, columns: readonly number[], features: ArrayLike<number>, centre?: ArrayLike<number>): number[] {
  return linearLogits(classifier, standardisedInputs(classifier, columns, features, centre));
}

/** Root mean square of standardised inputs: about 1 for the voices a classifier learned from. */
export function inputDistance(inputs: readonly number[]): number {
  return Math.sqrt(inputs.reduce((s, v) => s + v * v, 0) / inputs.length);
}

/**
 * How far the reading of a take can be trusted, from 1 down to 0, by how far its inputs lie from the voices the
 * classifier learned from (`inputDistance`): fully up to `familiarDistance`, then less and less, to nothing at twice
 * that distance. Without a `familiarDistance` (a model trained before it existed) every take is trusted.
 */
export function familiarity(distance: number, familiarDistance: number | undefined): number {
  return familiarDistance === undefined ? 1 : Math.min(1, Math.max(0, 2 - distance / familiarDistance));
}

/** Log-probabilities of a classifier's logits at its temperature. */
export function logProbabilities(logits: readonly number[], temperature: number): number[] {
  const z = logits.map((l) => l / temperature);
  const max = Math.max(...z);
  const log = Math.log(z.reduce((s, l) => s + Math.exp(l - max), 0)) + max;
  return z.map((l) => l - log);
}

/**
 * The speaker-adapted reading: the adapted and the speaker-independent classifiers' log-probabilities weighted
 * (1 − w and w) and renormalised, a product of the two experts. The independent one keeps the answer sane when the
 * running mean is not this voice's (an account several people record on), at no cost for a single speaker
 * (docs/multimodal-engine.md, "One account, several speakers").
 */
export function blendLogProbabilities(independent: readonly number[], adapted: readonly number[], independentWeight: number): number[] {
  return logProbabilities(
    adapted.map((a, k) => (1 - independentWeight) * a + independentWeight * independent[k]),
    1,
  );
}

export interface VoiceModelParameters extends VoiceClassifier {
  format: typeof VOICE_MODEL_FORMAT;
  labels: VoiceEmotion[];
  /**
   * Optional speaker-adapted classifier: it reads features minus the speaker's own running mean (SpeakerBaseline,
   * over all VOICE_FEATURE_NAMES), and is used once `adaptAfter` of the speaker's recordings have been heard.
   * `independentWeight` (0–1, default 0) is the share of the speaker-independent classifier in that reading
   * (`blendLogProbabilities`).
   */
  speakerAdapted?: VoiceClassifier & { adaptAfter: number; independentWeight?: number };
  /**
   * Optional speaker-independent classifier for noisy rooms, trained on the clips over synthetic room noise: it
   * answers instead of the top-level one for a take recorded in a noisy room (`readsAsNoisyRoom`).
   */
  noisy?: NoisyRoomClassifier;
  /**
   * Optional speaker-independent classifier for takes with other voices talking behind the speaker, trained on the
   * clips with other speakers talking behind them; it answers when its `detector` hears them (and the take is not
   * read as a noisy room).
   */
  backgroundTalk?: DetectedRoomClassifier;
  /**
   * Optional speaker-independent classifier for reverberant rooms, trained on the clips heard through synthetic room
   * responses; it answers when its `detector` hears the room's slow falls (`NoiseFloor.reverberation`) and neither
   * the noisy-room nor the background-talk classifier claims the take.
   */
  reverberant?: DetectedRoomClassifier;
  /**
   * Optional speaker-independent classifier for takes through a microphone or line that colours the voice (a low or
   * high cut, a resonance), trained on the clips and on copies through random microphones; it answers when its
   * `detector` hears such a channel in the take's long-term spectrum (MICROPHONE_CUES of its features) and no room
   * classifier claims the take.
   */
  microphone?: DetectedRoomClassifier;
  /**
   * Optional: the input distance (`inputDistance`, under the speaker-independent classifier that reads the take) up
   * to which held-out speakers' takes lie, recorded as people do (its 99th percentile). A take farther out (a sound
   * that is not speech, a voice unlike any the model heard) is trusted less (`familiarity`): its probabilities are
   * mixed with uniform ones, so the fusion weighs it less and its confidence says so.
   */
  familiarDistance?: number;
  trainedOn: string;
  metrics?: Record<string, number>;
}

/** When the noisy-room classifier reads a take (`NoiseFloor`, speech-span.ts). */
export interface NoisyRoomThresholds {
  /** Any take whose noise margin is below this (dB)... */
  belowMarginDb: number;
  /** ...and a take over a steady floor whose margin is below this (dB; default: the first rule alone). */
  steadyBelowMarginDb?: number;
}

/** The features the microphone detector reads: the take's long-term mel spectrum relative to its level. */
export const MICROPHONE_CUES: readonly string[] = VOICE_FEATURE_NAMES.filter((name) => /^band\d+\.relative$/.test(name));
const MICROPHONE_COLUMNS = MICROPHONE_CUES.map((name) => VOICE_FEATURE_NAMES.indexOf(name));

/** A take's MICROPHONE_CUES from its feature vector (VOICE_FEATURE_NAMES order). */
export function microphoneCues(features: ArrayLike<number>): number[] {
  return MICROPHONE_COLUMNS.map((c) => features[c]);
}

/**
 * A logistic reader of one set of a take's cues (`NoiseFloor.backgroundTalk`, `NoiseFloor.reverberation` or
 * `microphoneCues`), standardised by `mean` and `sd`: a score above `threshold` says the take was recorded in the room
 * (or through the microphone) it detects.
 */
export interface CueDetector {
  mean: number[];
  sd: number[];
  weights: number[];
  bias: number;
  threshold: number;
}

export function cueScore(detector: CueDetector, cues: readonly number[]): number {
  return cues.reduce((s, cue, j) => s + (detector.weights[j] * (cue - detector.mean[j])) / detector.sd[j], detector.bias);
}

export function detects(detector: CueDetector, cues: readonly number[]): boolean {
  return cueScore(detector, cues) > detector.threshold;
}

type NoisyRoomClassifier = VoiceClassifier & NoisyRoomThresholds;
type DetectedRoomClassifier = VoiceClassifier & { detector: CueDetector };

export function readsAsNoisyRoom(thresholds: NoisyRoomThresholds, floor: NoiseFloor): boolean {
  return floor.marginDb < thresholds.belowMarginDb || (floor.steady && floor.marginDb < (thresholds.steadyBelowMarginDb ?? -Infinity));
}

/**
 * The speaker-independent classifier for a take recorded over `floor` with these `features`: the noisy-room one for a
 * noisy room, else the background-talk one when its detector hears voices behind the speaker, else the reverberant
 * one when its detector hears a reverberant room, else the microphone one when its detector hears a colouring
 * microphone, else the studio (top-level) one.
 */
export function independentClassifier<C extends VoiceClassifier>(
  model: C & { noisy?: C & NoisyRoomThresholds } & Partial<Record<'backgroundTalk' | 'reverberant' | 'microphone', C & { detector: CueDetector }>>,
  floor: NoiseFloor,
  features: ArrayLike<number>,
): C {
  if (model.noisy && readsAsNoisyRoom(model.noisy, floor)) return model.noisy;
  if (model.backgroundTalk && detects(model.backgroundTalk.detector, floor.backgroundTalk)) return model.backgroundTalk;
  if (model.reverberant && detects(model.reverberant.detector, floor.reverberation)) return model.reverberant;
  if (model.microphone && detects(model.microphone.detector, microphoneCues(features))) return model.microphone;
  return model;
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
    const w = a.independentWeight;
    if (w !== undefined && !(typeof w === 'number' && w >= 0 && w <= 1)) fail('speakerAdapted.independentWeight must be a number from 0 to 1');
  }
  if (m.noisy !== undefined) {
    const n = m.noisy;
    if (!n || typeof n !== 'object') fail('noisy must be an object');
    validateClassifier(n, m.labels!.length, fail, 'noisy.');
    if (typeof n.belowMarginDb !== 'number' || !Number.isFinite(n.belowMarginDb)) fail('noisy.belowMarginDb must be a number (dB)');
    const steady = n.steadyBelowMarginDb;
    if (steady !== undefined && !(typeof steady === 'number' && Number.isFinite(steady))) fail('noisy.steadyBelowMarginDb must be a number (dB)');
  }
  const familiar = m.familiarDistance;
  if (familiar !== undefined && !(typeof familiar === 'number' && familiar > 0 && Number.isFinite(familiar)))
    fail('familiarDistance must be a positive number');
  const detected = { backgroundTalk: BACKGROUND_TALK_CUES, reverberant: REVERBERATION_CUES, microphone: MICROPHONE_CUES } as const;
  for (const key of ['backgroundTalk', 'reverberant', 'microphone'] as const) {
    const c = m[key];
    if (c === undefined) continue;
    if (!c || typeof c !== 'object') fail(`${key} must be an object`);
    validateClassifier(c, m.labels!.length, fail, `${key}.`);
    validateDetector(c.detector, detected[key], fail, `${key}.detector`);
  }
  return m as VoiceModelParameters;
}

function validateDetector(d: Partial<CueDetector> | undefined, names: readonly string[], fail: (why: string) => never, prefix: string): void {
  const cues = names.length;
  const numbers = (x: unknown, n: number): x is number[] => Array.isArray(x) && x.length === n && x.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!d || typeof d !== 'object' || !numbers(d.mean, cues) || !numbers(d.weights, cues) || !numbers(d.sd, cues) || d.sd.some((v) => !(v > 0)))
    fail(`${prefix} must have mean, sd (positive) and weights of ${cues} numbers (${names.join(', ')})`);
  if (!numbers([d.bias, d.threshold], 2)) fail(`${prefix}.bias and threshold must be numbers`);
}

function validateClassifier(m: Partial<VoiceClassifier>, labels: number, fail: (why: string) => never, prefix: string): void {
  if (!Array.isArray(m.features) || m.features.some((f) => !VOICE_FEATURE_NAMES.includes(f))) fail(`${prefix}features must be names from VOICE_FEATURE_NAMES`);
  const d = m.features.length;
  if (!Array.isArray(m.mean) || m.mean.length !== d || !Array.isArray(m.sd) || m.sd.length !== d) fail(`${prefix}mean and sd must have ${d} numbers`);
  if (!Array.isArray(m.weights) || m.weights.length !== labels || m.weights.some((w) => !Array.isArray(w) || w.length !== d))
    fail(`${prefix}weights must be ${labels} rows of ${d}`);
  if (!Array.isArray(m.bias) || m.bias.length !== labels) fail(`${prefix}bias must have ${labels} numbers`);
  if (typeof m.temperature !== 'number' || !(m.temperature > 0)) fail(`${prefix}temperature must be a positive number`);
  if (m.genderStandardisation !== undefined) {
    const g = m.genderStandardisation;
    const rows = (x: unknown) => Array.isArray(x) && x.length === 2 && x.every((r) => Array.isArray(r) && r.length === d);
    if (!g || typeof g !== 'object' || !g.reader || !Array.isArray(g.reader.weights) || g.reader.weights.length !== d || typeof g.reader.bias !== 'number')
      fail(`${prefix}genderStandardisation.reader must have ${d} weights and a bias`);
    if (!rows(g.mean) || !rows(g.sd)) fail(`${prefix}genderStandardisation.mean and sd must be two rows of ${d} numbers`);
  }
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
