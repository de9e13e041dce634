/**
 * The learned parameters of a linear text model, as the training scripts write them (JSON) and the engine reads
 * them. A text is scored as bias + Σ weight(feature) · value: binary features share 1/√(distinct features in the
 * text) (so long and short texts score on one scale) and the named lexicon features (`lex:*`) carry their own value;
 * a model with a word-affect table adds its words' SIF-weighted mean (word-affect.ts).
 */
import { readFileSync } from 'node:fs';
import { type WordAffectTable, wordAffectShare } from './word-affect';

export const TEXT_MODEL_FORMAT = 'xiaoyu-text-affect/1';

export interface TextModelParameters {
  format: typeof TEXT_MODEL_FORMAT;
  language: 'en' | 'zh';
  /** `regression`: outputs are valence and arousal; `classification`: outputs are label logits (softmax). */
  kind: 'regression' | 'classification';
  outputs: string[];
  bias: number[];
  /** Feature name → one weight per output. */
  weights: Record<string, number[]>;
  /** Word vectors folded into per-word shares of each output (word-affect.ts). */
  wordAffect?: WordAffectTable;
  /** For regression: the standard deviation of the dev-set residuals per output (the engine's confidence). */
  residualSd?: number[];
  /** English regression: where the emotion labels the coordinates can tell apart sit in its own space (english-labels.ts). */
  labelAnchors?: Record<string, [number, number]>;
  /** Softmax temperature fitted on held-out data (classification). */
  temperature?: number;
  /** What the parameters learned from and under which terms (shown in docs and the service's model info). */
  trainedOn: string;
  metrics?: Record<string, number>;
}

export class TextModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TextModelError';
  }
}

/** Checks a parsed JSON value and returns it typed; throws TextModelError naming what is wrong. */
export function validateTextModel(value: unknown, source: string): TextModelParameters {
  const m = value as Partial<TextModelParameters>;
  const fail = (why: string): never => {
    throw new TextModelError(`${source}: ${why}`);
  };
  if (!m || typeof m !== 'object') fail('not a JSON object');
  if (m.format !== TEXT_MODEL_FORMAT) fail(`format must be "${TEXT_MODEL_FORMAT}"`);
  if (m.language !== 'en' && m.language !== 'zh') fail('language must be "en" or "zh"');
  if (m.kind !== 'regression' && m.kind !== 'classification') fail('kind must be "regression" or "classification"');
  if (!Array.isArray(m.outputs) || !m.outputs.length) fail('outputs must be a non-empty array');
  const k = m.outputs!.length;
  if (!Array.isArray(m.bias) || m.bias.length !== k) fail(`bias must have ${k} numbers`);
  if (!m.weights || typeof m.weights !== 'object') fail('weights must be an object');
  for (const [name, w] of Object.entries(m.weights!)) if (!Array.isArray(w) || w.length !== k) fail(`weights["${name}"] must have ${k} numbers`);
  const table = m.wordAffect;
  if (table !== undefined) {
    if (typeof table?.source !== 'string' || !Array.isArray(table.words) || !Array.isArray(table.values)) fail('wordAffect needs source, words and values');
    if (table.values.length !== table.words.length * k) fail(`wordAffect.values must have ${k} numbers per word`);
  }
  if (m.labelAnchors !== undefined) {
    if (!m.labelAnchors || typeof m.labelAnchors !== 'object') fail('labelAnchors must be an object');
    for (const [label, point] of Object.entries(m.labelAnchors))
      if (!Array.isArray(point) || point.length !== 2 || !point.every(Number.isFinite)) fail(`labelAnchors["${label}"] must be [valence, arousal]`);
  }
  if (m.kind === 'regression' && (m.outputs![0] !== 'valence' || m.outputs![1] !== 'arousal')) fail('a regression model outputs valence and arousal');
  return m as TextModelParameters;
}

/** Reads and validates a model file (the operator's override path); throws TextModelError. */
export function readTextModel(path: string): TextModelParameters {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TextModelError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return validateTextModel(parsed, path);
}

/** Binary features plus named real-valued ones, and the text's words for a word-affect table. */
export interface FeatureVector {
  binary: readonly string[];
  real?: Readonly<Record<string, number>>;
  words?: readonly string[];
}

/** The model's raw outputs (regression values or logits) and how many of the text's features it knew. */
export function scoreLinear(model: TextModelParameters, features: FeatureVector): { outputs: number[]; known: number; distinct: number } {
  const outputs = [...model.bias];
  const distinct = new Set(features.binary);
  const share = distinct.size ? 1 / Math.sqrt(distinct.size) : 0;
  let known = 0;
  for (const name of distinct) {
    const w = model.weights[name];
    if (!w) continue;
    known++;
    for (let k = 0; k < outputs.length; k++) outputs[k] += w[k] * share;
  }
  for (const [name, value] of Object.entries(features.real ?? {})) {
    const w = model.weights[name];
    if (w) for (let k = 0; k < outputs.length; k++) outputs[k] += w[k] * value;
  }
  if (model.wordAffect && features.words) {
    const share = wordAffectShare(model.wordAffect, features.words, outputs.length);
    for (let k = 0; k < outputs.length; k++) outputs[k] += share[k];
  }
  return { outputs, known, distinct: distinct.size };
}
