import type { FaceEmotion } from './types';

/**
 * Where each expression label sits on the valence (pleasure) and arousal axes, in [-1, 1].
 *
 * Source: Russell & Mehrabian (1977), "Evidence for a three-factor theory of emotions", Journal of Research in
 * Personality 11, 273–294: the pleasure and arousal means of the emotion terms, as tabulated for the basic expressions
 * (anger −.51/.59, disgust −.60/.35, fear −.64/.60, happiness .81/.51, sadness −.63/−.27, surprise .40/.67); neutral is
 * the origin. A probability vector maps to the expectation over this table, so an uncertain face lands near the centre.
 */
export const EMOTION_CIRCUMPLEX: Readonly<Record<FaceEmotion, { valence: number; arousal: number }>> = {
  neutral: { valence: 0, arousal: 0 },
  happy: { valence: 0.81, arousal: 0.51 },
  sad: { valence: -0.63, arousal: -0.27 },
  angry: { valence: -0.51, arousal: 0.59 },
  fearful: { valence: -0.64, arousal: 0.6 },
  disgusted: { valence: -0.6, arousal: 0.35 },
  surprised: { valence: 0.4, arousal: 0.67 },
};

/** Valence and arousal in [-1, 1] as the probability-weighted mean of the labels' coordinates. */
export function affectOf(probabilities: Partial<Record<FaceEmotion, number>>): { valence: number; arousal: number } {
  let valence = 0;
  let arousal = 0;
  let total = 0;
  for (const [emotion, p] of Object.entries(probabilities) as [FaceEmotion, number][]) {
    const point = EMOTION_CIRCUMPLEX[emotion];
    if (!point || !(p > 0)) continue;
    valence += p * point.valence;
    arousal += p * point.arousal;
    total += p;
  }
  return total > 0 ? { valence: valence / total, arousal: arousal / total } : { valence: 0, arousal: 0 };
}
