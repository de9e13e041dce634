/**
 * Training and leave-one-speaker-out validation of the voice classifier (used by train-voice.ts and voice.eval.ts).
 * Features are standardised with the training clips' means and deviations, then a softmax regression with an L2
 * penalty is fitted (full-batch Adam, linear-training.ts); its temperature is fitted on the held-out speakers'
 * predictions so the probabilities are calibrated.
 */
import { readFileSync } from 'node:fs';
import { VOICE_FEATURE_NAMES, extractVoiceFeatures } from '../../src/multimodal/engine/voice/voice-features';
import { VOICE_MODEL_FORMAT, type VoiceModelParameters } from '../../src/multimodal/engine/voice/voice-model';
import type { VoiceEmotion } from '../../src/multimodal/engine/types';
import { decodeWavMono } from '../../src/tutor/engine';
import type { EmoDbClip } from './datasets';
import { denseRow, trainLinear } from './linear-training';

/** EmoDB's emotions → the engine's voice labels. */
export const EMODB_LABELS: Readonly<Record<string, VoiceEmotion>> = {
  anger: 'angry',
  boredom: 'bored',
  disgust: 'disgusted',
  fear: 'fearful',
  happiness: 'happy',
  sadness: 'sad',
  neutral: 'neutral',
};
export const VOICE_LABELS: readonly VoiceEmotion[] = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'bored'];

export interface VoiceExample {
  clip: EmoDbClip;
  label: VoiceEmotion;
  features: Float64Array;
}

export function extractExamples(clips: readonly EmoDbClip[]): VoiceExample[] {
  return clips.map((clip) => ({
    clip,
    label: EMODB_LABELS[clip.emotion],
    features: extractVoiceFeatures(decodeWavMono(new Uint8Array(readFileSync(clip.file)))),
  }));
}

/** The penalty chosen by leave-one-speaker-out accuracy among 0.01, 0.03, 0.1 and 0.3 (they differ by ≤ 1 point). */
export const VOICE_L2 = 0.1;

export interface TrainVoiceOptions {
  l2: number;
  /** Indices of the features to use (default: all). */
  columns?: readonly number[];
  /** Weight classes by 1/frequency (for unweighted average recall). */
  balanced?: boolean;
  epochs?: number;
}

function balancedWeights(examples: readonly VoiceExample[]): number[] {
  const counts = new Map<string, number>();
  for (const e of examples) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  return examples.map((e) => examples.length / VOICE_LABELS.length / counts.get(e.label)!);
}

function standardiser(rows: readonly Float64Array[], columns: readonly number[]): { mean: number[]; sd: number[] } {
  const mean = columns.map((c) => rows.reduce((s, r) => s + r[c], 0) / rows.length);
  const sd = columns.map((c, j) => Math.sqrt(rows.reduce((s, r) => s + (r[c] - mean[j]) ** 2, 0) / rows.length) || 1);
  return { mean, sd };
}

export function trainVoiceModel(examples: readonly VoiceExample[], options: TrainVoiceOptions, temperature = 1): VoiceModelParameters {
  const columns = options.columns ?? VOICE_FEATURE_NAMES.map((_, i) => i);
  const { mean, sd } = standardiser(
    examples.map((e) => e.features),
    columns,
  );
  const rows = examples.map((e) => denseRow(columns.map((c, j) => (e.features[c] - mean[j]) / sd[j])));
  const model = trainLinear(
    rows,
    examples.map((e) => VOICE_LABELS.map((l) => (l === e.label ? 1 : 0))),
    columns.length,
    {
      loss: 'softmax',
      l2: options.l2,
      epochs: options.epochs ?? 400,
      learningRate: 0.02,
      sampleWeights: options.balanced ? balancedWeights(examples) : undefined,
    },
  );
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    format: VOICE_MODEL_FORMAT,
    labels: [...VOICE_LABELS],
    features: columns.map((c) => VOICE_FEATURE_NAMES[c]),
    mean: mean.map(r4),
    sd: sd.map(r4),
    weights: VOICE_LABELS.map((_, k) => columns.map((_, j) => r4(model.weights[j * VOICE_LABELS.length + k]))),
    bias: Array.from(model.bias, r4),
    temperature,
    trainedOn: '',
  };
}

/** Logits of the clips of one held-out speaker per fold, with the true labels and speakers. */
export interface FoldPrediction {
  example: VoiceExample;
  logits: number[];
}

export function leaveOneSpeakerOut(examples: readonly VoiceExample[], options: TrainVoiceOptions): FoldPrediction[] {
  const speakers = [...new Set(examples.map((e) => e.clip.speaker))].sort();
  const out: FoldPrediction[] = [];
  for (const speaker of speakers) {
    const model = trainVoiceModel(
      examples.filter((e) => e.clip.speaker !== speaker),
      options,
    );
    for (const example of examples.filter((e) => e.clip.speaker === speaker)) out.push({ example, logits: voiceLogits(model, example.features) });
  }
  return out;
}

export function voiceLogits(model: VoiceModelParameters, features: Float64Array): number[] {
  const columns = model.features.map((name) => VOICE_FEATURE_NAMES.indexOf(name));
  const x = columns.map((c, j) => (features[c] - model.mean[j]) / model.sd[j]);
  return model.weights.map((w, k) => model.bias[k] + w.reduce((s, wj, j) => s + wj * x[j], 0));
}

/** The softmax temperature that minimises the negative log-likelihood of held-out predictions (grid search). */
export function fitTemperature(predictions: readonly FoldPrediction[]): number {
  let best = { t: 1, nll: Infinity };
  for (let t = 0.5; t <= 4; t += 0.05) {
    let nll = 0;
    for (const p of predictions) {
      const probs = p.logits.map((l) => l / t);
      const max = Math.max(...probs);
      const log = Math.log(probs.reduce((s, l) => s + Math.exp(l - max), 0)) + max;
      nll += log - probs[VOICE_LABELS.indexOf(p.example.label)];
    }
    if (nll < best.nll) best = { t: Math.round(t * 100) / 100, nll };
  }
  return best.t;
}

export function predictedLabel(logits: readonly number[]): VoiceEmotion {
  return VOICE_LABELS[logits.indexOf(Math.max(...logits))];
}

let cached: { examples: VoiceExample[]; held: FoldPrediction[]; temperature: number } | undefined;

/** emodb-dev's features and the shipped configuration's leave-one-speaker-out predictions, computed once per process. */
export function voiceHeldOut(clips: readonly EmoDbClip[]): { examples: VoiceExample[]; held: FoldPrediction[]; temperature: number } {
  if (!cached) {
    const examples = extractExamples(clips);
    const held = leaveOneSpeakerOut(examples, { l2: VOICE_L2 });
    cached = { examples, held, temperature: fitTemperature(held) };
  }
  return cached;
}
