/**
 * The emotional arc: per-scene valence smoothed over the story's course, and its shape among the six of Reagan et al.
 * (2016, "The emotional arcs of stories are dominated by six basic shapes"): rags to riches (rise), tragedy (fall),
 * man in a hole (fall–rise), Icarus (rise–fall), Cinderella (rise–fall–rise), Oedipus (fall–rise–fall). The arc is
 * resampled on the story's length (a long scene lasts longer) and correlated with each shape's template; the best
 * correlation wins, and a flat arc (little movement) is still given its closest shape with a low `fit`.
 */
import { ARC_SHAPES, type ArcShape } from '../types';
import { pearson } from '../../../core/math/pearson';

const TEMPLATES: Record<ArcShape, (x: number) => number> = {
  'rags-to-riches': (x) => x,
  tragedy: (x) => -x,
  'man-in-a-hole': (x) => Math.cos(2 * Math.PI * x),
  icarus: (x) => -Math.cos(2 * Math.PI * x),
  cinderella: (x) => -Math.cos(3 * Math.PI * x),
  oedipus: (x) => Math.cos(3 * Math.PI * x),
};

const POINTS = 48;

/**
 * Gaussian smoothing over story position (σ = `width` × story length), each scene weighted by its length, so one odd
 * scene does not make a turn but a long stretch does.
 */
export function smoothArc(values: readonly number[], lengths: readonly number[], width = 0.08): number[] {
  const total = lengths.reduce((s, l) => s + l, 0) || 1;
  const centres: number[] = [];
  let at = 0;
  for (const l of lengths) {
    centres.push((at + l / 2) / total);
    at += l;
  }
  return centres.map((c) => {
    let sum = 0;
    let norm = 0;
    centres.forEach((d, j) => {
      const w = lengths[j] * Math.exp(-(((c - d) / width) ** 2) / 2);
      sum += w * values[j];
      norm += w;
    });
    return norm > 0 ? sum / norm : 0;
  });
}

/** The arc sampled at POINTS evenly spaced story positions (step-wise per scene, by length). */
export function resampleArc(values: readonly number[], lengths: readonly number[], points = POINTS): number[] {
  const total = lengths.reduce((s, l) => s + l, 0) || 1;
  const centres: number[] = [];
  let at = 0;
  for (const l of lengths) {
    centres.push((at + l / 2) / total);
    at += l;
  }
  return Array.from({ length: points }, (_, i) => {
    const x = (i + 0.5) / points;
    if (x <= centres[0]) return values[0];
    if (x >= centres[centres.length - 1]) return values[values.length - 1];
    const j = centres.findIndex((c) => c >= x);
    const t = (x - centres[j - 1]) / (centres[j] - centres[j - 1]);
    return values[j - 1] + t * (values[j] - values[j - 1]);
  });
}

export interface ArcShapeFit {
  shape: ArcShape;
  /** Correlation of the arc with the winning template (−1 … 1). */
  fit: number;
  /** Correlation with every template. */
  scores: Record<ArcShape, number>;
  /** Peak-to-trough range of the smoothed arc (valence units): how much the story moves at all. */
  range: number;
}

export function classifyArc(smoothed: readonly number[], lengths: readonly number[]): ArcShapeFit {
  const sampled = resampleArc(smoothed, lengths);
  const scores = Object.fromEntries(
    ARC_SHAPES.map((shape) => [
      shape,
      Math.round(
        1000 *
          pearson(
            sampled,
            sampled.map((_, i) => TEMPLATES[shape]((i + 0.5) / sampled.length)),
          ),
      ) / 1000,
    ]),
  ) as Record<ArcShape, number>;
  const shape = ARC_SHAPES.reduce((best, s) => (scores[s] > scores[best] ? s : best), ARC_SHAPES[0]);
  return { shape, fit: scores[shape], scores, range: Math.max(...smoothed) - Math.min(...smoothed) };
}

/** Template value of a shape at story position x ∈ [0, 1] (for tests and the evaluation's synthetic stories). */
export function arcTemplate(shape: ArcShape, x: number): number {
  return TEMPLATES[shape](x);
}
