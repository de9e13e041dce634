/**
 * Capacity forecasts (predictive maintenance) for signals that grow or shrink towards a limit: disk use, log spool
 * size, queue backlog, heap and RSS, database size.
 *
 * The series is put on a regular grid (median step; gaps filled linearly), a daily or weekly season is kept when the
 * autocorrelation of the de-trended series at that lag is clear (≥ 0.3, at least two full periods), and additive
 * Holt–Winters (level, trend, season; Holt 1957, Winters 1960) is fitted by a grid search over its smoothing weights on
 * one-step-ahead squared error. Prediction intervals use the ETS(A,A,A) h-step variance
 * σ²·(1 + Σ_{j<h} (α + βj + γ·[j ≡ 0 mod m])²) (Hyndman et al., Forecasting with Exponential Smoothing, 2008, class 1).
 * Time to exhaustion is when the forecast crosses the limit: `at` for the mean, `earliest` / `latest` for the interval
 * bounds; `alert` is raised when the earliest crossing falls within the warning window.
 */
import { SeriesPoint, toEpochMs } from './detect';

export interface ForecastOptions {
  /** How far to forecast, ms (default: a quarter of the history, at least 24 steps). */
  readonly horizonMs?: number;
  /** The capacity limit in the series' units (e.g. disk bytes, 0 free bytes); enables time to exhaustion. */
  readonly limit?: number;
  /** Central coverage of the prediction interval (default 0.95). */
  readonly level?: number;
  /** 'rising' for an upper limit (disk use), 'falling' for a lower one (free space); default: the side of the limit the last value is on. */
  readonly direction?: 'rising' | 'falling';
  /** Alert when the earliest crossing is within this many ms of the last point (default 7 days). */
  readonly warnWithinMs?: number;
}

export interface ForecastPoint {
  readonly timestamp: number;
  readonly mean: number;
  readonly lower: number;
  readonly upper: number;
}

export interface Exhaustion {
  readonly limit: number;
  /** 'rising' when the series grows towards the limit, 'falling' when it shrinks towards it. */
  readonly direction: 'rising' | 'falling';
  /** When the mean forecast reaches the limit (epoch ms), or null if not within the search horizon. */
  readonly at: number | null;
  /** When the pessimistic bound reaches it (the alert time), or null. */
  readonly earliest: number | null;
  /** When the optimistic bound reaches it, or null. */
  readonly latest: number | null;
  /** ms from the last point to `at` (null if not reached). */
  readonly timeToExhaustionMs: number | null;
  /** The earliest crossing is within the warning window (or the limit is already reached). */
  readonly alert: boolean;
}

export interface ForecastResult {
  /** Grid step, ms. */
  readonly stepMs: number;
  /** Season length in steps (0 = none). */
  readonly seasonSteps: number;
  /** Trend per hour in the series' units at the last point. */
  readonly trendPerHour: number;
  readonly params: { readonly alpha: number; readonly beta: number; readonly gamma: number };
  /** Standard deviation of one-step-ahead errors. */
  readonly sigma: number;
  readonly points: ForecastPoint[];
  readonly exhaustion?: Exhaustion;
}

const DAY_MS = 86_400_000;
const MIN_POINTS = 8;
/** Exhaustion is searched up to this many times the history length ahead. */
const SEARCH_FACTOR = 10;
const MAX_STEPS = 200_000;
const ALPHAS = [0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9];
const BETAS = [0.005, 0.02, 0.05, 0.1, 0.2];
const GAMMAS = [0.05, 0.15, 0.3];

/** Two-sided normal quantile for a central coverage (Acklam's rational approximation). */
export function normalQuantile(p: number): number {
  if (p <= 0 || p >= 1) throw new RangeError('p must be in (0, 1)');
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const q = p < 0.5 ? p : 1 - p;
  let x: number;
  if (q < 0.02425) {
    const r = Math.sqrt(-2 * Math.log(q));
    x = (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) / ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1);
  } else {
    const r = q - 0.5;
    const s = r * r;
    x = ((((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r) / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    return p < 0.5 ? x : -x;
  }
  return p < 0.5 ? x : -x;
}

/** Points → a regular grid (median step, linear interpolation across gaps, averages within a step). */
export function regularize(points: readonly SeriesPoint[]): { start: number; stepMs: number; values: number[] } {
  const ts = points.map((p, i) => toEpochMs(p.timestamp, i));
  points.forEach((p, i) => {
    if (typeof p.value !== 'number' || !Number.isFinite(p.value)) throw new RangeError(`points[${i}].value must be a finite number`);
  });
  const order = ts.map((_, i) => i).sort((a, b) => ts[a] - ts[b]);
  const diffs: number[] = [];
  for (let k = 1; k < order.length; k++) {
    const d = ts[order[k]] - ts[order[k - 1]];
    if (d > 0) diffs.push(d);
  }
  if (diffs.length === 0) throw new RangeError('points must span more than one timestamp');
  diffs.sort((a, b) => a - b);
  const stepMs = diffs[Math.floor(diffs.length / 2)];
  const start = ts[order[0]];
  const n = Math.round((ts[order[order.length - 1]] - start) / stepMs) + 1;
  if (n > MAX_STEPS) throw new RangeError(`points span ${n} steps of ${stepMs} ms; at most ${MAX_STEPS}`);
  const sum = new Float64Array(n);
  const count = new Uint32Array(n);
  for (const i of order) {
    const k = Math.round((ts[i] - start) / stepMs);
    sum[k] += points[i].value;
    count[k]++;
  }
  const values = new Array<number>(n);
  let prev = -1;
  for (let k = 0; k < n; k++) {
    if (count[k] === 0) continue;
    values[k] = sum[k] / count[k];
    for (let j = prev + 1; j < k; j++) values[j] = values[prev] + ((values[k] - values[prev]) * (j - prev)) / (k - prev);
    prev = k;
  }
  return { start, stepMs, values };
}

/** A daily or weekly season (in steps) when the de-trended series shows it, else 0. */
export function detectSeason(values: readonly number[], stepMs: number): number {
  // De-trend with first differences of a centred moving average would cost more; a straight-line fit is enough here.
  const n = values.length;
  const xMean = (n - 1) / 2;
  const yMean = values.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - xMean) * (values[i] - yMean);
    sxx += (i - xMean) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const r = values.map((v, i) => v - yMean - slope * (i - xMean));
  const variance = r.reduce((s, v) => s + v * v, 0);
  if (variance === 0) return 0;
  let best = 0;
  let bestAcf = 0.3;
  for (const periodMs of [DAY_MS, 7 * DAY_MS]) {
    const m = Math.round(periodMs / stepMs);
    if (m < 4 || n < 2 * m) continue;
    let acf = 0;
    for (let i = m; i < n; i++) acf += r[i] * r[i - m];
    acf /= variance;
    if (acf > bestAcf) {
      bestAcf = acf;
      best = m;
    }
  }
  return best;
}

interface Fit {
  alpha: number;
  beta: number;
  gamma: number;
  sse: number;
  level: number;
  trend: number;
  season: Float64Array;
  errors: number;
}

/** Additive Holt–Winters over the values with given weights; returns the final state and one-step SSE. */
function holtWinters(values: readonly number[], m: number, alpha: number, beta: number, gamma: number): Fit {
  const n = values.length;
  const season = new Float64Array(Math.max(m, 1));
  let level: number;
  let trend: number;
  let start: number;
  if (m > 0) {
    // Initial level/trend from the first two seasons' means, season from the first season's deviations.
    let a = 0;
    let b = 0;
    for (let i = 0; i < m; i++) {
      a += values[i];
      b += values[i + m];
    }
    a /= m;
    b /= m;
    level = a;
    trend = (b - a) / m;
    for (let i = 0; i < m; i++) season[i] = values[i] - (a + trend * (i - (m - 1) / 2));
    level = a + trend * ((m - 1) / 2);
    start = m;
  } else {
    level = values[0];
    trend = values[1] - values[0];
    start = 1;
  }
  let sse = 0;
  let errors = 0;
  for (let i = start; i < n; i++) {
    const s = m > 0 ? season[i % m] : 0;
    const predicted = level + trend + s;
    const e = values[i] - predicted;
    sse += e * e;
    errors++;
    const newLevel = predicted - s + alpha * e;
    trend = trend + alpha * beta * e;
    if (m > 0) season[i % m] = s + gamma * (1 - alpha) * e;
    level = newLevel;
  }
  return { alpha, beta, gamma, sse, level, trend, season, errors };
}

/**
 * Forecasts a capacity signal with a prediction interval and, given a limit, the time to exhaustion.
 * Throws RangeError naming the bad field.
 */
export function forecast(points: readonly SeriesPoint[], options: ForecastOptions = {}): ForecastResult {
  if (points.length < MIN_POINTS) throw new RangeError(`points must have at least ${MIN_POINTS} entries`);
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError('level must be between 0 and 1');
  if (options.limit !== undefined && !Number.isFinite(options.limit)) throw new RangeError('limit must be a finite number');
  const { start, stepMs, values } = regularize(points);
  const n = values.length;
  const m = detectSeason(values, stepMs);
  let best: Fit | undefined;
  for (const alpha of ALPHAS)
    for (const beta of BETAS)
      for (const gamma of m > 0 ? GAMMAS : [0]) {
        const fit = holtWinters(values, m, alpha, beta, gamma);
        if (!best || fit.sse < best.sse) best = fit;
      }
  const fit = best!;
  const sigma = Math.sqrt(fit.sse / Math.max(1, fit.errors - 2));
  const z = -normalQuantile((1 - level) / 2);
  const last = start + (n - 1) * stepMs;
  const horizonSteps = Math.max(24, Math.ceil((options.horizonMs ?? ((n - 1) * stepMs) / 4) / stepMs));
  if (horizonSteps > MAX_STEPS) throw new RangeError(`horizonMs covers ${horizonSteps} steps; at most ${MAX_STEPS}`);

  // The h-step mean and interval half-width, for h = 1, 2, … (variance accumulated incrementally).
  let cumulative = 0;
  const at = (h: number): ForecastPoint => {
    const s = m > 0 ? fit.season[(n - 1 + h) % m] : 0;
    const mean = fit.level + h * fit.trend + s;
    const half = z * sigma * Math.sqrt(1 + cumulative);
    const j = h;
    const c = fit.alpha * (1 + j * fit.beta) + (m > 0 && j % m === 0 ? fit.gamma * (1 - fit.alpha) : 0);
    cumulative += c * c;
    return { timestamp: last + h * stepMs, mean, lower: mean - half, upper: mean + half };
  };
  const out: ForecastPoint[] = [];
  let exhaustion: Exhaustion | undefined;
  const limit = options.limit;
  const searchSteps = limit === undefined ? horizonSteps : Math.min(MAX_STEPS, Math.max(horizonSteps, SEARCH_FACTOR * n));
  const rising = options.direction ? options.direction === 'rising' : limit !== undefined && limit >= values[n - 1];
  const reached = (v: number) => (rising ? v >= limit! : v <= limit!);
  let tMean: number | null = null;
  let tEarly: number | null = null;
  let tLate: number | null = null;
  for (let h = 1; h <= searchSteps; h++) {
    const p = at(h);
    if (h <= horizonSteps) out.push(p);
    if (limit === undefined) continue;
    if (tMean === null && reached(p.mean)) tMean = p.timestamp;
    if (tEarly === null && reached(rising ? p.upper : p.lower)) tEarly = p.timestamp;
    if (tLate === null && reached(rising ? p.lower : p.upper)) tLate = p.timestamp;
    if (tLate !== null && h >= horizonSteps) break;
  }
  if (limit !== undefined) {
    const lastValue = values[n - 1];
    const already = rising ? lastValue >= limit : lastValue <= limit;
    const warn = options.warnWithinMs ?? 7 * DAY_MS;
    exhaustion = {
      limit,
      direction: rising ? 'rising' : 'falling',
      at: already ? last : tMean,
      earliest: already ? last : tEarly,
      latest: already ? last : tLate,
      timeToExhaustionMs: already ? 0 : tMean === null ? null : tMean - last,
      alert: already || (tEarly !== null && tEarly - last <= warn),
    };
  }
  return {
    stepMs,
    seasonSteps: m,
    trendPerHour: (fit.trend * 3_600_000) / stepMs,
    params: { alpha: fit.alpha, beta: fit.beta, gamma: fit.gamma },
    sigma,
    points: out,
    exhaustion,
  };
}
