import { readFile } from 'node:fs/promises';
import { calibratedProbabilities, FaceCalibration, fitCalibration, LabelledLogProbabilities } from '../../src/multimodal/engine/face/calibration';
import { AugmentationSettings, classifyViews, ExpressionModel, ModelLogProbabilities } from '../../src/multimodal/engine/face/expression-classifiers';
import { FaceModels, tf } from '../../src/multimodal/engine/face/face-models';
import { decodeImage } from '../../src/multimodal/engine/face/image-decoder';
import { FACE_EMOTIONS } from '../../src/multimodal/engine/types';
import { FaceSample } from './faces-dev';

/** The views measured for every image; a candidate uses a subset of them. */
export const VIEW_SCALES = [1, 0.9, 1.1];
export const TTA_CANDIDATES: { name: string; scales: number[]; flip: boolean }[] = [
  { name: 'none', scales: [1], flip: false },
  { name: 'flip', scales: [1], flip: true },
  { name: 'flip + zoom 0.9/1.1', scales: [1, 0.9, 1.1], flip: true },
];

/** One image's log-probabilities per model and per view (views: VIEW_SCALES, then the same mirrored). */
export interface ViewLogProbabilities {
  sample: FaceSample;
  views: Record<ExpressionModel, number[][]>;
}

/** Runs both networks on every view of every whole crop (the faces-dev crops are already faces). */
export async function measureViews(models: FaceModels, samples: readonly FaceSample[], onProgress?: (done: number) => void): Promise<ViewLogProbabilities[]> {
  const out: ViewLogProbabilities[] = [];
  for (const sample of samples) {
    const image = await decodeImage(await readFile(sample.file));
    const pixels = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    const box = { x: 0, y: 0, width: image.width, height: image.height };
    let views: Record<ExpressionModel, number[][]>;
    try {
      views = await classifyViews(models, pixels, box, { scales: VIEW_SCALES, flip: true, margin: 0 });
    } finally {
      pixels.dispose();
    }
    out.push({ sample, views });
    onProgress?.(out.length);
  }
  return out;
}

/** The view-averaged log-probabilities a TTA candidate would see. */
export function pooled(item: ViewLogProbabilities, tta: { scales: number[]; flip: boolean }): ModelLogProbabilities {
  const indices = [...tta.scales.map((s) => VIEW_SCALES.indexOf(s)), ...(tta.flip ? tta.scales.map((s) => VIEW_SCALES.length + VIEW_SCALES.indexOf(s)) : [])];
  const average = (rows: number[][]) => FACE_EMOTIONS.map((_, k) => indices.reduce((s, i) => s + rows[i][k], 0) / indices.length);
  return { faceApi: average(item.views.faceApi), miniXception: average(item.views.miniXception) };
}

export interface Scores {
  n: number;
  accuracy: number;
  /** Unweighted average recall: the mean of the per-label recalls. */
  uar: number;
  recall: number[];
}

export function score(predictions: readonly { predicted: number; label: number }[]): Scores {
  const hits = FACE_EMOTIONS.map(() => 0);
  const totals = FACE_EMOTIONS.map(() => 0);
  for (const p of predictions) {
    totals[p.label]++;
    if (p.predicted === p.label) hits[p.label]++;
  }
  const recall = totals.map((t, k) => (t ? hits[k] / t : Number.NaN));
  const present = recall.filter((r) => !Number.isNaN(r));
  return {
    n: predictions.length,
    accuracy: hits.reduce((s, h) => s + h, 0) / Math.max(1, predictions.length),
    uar: present.reduce((s, r) => s + r, 0) / Math.max(1, present.length),
    recall,
  };
}

const argmax = (values: readonly number[]) => values.reduce((best, v, i) => (v > values[best] ? i : best), 0);

export interface Candidate {
  name: string;
  tta: { scales: number[]; flip: boolean };
  models: ExpressionModel[];
  /** Scales and biases fitted on the other split; otherwise each model's log-probabilities are summed as they are. */
  calibrated: boolean;
}

export function candidateList(): Candidate[] {
  const list: Candidate[] = [];
  const label = (models: ExpressionModel[]) => (models.length === 2 ? 'ensemble' : models[0] === 'faceApi' ? 'face-api' : 'mini-Xception');
  for (const models of [['faceApi'], ['miniXception'], ['faceApi', 'miniXception']] as ExpressionModel[][])
    for (const tta of TTA_CANDIDATES)
      for (const calibrated of [false, true])
        list.push({ name: `${label(models)}, TTA ${tta.name}${calibrated ? ', calibrated' : ''}`, tta, models, calibrated });
  return list;
}

function fixedCalibration(models: ExpressionModel[]): FaceCalibration {
  const scale = { faceApi: 0, miniXception: 0 };
  for (const model of models) scale[model] = 1;
  return { scale, bias: FACE_EMOTIONS.map(() => 0) };
}

export function fitOn(items: readonly ViewLogProbabilities[], candidate: Candidate): FaceCalibration {
  if (!candidate.calibrated) return fixedCalibration(candidate.models);
  const samples: LabelledLogProbabilities[] = items.map((item) => ({ logps: pooled(item, candidate.tta), label: item.sample.labelIndex }));
  return fitCalibration(samples, { models: candidate.models, fitBias: true });
}

export function predict(items: readonly ViewLogProbabilities[], candidate: Candidate, calibration: FaceCalibration) {
  return items.map((item) => ({
    label: item.sample.labelIndex,
    predicted: argmax(calibratedProbabilities(pooled(item, candidate.tta), calibration)),
  }));
}

/** Cross-fitted scores: fitted on PublicTest and scored on PrivateTest, and the other way round, pooled. */
export function crossFitted(items: readonly ViewLogProbabilities[], candidate: Candidate): { pooled: Scores; onPrivate: Scores; onPublic: Scores } {
  const pub = items.filter((i) => i.sample.split === 'PublicTest');
  const priv = items.filter((i) => i.sample.split === 'PrivateTest');
  const privPredictions = predict(priv, candidate, fitOn(pub, candidate));
  const pubPredictions = predict(pub, candidate, fitOn(priv, candidate));
  return { pooled: score([...privPredictions, ...pubPredictions]), onPrivate: score(privPredictions), onPublic: score(pubPredictions) };
}

export function asAugmentation(tta: { scales: number[]; flip: boolean }): AugmentationSettings {
  return { scales: tta.scales, flip: tta.flip, margin: 0 };
}
