import { EMOTION_CIRCUMPLEX } from './emotion-circumplex';
import { type Emotion, FACE_EMOTIONS, type VoiceEmotion, VOICE_EMOTIONS } from './types';

/**
 * Where each label sits on the valence/arousal plane ([-1, 1] each): the face engine's table (Russell & Mehrabian
 * 1977, see emotion-circumplex.ts) plus boredom from the same study (pleasure −.65, arousal −.62), which only the voice
 * reports. Every modality maps its probabilities through this one table, so their valence/arousal are comparable.
 */
export const LABEL_AFFECT: Readonly<Record<VoiceEmotion, { valence: number; arousal: number }>> = {
  ...EMOTION_CIRCUMPLEX,
  bored: { valence: -0.65, arousal: -0.62 },
};

export const clamp1 = (x: number): number => Math.max(-1, Math.min(1, x));
export const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * A distribution (non-negative, summing to 1) to three decimals that still sums to exactly 1: each value rounded down,
 * then the thousandths left over go to the largest remainders (Hamilton's method), as `keys` lists them.
 */
export function roundDistribution<K extends string>(values: Partial<Record<K, number>>, keys: readonly K[]): Record<K, number> {
  const total = keys.reduce((sum, k) => sum + Math.max(0, values[k] ?? 0), 0);
  const scaled = keys.map((k) => (total > 0 ? (Math.max(0, values[k] ?? 0) / total) * 1000 : 1000 / keys.length));
  const thousandths = scaled.map(Math.floor);
  let left = 1000 - thousandths.reduce((a, b) => a + b, 0);
  for (const i of scaled.map((_, i) => i).sort((a, b) => scaled[b] - thousandths[b] - (scaled[a] - thousandths[a]))) {
    if (left-- <= 0) break;
    thousandths[i] += 1;
  }
  return Object.fromEntries(keys.map((k, i) => [k, thousandths[i] / 1000])) as Record<K, number>;
}

/** Expected valence/arousal under a label distribution (labels missing from `probabilities` count as 0). */
export function affectOfProbabilities(probabilities: Partial<Record<Emotion, number>>): { valence: number; arousal: number } {
  let valence = 0;
  let arousal = 0;
  let total = 0;
  for (const label of VOICE_EMOTIONS) {
    const p = probabilities[label] ?? 0;
    valence += p * LABEL_AFFECT[label].valence;
    arousal += p * LABEL_AFFECT[label].arousal;
    total += p;
  }
  return total > 0 ? { valence: valence / total, arousal: arousal / total } : { valence: 0, arousal: 0 };
}

/** The most probable label (ties: the first in `labels` order). */
export function argmaxLabel<L extends Emotion>(probabilities: Partial<Record<L, number>>, labels: readonly L[]): L {
  let best = labels[0];
  for (const label of labels) if ((probabilities[label] ?? 0) > (probabilities[best] ?? 0)) best = label;
  return best;
}

/**
 * A label distribution over the seven shared labels for a point of the plane: a softmax of the negative squared
 * distance to each label's position (temperature `spread`). Used where a model predicts coordinates, not labels.
 */
export function probabilitiesNear(valence: number, arousal: number, spread = 0.12): Record<(typeof FACE_EMOTIONS)[number], number> {
  const logits = FACE_EMOTIONS.map((label) => -((LABEL_AFFECT[label].valence - valence) ** 2 + (LABEL_AFFECT[label].arousal - arousal) ** 2) / spread);
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((s, e) => s + e, 0);
  return Object.fromEntries(FACE_EMOTIONS.map((label, i) => [label, exps[i] / sum])) as Record<(typeof FACE_EMOTIONS)[number], number>;
}

/**
 * A text's label distribution from its coordinates' distribution and the explicit emotion words found in it (weights
 * per label): words name the label (65%), the coordinates keep the rest; without words, the coordinates alone.
 */
export function withEmotionCues(
  fromCoordinates: Readonly<Record<(typeof FACE_EMOTIONS)[number], number>>,
  cues: ReadonlyMap<(typeof FACE_EMOTIONS)[number], number>,
): Record<(typeof FACE_EMOTIONS)[number], number> {
  const total = [...cues.values()].reduce((s, x) => s + x, 0);
  if (!total) return { ...fromCoordinates };
  return Object.fromEntries(FACE_EMOTIONS.map((l) => [l, 0.35 * fromCoordinates[l] + (0.65 * (cues.get(l) ?? 0)) / total])) as Record<
    (typeof FACE_EMOTIONS)[number],
    number
  >;
}
