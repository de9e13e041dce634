/**
 * Streaming, causal anomaly detector for one metric series: constant memory (about 7 KB), one parameter set for every
 * series, and the score of point i uses points ≤ i only.
 *
 * Values are read on a signed-log scale (sign(x)·ln(1 + |x|/s₀), s₀ = mean |x| of the first points), where counts,
 * bytes and latencies deviate multiplicatively. Six measures compare each point with the series' own past:
 *   - value: the value leaves the range seen so far (new extremes: spikes, dips, breaks to new levels);
 *   - level: the ~10-point mean leaves the range of past ~10-point means (level shifts, change points);
 *   - volatility: the ~10-point mean |step| leaves its past range, upwards or downwards (variance increases, a signal
 *     that flattens);
 *   - stuck: r exact repeats of the value where a repeat has had probability q: p = max(q, repeatFloor)^r; and, where
 *     flat runs are normal (the longest so far R ≥ runRecordMin points), a run that outlasts R (a signal that stays
 *     flat longer than it ever has), scored once per run like a range exceedance with e = (r − R)/R;
 *   - seasonal: the ~10-point mean residual from the daily or weekly profile (whichever predicts better) leaves its
 *     past range (a day that does not look like that hour of the day / week);
 *   - residual: the distance from the best of four predictors (last value, robust level, daily profile, weekly
 *     profile, chosen online by their recent absolute error), in units of that error, turned into a tail
 *     probability by a forgetting histogram with an exponential tail beyond its 98th percentile (peaks over
 *     threshold, as in SPOT: Siffer et al., KDD 2017).
 * Ranges forget slowly (they relax towards the running mean), so that after a regime change the new normal stops
 * being novel; the volatility range does not (volatilityRangeDecay 0), so a volatility seen before stays normal. In a
 * white (noise-like) series the value, level and seasonal ranges are widened by a noise allowance (two mean absolute
 * errors: what one more draw of the noise may add), so that the chance records of i.i.d. noise are not novel. A
 * range exceedance e scores 1 − exp(−e/c), with c wider while the series is young; the point's score
 * is the largest weighted measure plus a fifth of the others (agreeing measures add evidence), damped for a while after
 * an alarm so that one event gives one alert.
 */
import { ANOMALY_PARAMS, AnomalyParams } from './anomaly-params';

/** The score of one point and the measures behind it. */
export interface AnomalyPointScore {
  /** 0..1; ≥ the detector's threshold is an anomaly. */
  readonly score: number;
  /** The value the best predictor expected (in the series' own units). */
  readonly expected: number;
  /** Each measure's weighted score (0..1) before damping: which kind of deviation drove the score. */
  readonly measures: AnomalyMeasures;
}

export interface AnomalyMeasures {
  readonly value: number;
  readonly level: number;
  readonly volatility: number;
  readonly stuck: number;
  readonly seasonal: number;
  readonly residual: number;
}

const HOUR_MS = 3_600_000;
const DAY_BINS = 24;
const WEEK_BINS = 168;
/** 1970-01-01 was a Thursday: shift so that week bin 0 is Monday 00:00 UTC. */
const WEEK_OFFSET_HOURS = 72;
const BINS = 256;
const BIN_WIDTH = 1 / 16;
const REFRESH = 32;

/**
 * Running distribution of a deviation measure g ≥ 0 with constant memory: an exponentially forgetting histogram gives
 * the upper-tail probability in the body; beyond the tail quantile the tail is exponential with the mean excess
 * over that quantile (peaks over threshold).
 */
class TailProbability {
  private readonly hist = new Float64Array(BINS);
  private readonly tail = new Float64Array(BINS);
  private total = 0;
  private count = 0;
  private tailStart = Infinity;
  private tailMeanExcess = 1;
  private tailMass = 1;

  constructor(
    private readonly alpha: number,
    private readonly tailQuantile: number,
  ) {}

  /** Upper-tail probability of g under the distribution seen so far (1 until there is one), then learn g. */
  observe(g: number): number {
    let p = 1;
    if (this.total > 0) {
      if (g >= this.tailStart) p = this.tailMass * Math.exp(-(g - this.tailStart) / this.tailMeanExcess);
      else p = this.tail[Math.min(BINS - 1, Math.floor(g / BIN_WIDTH))];
    }
    this.hist[Math.min(BINS - 1, Math.floor(g / BIN_WIDTH))] += 1;
    if (++this.count % REFRESH === 0) this.refresh();
    return p;
  }

  save(): TailState {
    const finite = (x: number) => (Number.isFinite(x) ? x : null);
    return {
      hist: Array.from(this.hist),
      tail: Array.from(this.tail),
      total: this.total,
      count: this.count,
      tailStart: finite(this.tailStart),
      tailMeanExcess: this.tailMeanExcess,
      tailMass: this.tailMass,
    };
  }

  load(s: TailState): void {
    this.hist.set(checkedArray(s.hist, BINS, 'residualTail.hist'));
    this.tail.set(checkedArray(s.tail, BINS, 'residualTail.tail'));
    this.total = s.total;
    this.count = s.count;
    this.tailStart = s.tailStart ?? Infinity;
    this.tailMeanExcess = s.tailMeanExcess;
    this.tailMass = s.tailMass;
  }

  private refresh(): void {
    const decay = Math.pow(1 - this.alpha, REFRESH);
    let total = 0;
    for (let b = 0; b < BINS; b++) total += this.hist[b] *= decay;
    this.total = total;
    let above = 0;
    for (let b = BINS - 1; b >= 0; b--) {
      const h = this.hist[b];
      this.tail[b] = (above + 0.5 * h) / total;
      above += h;
    }
    // The exponential tail starts at the lowest bin edge with at most (1 − tailQuantile) of the mass above it.
    const q = (1 - this.tailQuantile) * total;
    let mass = 0;
    let excess = 0;
    let b = BINS - 1;
    while (b > 0 && mass + this.hist[b] <= q) {
      mass += this.hist[b];
      excess += this.hist[b] * (b + 0.5);
      b--;
    }
    this.tailStart = (b + 1) * BIN_WIDTH;
    this.tailMass = Math.max(mass, 0.5) / total;
    this.tailMeanExcess = mass > 0 ? Math.max(BIN_WIDTH, (excess / mass - (b + 1)) * BIN_WIDTH) : BIN_WIDTH * 4;
  }
}

/** The range a feature has taken so far, relaxing slowly towards its running mean; a value outside it is novel. */
class FeatureRange {
  private hi = 0;
  private lo = 0;
  private mean = 0;
  private n = 0;

  constructor(
    private readonly decay: number,
    private readonly meanAlpha: number,
    private readonly extend: number,
  ) {}

  get width(): number {
    return this.hi - this.lo;
  }

  save(): RangeState {
    return { hi: this.hi, lo: this.lo, mean: this.mean, n: this.n };
  }

  load(s: RangeState): void {
    ({ hi: this.hi, lo: this.lo, mean: this.mean, n: this.n } = s);
  }

  /** Values learned so far. */
  get count(): number {
    return this.n;
  }

  /** How far f lies outside the range widened by `allowance` on both sides, in units of the range (0 inside). */
  exceedance(f: number, floor: number, allowance = 0): number {
    if (this.n < 2) return 0;
    return Math.max(0, f - this.hi - allowance, this.lo - allowance - f) / Math.max(this.hi - this.lo, floor);
  }

  learn(f: number): void {
    if (this.n === 0) this.hi = this.lo = this.mean = f;
    this.mean += Math.max(this.meanAlpha, 1 / (this.n + 1)) * (f - this.mean);
    const hi = this.hi - this.decay * (this.hi - this.mean);
    const lo = this.lo + this.decay * (this.mean - this.lo);
    this.hi = f > hi ? hi + this.extend * (f - hi) : hi;
    this.lo = f < lo ? lo - this.extend * (lo - f) : lo;
    this.n++;
  }
}

interface TailState {
  readonly hist: number[];
  readonly tail: number[];
  readonly total: number;
  readonly count: number;
  readonly tailStart: number | null;
  readonly tailMeanExcess: number;
  readonly tailMass: number;
}

interface RangeState {
  readonly hi: number;
  readonly lo: number;
  readonly mean: number;
  readonly n: number;
}

/** Everything a detector has learned, as plain JSON (numbers, arrays, null), to persist a series' detector between runs. */
export interface AnomalyDetectorState {
  readonly version: 1;
  readonly scalars: Record<string, number | null>;
  readonly dayMean: number[];
  readonly dayCount: number[];
  readonly weekMean: number[];
  readonly weekCount: number[];
  readonly predError: number[];
  readonly ranges: { readonly value: RangeState; readonly level: RangeState; readonly volatility: RangeState; readonly seasonal: RangeState };
  readonly residualTail: TailState;
}

const SCALARS = [
  'n',
  'scaleSum',
  'lastValue',
  'level',
  'levelDev',
  'shortMean',
  'stepShort',
  'seasonalShort',
  'sinceAlarm',
  'lastRaw',
  'repeatRun',
  'repeatRate',
  'longestRun',
] as const;

/** Scalars added after version 1 was first persisted: a saved state without them keeps the fresh detector's value. */
const LATER_SCALARS = new Set<string>(['longestRun']);

function checkedArray(xs: unknown, length: number, name: string): number[] {
  if (!Array.isArray(xs) || xs.length !== length || !xs.every((x) => typeof x === 'number')) throw new RangeError(`state.${name} must be ${length} numbers`);
  return xs;
}

/** Streaming anomaly detector for one series. Feed points in time order with `update`. */
export class AnomalyDetector {
  private readonly p: AnomalyParams;
  private n = 0;
  private scaleSum = 0;
  private lastValue = 0;
  private level = 0;
  private levelDev = 0;
  private shortMean = 0;
  private stepShort = 0;
  private seasonalShort = 0;
  private readonly dayMean = new Float64Array(DAY_BINS);
  private readonly dayCount = new Uint32Array(DAY_BINS);
  private readonly weekMean = new Float64Array(WEEK_BINS);
  private readonly weekCount = new Uint32Array(WEEK_BINS);
  /** EW mean absolute error of the predictors: last value, level, daily profile, weekly profile. */
  private readonly predError = new Float64Array(4);
  private readonly preds = new Float64Array(4);
  private readonly valueRange: FeatureRange;
  private readonly levelRange: FeatureRange;
  private readonly volatilityRange: FeatureRange;
  private readonly seasonalRange: FeatureRange;
  private readonly residualTail: TailProbability;
  private sinceAlarm = Infinity;
  private lastRaw = NaN;
  private repeatRun = 0;
  private repeatRate = 0;
  /** Longest completed run of exact repeats so far (points). */
  private longestRun = 0;

  constructor(params: Partial<AnomalyParams> = {}) {
    this.p = { ...ANOMALY_PARAMS, ...params };
    const { rangeDecay, volatilityRangeDecay, levelAlpha, rangeExtend } = this.p;
    this.valueRange = new FeatureRange(rangeDecay, levelAlpha, rangeExtend);
    this.levelRange = new FeatureRange(rangeDecay, levelAlpha, rangeExtend);
    this.volatilityRange = new FeatureRange(volatilityRangeDecay, levelAlpha, rangeExtend);
    this.seasonalRange = new FeatureRange(rangeDecay, levelAlpha, rangeExtend);
    this.residualTail = new TailProbability(this.p.surpriseAlpha, this.p.tailQuantile);
  }

  /** The score at or above which a point is an anomaly (0..1). */
  get threshold(): number {
    return this.p.threshold;
  }

  /** Points seen so far. */
  get count(): number {
    return this.n;
  }

  /** What the detector has learned, as JSON-safe data (restore with `AnomalyDetector.fromState`). */
  toState(): AnomalyDetectorState {
    const scalars: Record<string, number | null> = {};
    for (const k of SCALARS) scalars[k] = Number.isFinite(this[k]) ? this[k] : null;
    return {
      version: 1,
      scalars,
      dayMean: Array.from(this.dayMean),
      dayCount: Array.from(this.dayCount),
      weekMean: Array.from(this.weekMean),
      weekCount: Array.from(this.weekCount),
      predError: Array.from(this.predError),
      ranges: { value: this.valueRange.save(), level: this.levelRange.save(), volatility: this.volatilityRange.save(), seasonal: this.seasonalRange.save() },
      residualTail: this.residualTail.save(),
    };
  }

  /** A detector that continues exactly where the saved one stopped (same parameters expected). Throws RangeError on a malformed state. */
  static fromState(state: AnomalyDetectorState, params: Partial<AnomalyParams> = {}): AnomalyDetector {
    if (state?.version !== 1) throw new RangeError('state.version must be 1');
    const d = new AnomalyDetector(params);
    const infinite = new Set(['sinceAlarm']);
    for (const k of SCALARS) {
      const v = state.scalars[k];
      if (v === undefined && LATER_SCALARS.has(k)) continue;
      if (v !== null && typeof v !== 'number') throw new RangeError(`state.scalars.${k} must be a number or null`);
      d[k] = v ?? (infinite.has(k) ? Infinity : NaN);
    }
    d.dayMean.set(checkedArray(state.dayMean, DAY_BINS, 'dayMean'));
    d.dayCount.set(checkedArray(state.dayCount, DAY_BINS, 'dayCount'));
    d.weekMean.set(checkedArray(state.weekMean, WEEK_BINS, 'weekMean'));
    d.weekCount.set(checkedArray(state.weekCount, WEEK_BINS, 'weekCount'));
    d.predError.set(checkedArray(state.predError, 4, 'predError'));
    d.valueRange.load(state.ranges.value);
    d.levelRange.load(state.ranges.level);
    d.volatilityRange.load(state.ranges.volatility);
    d.seasonalRange.load(state.ranges.seasonal);
    d.residualTail.load(state.residualTail);
    return d;
  }

  /** Scores one point (timestamp in epoch ms, finite value) from the past only, then learns it. */
  update(timestamp: number, value: number): AnomalyPointScore {
    if (!Number.isFinite(value)) throw new RangeError(`value must be a finite number (got ${value})`);
    if (!Number.isFinite(timestamp)) throw new RangeError(`timestamp must be finite epoch milliseconds (got ${timestamp})`);
    const p = this.p;
    if (this.n < p.scalePoints) this.scaleSum += Math.abs(value);
    const s0 = this.scaleSum / Math.min(this.n + 1, p.scalePoints) + 1e-9;
    const x = Math.sign(value) * Math.log1p(Math.abs(value) / s0);
    if (this.n === 0) this.lastValue = this.level = this.shortMean = x;
    const hour = Math.floor(timestamp / HOUR_MS);
    const dayBin = ((hour % DAY_BINS) + DAY_BINS) % DAY_BINS;
    const weekBin = (((hour + WEEK_OFFSET_HOURS) % WEEK_BINS) + WEEK_BINS) % WEEK_BINS;

    // Predictions from the past only; a seasonal profile predicts once its bin has been seen twice.
    const preds = this.preds;
    preds[0] = this.lastValue;
    preds[1] = this.level;
    preds[2] = this.dayCount[dayBin] >= 2 ? this.dayMean[dayBin] : NaN;
    preds[3] = this.weekCount[weekBin] >= 2 ? this.weekMean[weekBin] : NaN;
    let best = 0;
    for (let k = 1; k < 4; k++) if (!Number.isNaN(preds[k]) && this.predError[k] < this.predError[best]) best = k;
    let seasonal = 1;
    for (let k = 2; k < 4; k++) if (!Number.isNaN(preds[k]) && this.predError[k] < this.predError[seasonal]) seasonal = k;
    const floor = p.scaleFloor * (this.valueRange.width + Math.abs(this.level)) + 1e-12;

    const shortMean = this.shortMean + p.shortAlpha * (x - this.shortMean);
    const stepShort = this.stepShort + p.shortAlpha * (Math.abs(x - this.lastValue) - this.stepShort);
    const volatility = Math.log(stepShort + floor);
    const seasonalShort = this.seasonalShort + p.shortAlpha * (x - preds[seasonal] - this.seasonalShort);
    const residualP = this.residualTail.observe(Math.log1p(Math.abs(x - preds[best]) / Math.max(this.predError[best], floor)));

    // A stuck signal: r exact repeats in a row where a repeat has had probability q: p = q^r.
    const repeat = this.n > 0 && value === this.lastRaw;
    if (!repeat) this.longestRun = Math.max(this.longestRun, this.repeatRun);
    this.repeatRun = repeat ? this.repeatRun + 1 : 0;
    // A series that has never changed is flat, not stuck: only a run after the signal has moved counts.
    const stuckP =
      this.n * p.shortAlpha >= 2 && this.repeatRun < this.n ? Math.pow(Math.min(0.999, Math.max(p.repeatFloor, this.repeatRate)), this.repeatRun) : 1;
    this.repeatRate += Math.max(p.levelAlpha, 1 / (this.n + 1)) * ((repeat ? 1 : 0) - this.repeatRate);
    this.lastRaw = value;
    const c = p.noveltyScale * (1 + p.maturity / (this.n + 1));
    const novelty = (e: number) => 1 - Math.exp(-e / c);
    const runRecord = this.runRecordExceedance(c);
    const { value: allowance, short: shortAllowance } = this.noiseAllowance(best);
    const w = p.weights;
    const measures: AnomalyMeasures = {
      value: w.value * novelty(this.valueRange.exceedance(x, floor, allowance)),
      level: w.level * novelty(this.levelRange.exceedance(shortMean, floor, shortAllowance)),
      volatility: w.volatility * novelty(this.volatilityRange.exceedance(volatility, 1e-6)),
      stuck: w.stuck * Math.max(Math.min(1, -Math.log10(stuckP) / p.logScale), novelty(runRecord)),
      // like the level range, the seasonal range speaks once it has learned ~2 short windows
      seasonal:
        seasonal >= 2 && this.seasonalRange.count * p.shortAlpha >= 2
          ? w.seasonal * novelty(this.seasonalRange.exceedance(seasonalShort, floor, shortAllowance))
          : 0,
      residual: w.residual * Math.min(1, -Math.log10(Math.max(residualP, 1e-300)) / p.logScale),
    };
    const all = [measures.value, measures.level, measures.volatility, measures.stuck, measures.seasonal, measures.residual];
    const top = Math.max(...all);
    const rest = all.reduce((a, b) => a + b, 0) - top;
    let score = this.n < p.warmup ? 0 : Math.min(1, top + p.corroboration * rest);
    if (this.sinceAlarm < p.suppression) score *= p.suppressionFactor;
    if (score >= p.threshold) this.sinceAlarm = 0;
    else this.sinceAlarm++;

    this.learn(x, floor, preds, dayBin, weekBin, seasonal >= 2, shortMean, stepShort, volatility, seasonalShort);
    return { score, expected: Math.sign(preds[best]) * s0 * Math.expm1(Math.abs(preds[best])), measures };
  }

  /**
   * How far past its range one more draw of the series' own noise may carry the value (and the ~10-point means), so
   * that only an exceedance beyond it is novel. In a white series (each point a fresh draw around the level) a new
   * extreme is a chance event that comes about once per n points whatever n is, and a slowly forgetting range is
   * touched again at a steady rate; there the allowance is `noiseAllowance` mean absolute errors of the best
   * predictor (about 1.6 σ for Gaussian noise; 0.37 σ for a ~10-point mean, the error scaled by √(α/(2 − α))).
   * Where the last value predicts better than the level (lag-1 correlation ≳ 0.5: drifts, smooth signals, real
   * excursions) a new extreme is a movement, not a draw, and the allowance is 0. Whiteness is read from the
   * predictors' errors: the last value's error over the level's, √2 for white Gaussian noise (1.5 for Laplace),
   * mapped linearly from 1 → 0 to √2 → 1.
   */
  private noiseAllowance(best: number): { value: number; short: number } {
    const p = this.p;
    const ratio = this.predError[0] / Math.max(this.predError[1], Number.MIN_VALUE);
    const whiteness = Math.max(0, Math.min(1, (ratio - 1) / (Math.SQRT2 - 1)));
    const value = p.noiseAllowance * whiteness * this.predError[best];
    return { value, short: value * Math.sqrt(p.shortAlpha / (2 - p.shortAlpha)) };
  }

  /**
   * How far the current run of repeats outlasts the longest completed one, in units of that run (0 when it does not, or
   * while flat runs of runRecordMin points have not been normal). Once the exceedance has scored 0.99 it reads 0 for the
   * rest of the run: the record was broken once, one alert.
   */
  private runRecordExceedance(c: number): number {
    const record = this.longestRun;
    if (record < this.p.runRecordMin || this.repeatRun <= record) return 0;
    const e = (this.repeatRun - record) / record;
    return e <= c * Math.log(100) ? e : 0;
  }

  private learn(
    x: number,
    floor: number,
    preds: Float64Array,
    dayBin: number,
    weekBin: number,
    hasSeason: boolean,
    shortMean: number,
    stepShort: number,
    volatility: number,
    seasonalShort: number,
  ): void {
    const p = this.p;
    for (let k = 0; k < 4; k++) {
      if (Number.isNaN(preds[k])) continue;
      const e = Math.abs(x - preds[k]);
      this.predError[k] += p.errorAlpha * ((this.n > 1 ? Math.min(e, p.clip * (this.predError[k] + floor)) : e) - this.predError[k]);
    }
    const bound = p.clip * (this.levelDev + floor);
    const dev = Math.max(-bound, Math.min(bound, x - this.level));
    this.level += p.levelAlpha * dev;
    this.levelDev += p.levelAlpha * (Math.abs(dev) - this.levelDev);
    this.shortMean = shortMean;
    this.stepShort = stepShort;
    this.seasonalShort = seasonalShort;
    this.valueRange.learn(x);
    // The short features start from a blank state: their ranges learn once they have seen ~2 short windows.
    if (this.n * p.shortAlpha >= 2) {
      this.levelRange.learn(shortMean);
      this.volatilityRange.learn(volatility);
      if (hasSeason) this.seasonalRange.learn(seasonalShort);
    }
    const dc = ++this.dayCount[dayBin];
    this.dayMean[dayBin] += (dc === 1 ? 1 : Math.max(p.seasonAlpha, 1 / dc)) * (x - this.dayMean[dayBin]);
    const wc = ++this.weekCount[weekBin];
    this.weekMean[weekBin] += (wc === 1 ? 1 : Math.max(p.seasonAlpha, 1 / wc)) * (x - this.weekMean[weekBin]);
    this.lastValue = x;
    this.n++;
  }
}
