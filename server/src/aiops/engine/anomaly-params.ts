/**
 * The one parameter set of the anomaly detector, used for every series (no per-series tuning). Rates are per point:
 * an exponential weight α forgets with a half-life of ln 2 / α points. Chosen on NAB (docs/aiops-engine.md says how).
 */
export interface AnomalyParams {
  /** Points learned before any score is reported (the score is 0 meanwhile). */
  readonly warmup: number;
  /** Points whose mean |value| sets the scale s₀ of the signed-log transform sign(x)·ln(1 + |x|/s₀). */
  readonly scalePoints: number;
  /** Weight of the robust level (long baseline) and of the running means the feature ranges relax towards. */
  readonly levelAlpha: number;
  /** Weight of the short-window features (short mean, short mean |step|, short seasonal residual): about 10 points. */
  readonly shortAlpha: number;
  /** Weight of the predictors' mean absolute error. */
  readonly errorAlpha: number;
  /** Weight of a seasonal bin's mean per visit (the first visits are plain averages). */
  readonly seasonAlpha: number;
  /** Deviations are clipped at this many mean absolute errors when learned (Huber-style robustness). */
  readonly clip: number;
  /** Per point, each feature's observed range relaxes by this fraction towards its running mean (long memory). */
  readonly rangeDecay: number;
  /**
   * The same for the volatility range (log of the ~10-point mean |step|). 0: it never shrinks, so a volatility the
   * series has shown before is not novel again later; a variance increase beyond anything seen still is.
   */
  readonly volatilityRangeDecay: number;
  /** A feature outside its range moves the range edge this fraction of the way (1 = at once). */
  readonly rangeExtend: number;
  /** Smallest probability assumed for an exact repeat of the previous value (stuck-signal measure). */
  readonly repeatFloor: number;
  /**
   * A run of repeats longer than the longest so far is scored (stuck measure) once runs of at least this many points
   * have been seen: series that idle flat (zeros between bursts) are not stuck when flat, but when flat for longer
   * than ever.
   */
  readonly runRecordMin: number;
  /** Scale floor as a fraction of (range + |level|), for flat or quantised series. */
  readonly scaleFloor: number;
  /** A range exceedance e (in units of the range) scores 1 − exp(−e/c), c = noveltyScale·(1 + maturity/n). */
  readonly noveltyScale: number;
  /** Points over which young ranges are trusted less (the novelty scale starts (1 + maturity) times wider). */
  readonly maturity: number;
  /**
   * In a white series (the last value predicts no better than the level), the value, level and seasonal ranges are
   * widened on both sides by this many mean absolute errors of the best predictor (scaled by √(α/(2 − α)) for the
   * ~10-point means) before an exceedance counts: a record that one more draw of the noise could set is not novel.
   * The widening fades linearly to 0 as the lag-1 correlation rises to about 0.5. 0 turns it off. `detect()`'s coarse
   * detector runs without it (its level measure is there for small sustained shifts, which creep past their range).
   */
  readonly noiseAllowance: number;

  /** Weights of the measures in the combined score. */
  readonly weights: {
    readonly value: number;
    readonly level: number;
    readonly volatility: number;
    readonly stuck: number;
    readonly seasonal: number;
    readonly residual: number;
  };
  /** Forgetting weight of the residual measure's histogram. */
  readonly surpriseAlpha: number;
  /** Quantile of the residual measure beyond which its tail is modelled as exponential (peaks over threshold). */
  readonly tailQuantile: number;
  /** Residual score = −log10(p)/logScale, clipped to [0, 1]. */
  readonly logScale: number;
  /** Points after an alarm during which scores are damped, so that one event gives one alert. */
  readonly suppression: number;
  /** score = largest weighted measure + corroboration × the sum of the others (clipped to 1): agreeing measures add evidence. */
  readonly corroboration: number;
  /** Multiplier of scores during suppression. */
  readonly suppressionFactor: number;
  /** Scores ≥ this are anomalies (the threshold NAB's optimiser also picks for this parameter set). */
  readonly threshold: number;
  /**
   * `detect()` only (it knows the series length n): a second detector reads the means of blocks of
   * max(2, round(probation / coarseBlocks)) points, probation = min(⌊0.15·n⌋, 750) as in NAB, so that it sees the
   * series at a time scale tied to its length (the probation is coarseBlocks blocks); once it has seen that many
   * blocks, its level measure joins the score by max at each block's last point. 0 turns it off.
   */
  readonly coarseBlocks: number;
}

export const ANOMALY_PARAMS: AnomalyParams = {
  warmup: 100,
  scalePoints: 100,
  levelAlpha: 0.02,
  shortAlpha: 0.1,
  errorAlpha: 0.02,
  seasonAlpha: 0.25,
  clip: 4,
  rangeDecay: 0.0001,
  volatilityRangeDecay: 0,
  rangeExtend: 1,
  repeatFloor: 0.5,
  runRecordMin: 100,
  scaleFloor: 0.001,
  noveltyScale: 0.05,
  maturity: 300,
  noiseAllowance: 2,

  weights: { value: 1, level: 1, volatility: 0.7, stuck: 0.7, seasonal: 1, residual: 1 },
  surpriseAlpha: 0.002,
  tailQuantile: 0.98,
  logScale: 10,
  suppression: 100,
  suppressionFactor: 0.5,
  corroboration: 0.2,
  threshold: 0.58,
  coarseBlocks: 40,
};
