/** The stateless form of the anomaly detector: score a whole series at once (still causally, point by point). */
import { AnomalyDetector } from './anomaly-detector';
import { AnomalyParams } from './anomaly-params';

/** One point of a series: timestamp as epoch ms or an ISO-8601 string. */
export interface SeriesPoint {
  readonly timestamp: number | string;
  readonly value: number;
}

/** A run of anomalous points (indices into the input, inclusive) and its highest score. */
export interface AnomalySpan {
  readonly start: number;
  readonly end: number;
  readonly score: number;
}

export interface DetectResult {
  /** 0..1 per point, same order as the input; the score of point i depends on points 0..i only. */
  readonly scores: number[];
  readonly threshold: number;
  readonly anomalies: AnomalySpan[];
}

/** Largest series `detect` accepts. */
export const MAX_DETECT_POINTS = 200_000;

/** Alarms closer than this many points belong to one anomaly span. */
const SPAN_GAP = 10;

/** An ISO-8601 string or epoch ms → epoch ms; RangeError naming the index when it is neither. */
export function toEpochMs(timestamp: number | string, index: number): number {
  const t = typeof timestamp === 'number' ? timestamp : Date.parse(timestamp);
  if (!Number.isFinite(t)) throw new RangeError(`points[${index}].timestamp is not epoch milliseconds or an ISO-8601 date`);
  return t;
}

/**
 * Scores every point of a series with a fresh `AnomalyDetector` (one parameter set), causally in input order, and
 * groups the points at or above the threshold into spans. Throws RangeError naming the first bad field.
 */
export function detect(points: readonly SeriesPoint[], params: Partial<AnomalyParams> = {}): DetectResult {
  if (points.length === 0) throw new RangeError('points must not be empty');
  if (points.length > MAX_DETECT_POINTS) throw new RangeError(`points has ${points.length} entries; at most ${MAX_DETECT_POINTS}`);
  const detector = new AnomalyDetector(params);
  const scores = new Array<number>(points.length);
  const anomalies: AnomalySpan[] = [];
  let open: { start: number; end: number; score: number } | undefined;
  for (let i = 0; i < points.length; i++) {
    const { timestamp, value } = points[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`points[${i}].value must be a finite number`);
    const score = detector.update(toEpochMs(timestamp, i), value).score;
    scores[i] = score;
    if (score < detector.threshold) continue;
    if (open && i - open.end <= SPAN_GAP) {
      open.end = i;
      open.score = Math.max(open.score, score);
    } else {
      if (open) anomalies.push(open);
      open = { start: i, end: i, score };
    }
  }
  if (open) anomalies.push(open);
  return { scores, threshold: detector.threshold, anomalies };
}
