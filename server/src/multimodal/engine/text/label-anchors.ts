/**
 * Where the emotion labels sit among texts' readings, for a text that names no feeling: the English model learns
 * each label's position (`labelAnchors`, text-training.ts) as the mean reading of EmoBank's training sentences whose
 * only emotion words are that label's, neutral's of those with none. Both languages' readings sit on the labels'
 * plane, so the Chinese word-list reading uses the same positions: a text reads as happy once it reads like the
 * sentences that say so, not only once it reaches the happy face's corner of the plane.
 */
import type { FaceEmotion } from '../types';
import { FACE_EMOTIONS } from '../types';

/** The labels a reading can tell apart (fear and disgust sit among sad and angry, surprise next to neutral: only their words name them). */
export const COORDINATE_LABELS = ['neutral', 'happy', 'sad', 'angry'] as const satisfies readonly FaceEmotion[];
export type LabelAnchors = Record<(typeof COORDINATE_LABELS)[number], [valence: number, arousal: number]>;
/** Softmax temperature over squared distances on the plane. */
const SPREAD = 0.06;

/** Anchors scaled by `gain` (the English model's coordinates onto the plane). */
export const scaleAnchors = (anchors: LabelAnchors, gain: number): LabelAnchors =>
  Object.fromEntries(COORDINATE_LABELS.map((label) => [label, [gain * anchors[label][0], gain * anchors[label][1]]])) as LabelAnchors;

/** A label distribution for a reading: a softmax of the negative squared distances to the anchors (0 for the labels without one). */
export function labelsNearAnchors(valence: number, arousal: number, anchors: LabelAnchors): Record<FaceEmotion, number> {
  const logits = FACE_EMOTIONS.map((label) => {
    const anchor = (anchors as Partial<Record<FaceEmotion, [number, number]>>)[label];
    return anchor ? -((anchor[0] - valence) ** 2 + (anchor[1] - arousal) ** 2) / SPREAD : -Infinity;
  });
  const max = Math.max(...logits);
  const weights = logits.map((l) => Math.exp(l - max));
  const total = weights.reduce((s, x) => s + x, 0);
  return Object.fromEntries(FACE_EMOTIONS.map((label, i) => [label, weights[i] / total])) as Record<FaceEmotion, number>;
}
