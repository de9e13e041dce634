import { FACE_EMOTIONS } from '../types';
import { EXPRESSION_MODELS, ExpressionModel, ModelLogProbabilities } from './expression-classifiers';

/**
 * How the networks' log-probabilities become one calibrated distribution:
 * logits = Σ scale[model] · logp[model] + bias, then softmax. A scale is an inverse temperature (0 leaves the model
 * out); the bias corrects each label's prior. Fitted by `fitCalibration` on labelled faces.
 */
export interface FaceCalibration {
  scale: Record<ExpressionModel, number>;
  /** One offset per label, in FACE_EMOTIONS order. */
  bias: number[];
}

export const UNCALIBRATED: FaceCalibration = { scale: { faceApi: 1, miniXception: 0 }, bias: FACE_EMOTIONS.map(() => 0) };

/** Softmax of a logit vector (numerically stable). */
export function softmax(logits: readonly number[]): number[] {
  const top = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - top));
  const total = exps.reduce((s, e) => s + e, 0);
  return exps.map((e) => e / total);
}

function logits(logps: ModelLogProbabilities, calibration: FaceCalibration): number[] {
  return FACE_EMOTIONS.map((_, k) => EXPRESSION_MODELS.reduce((z, model) => z + calibration.scale[model] * logps[model][k], calibration.bias[k] ?? 0));
}

/** The calibrated probabilities over FACE_EMOTIONS (they sum to 1). */
export function calibratedProbabilities(logps: ModelLogProbabilities, calibration: FaceCalibration): number[] {
  return softmax(logits(logps, calibration));
}

export interface LabelledLogProbabilities {
  logps: ModelLogProbabilities;
  /** Index in FACE_EMOTIONS. */
  label: number;
}

export interface FitOptions {
  /** Models whose scale is fitted; the others get 0. */
  models: readonly ExpressionModel[];
  /** Fit the per-label bias too (otherwise it stays 0). */
  fitBias: boolean;
  iterations?: number;
  /** L2 penalty on the bias, per sample. */
  biasPenalty?: number;
}

/**
 * Fits scales and biases by minimising the class-balanced negative log-likelihood (each label weighs the same, so the
 * fitted prior is uniform, not the training sample's) with Adam. Deterministic.
 */
export function fitCalibration(samples: readonly LabelledLogProbabilities[], options: FitOptions): FaceCalibration {
  const k = FACE_EMOTIONS.length;
  const counts = new Array<number>(k).fill(0);
  for (const s of samples) counts[s.label]++;
  const present = counts.filter((c) => c > 0).length;
  const weight = counts.map((c) => (c > 0 ? samples.length / (present * c) : 0));
  const models = options.models;
  // Parameters: one scale per fitted model, then k biases.
  const params = [...models.map(() => 1 / models.length), ...new Array<number>(k).fill(0)];
  const m1 = params.map(() => 0);
  const m2 = params.map(() => 0);
  const rate = 0.05;
  const penalty = options.biasPenalty ?? 0.01;
  const iterations = options.iterations ?? 400;
  for (let step = 1; step <= iterations; step++) {
    const grad = params.map(() => 0);
    for (const s of samples) {
      const z = FACE_EMOTIONS.map((_, j) => models.reduce((acc, model, m) => acc + params[m] * s.logps[model][j], params[models.length + j]));
      const p = softmax(z);
      const w = weight[s.label] / samples.length;
      for (let j = 0; j < k; j++) {
        const dz = w * (p[j] - (j === s.label ? 1 : 0));
        models.forEach((model, m) => (grad[m] += dz * s.logps[model][j]));
        if (options.fitBias) grad[models.length + j] += dz;
      }
    }
    if (options.fitBias) for (let j = 0; j < k; j++) grad[models.length + j] += penalty * params[models.length + j];
    for (let i = 0; i < params.length; i++) {
      m1[i] = 0.9 * m1[i] + 0.1 * grad[i];
      m2[i] = 0.999 * m2[i] + 0.001 * grad[i] * grad[i];
      const update = (rate * (m1[i] / (1 - 0.9 ** step))) / (Math.sqrt(m2[i] / (1 - 0.999 ** step)) + 1e-8);
      params[i] = Math.max(i < models.length ? 0 : -Infinity, params[i] - update);
    }
  }
  const scale = Object.fromEntries(EXPRESSION_MODELS.map((model) => [model, 0])) as Record<ExpressionModel, number>;
  models.forEach((model, m) => (scale[model] = round(params[m])));
  return { scale, bias: params.slice(models.length).map(round) };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * Reads a calibration from JSON text (`{ "scale": { "faceApi": n, "miniXception": n }, "bias": [7 numbers] }`), as an
 * operator writes one; throws an Error naming what is wrong.
 */
export function parseFaceCalibration(json: string): FaceCalibration {
  const value = JSON.parse(json) as Partial<FaceCalibration>;
  const given = (value.scale ?? {}) as Partial<Record<ExpressionModel, unknown>>;
  const scale = {} as Record<ExpressionModel, number>;
  for (const model of EXPRESSION_MODELS) {
    const s = given[model];
    if (typeof s !== 'number' || !(s >= 0)) throw new Error(`face calibration: scale.${model} must be a number ≥ 0`);
    scale[model] = s;
  }
  if (!EXPRESSION_MODELS.some((model) => scale[model] > 0)) throw new Error('face calibration: at least one scale must be positive');
  const bias = value.bias;
  if (!Array.isArray(bias) || bias.length !== FACE_EMOTIONS.length || !bias.every((b) => typeof b === 'number' && Number.isFinite(b)))
    throw new Error(`face calibration: bias must be ${FACE_EMOTIONS.length} numbers (${FACE_EMOTIONS.join(', ')})`);
  return { scale, bias };
}
