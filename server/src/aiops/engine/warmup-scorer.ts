/**
 * Scores the points a fresh AnomalyDetector keeps silent (its warm-up, the first `warmup` points), so that a short
 * series posted to `detect()` (an hour of minutes, a day of hours) still shows a spike or a jump. Causal: point i is
 * judged against the points before it, by its distance from their median in robust standard deviations (1.4826 ×
 * the median absolute deviation, but at least half the standard deviation: a few or tied values can make the median
 * deviation tiny). Few points estimate that spread poorly, so the distance that alarms starts high and comes down as
 * they accumulate: `minZ + youngZ / n`. A history with no spread at all (a constant) takes a millionth of its level,
 * so any real change from a constant alarms.
 */
export class WarmupScorer {
  /** The values seen so far, kept sorted. */
  private readonly sorted: number[] = [];
  private readonly deviations: number[] = [];
  private sum = 0;
  private sumOfSquares = 0;

  constructor(
    private readonly threshold: number,
    private readonly settings = { minPoints: 10, minZ: 6, youngZ: 15, sdShare: 0.5 },
  ) {}

  /** The score of `value` given the values before it (0 until `minPoints` of them), then learns it. */
  score(value: number): number {
    const n = this.sorted.length;
    let score = 0;
    if (n >= this.settings.minPoints) {
      const median = medianOf(this.sorted);
      for (let i = 0; i < n; i++) this.deviations[i] = Math.abs(this.sorted[i] - median);
      this.deviations.length = n;
      this.deviations.sort((a, b) => a - b);
      const spread = Math.max(1.4826 * medianOf(this.deviations), this.settings.sdShare * this.standardDeviation(), 1e-6 * Math.abs(median), Number.MIN_VALUE);
      const z = Math.abs(value - median) / spread;
      const alarmAt = this.settings.minZ + this.settings.youngZ / n;
      // z = alarmAt scores exactly the threshold; twice as far scores about 0.82 at the default 0.58.
      score = 1 - Math.pow(1 - this.threshold, z / alarmAt);
    }
    this.sorted.splice(upperBound(this.sorted, value), 0, value);
    this.sum += value;
    this.sumOfSquares += value * value;
    return score;
  }

  private standardDeviation(): number {
    const n = this.sorted.length;
    const mean = this.sum / n;
    const sd = Math.sqrt(Math.max(0, this.sumOfSquares / n - mean * mean));
    return Number.isFinite(sd) ? sd : 0; // sums of values near the largest double overflow: the median deviation decides
  }
}

function medianOf(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : sorted[mid - 1] / 2 + sorted[mid] / 2;
}

/** The first index whose value is greater than `value` (binary search). */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
