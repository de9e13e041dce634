/** The stateless form of the anomaly detector: score a whole series at once (still causally, point by point). */
import { AnomalyDetector } from './anomaly-detector';
import { ANOMALY_PARAMS, AnomalyParams } from './anomaly-params';
import { probationaryLength } from './nab-score';
import { WarmupScorer } from './warmup-scorer';

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
 * groups the points at or above the threshold into spans. Like a NAB detector it may use the series length (not its
 * later values): a second detector on block means, with blocks sized from NAB's probationary period, adds a coarse
 * level-shift measure (`coarseBlocks`). The detector's warm-up (its first `warmup` points, where it stays silent) is
 * scored by a WarmupScorer instead, so that short series are judged too; those scores do not start the detector's
 * suppression (NAB never scores them: they lie in its probationary period). Throws RangeError naming the first bad
 * field.
 */
export function detect(points: readonly SeriesPoint[], params: Partial<AnomalyParams> = {}): DetectResult {
  if (points.length === 0) throw new RangeError('points must not be empty');
  if (points.length > MAX_DETECT_POINTS) throw new RangeError(`points has ${points.length} entries; at most ${MAX_DETECT_POINTS}`);
  const detector = new AnomalyDetector(params);
  const p = { ...ANOMALY_PARAMS, ...params };
  const blocks = p.coarseBlocks;
  const blockSize = Math.max(2, Math.round(probationaryLength(points.length) / Math.max(1, blocks)));
  // No noise allowance on the coarse scale: a small sustained shift moves the block means' ~10-block mean past its
  // range a little per block, each step within the allowance, so the allowance would hide exactly what this scale is for.
  const coarse = blocks > 0 ? new AnomalyDetector({ ...params, warmup: blocks, scalePoints: blocks, noiseAllowance: 0 }) : undefined;
  let blockSum = 0;
  let blockCount = 0;
  let sinceAlarm = Infinity;
  const warmup = new WarmupScorer(detector.threshold);
  const scores = new Array<number>(points.length);
  const anomalies: AnomalySpan[] = [];
  let open: { start: number; end: number; score: number } | undefined;
  for (let i = 0; i < points.length; i++) {
    const { timestamp, value } = points[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`points[${i}].value must be a finite number`);
    const t = toEpochMs(timestamp, i);
    let score = detector.update(t, value).score;
    if (coarse) {
      // The mean summed in parts, so that values near the largest double do not overflow it.
      blockSum += value / blockSize;
      if (++blockCount === blockSize) {
        const level = coarse.update(t, blockSum).measures.level;
        if (coarse.count > blocks && i >= p.warmup) score = Math.max(score, level);
        blockSum = 0;
        blockCount = 0;
      }
      // one event, one alert across both time scales
      if (sinceAlarm < p.suppression) score *= p.suppressionFactor;
      sinceAlarm = score >= p.threshold ? 0 : sinceAlarm + 1;
    }
    if (i < p.warmup) score = Math.max(score, warmup.score(value));
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
