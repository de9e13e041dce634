import { AnomalyDetector } from './anomaly-detector';
import { ANOMALY_PARAMS } from './anomaly-params';
import { detect, MAX_DETECT_POINTS, SeriesPoint } from './detect';

const FIVE_MIN = 300_000;
const T0 = Date.UTC(2024, 0, 1);

/** Deterministic standard-normal noise (mulberry32 + Box–Muller). */
function noise(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

/** 5-minute series of n points with value f(i) plus N(0, sd²) noise. */
function series(n: number, f: (i: number) => number, sd = 1, seed = 1): SeriesPoint[] {
  const z = noise(seed);
  return Array.from({ length: n }, (_, i) => ({ timestamp: T0 + i * FIVE_MIN, value: f(i) + sd * z() }));
}

const daily = (i: number) => 100 + 30 * Math.sin((2 * Math.PI * i) / 288);
const alarmsIn = (scores: number[], threshold: number, from: number, to: number) => scores.slice(from, to).filter((s) => s >= threshold).length;

describe('AnomalyDetector', () => {
  it('is causal: the score of point i does not change when later points are added', () => {
    const points = series(3000, daily, 2);
    points[2000] = { ...points[2000], value: 400 };
    const detector = new AnomalyDetector();
    const streamed = points.map((p) => detector.update(p.timestamp as number, p.value).score);
    const prefix = new AnomalyDetector();
    expect(points.slice(0, 2001).map((p) => prefix.update(p.timestamp as number, p.value).score)).toEqual(streamed.slice(0, 2001));
  });

  it('detect() is causal given the length: later values do not change earlier scores', () => {
    // Like a NAB detector, detect() may use the series length (its coarse block size), never later values.
    const points = series(3000, daily, 2);
    const changed = points.map((p, i) => (i > 2000 ? { ...p, value: p.value * 3 + 500 } : p));
    expect(detect(changed).scores.slice(0, 2001)).toEqual(detect(points).scores.slice(0, 2001));
  });

  it('flags a small sustained shift sooner on the coarse time scale', () => {
    const points = series(10_000, (i) => (i < 8000 ? 50 : 53), 5, 7);
    // points after the shift until the first alarm (Infinity: none)
    const firstAlarm = (coarseBlocks: number) => {
      const { scores, threshold } = detect(points, { coarseBlocks });
      const i = scores.findIndex((s, k) => k >= 8000 && s >= threshold);
      return i < 0 ? Infinity : i - 8000;
    };
    const withCoarse = firstAlarm(ANOMALY_PARAMS.coarseBlocks);
    expect(withCoarse).toBeGreaterThanOrEqual(0);
    expect(withCoarse).toBeLessThan(200);
    // without the coarse scale later, or (0.6 σ is inside the noise allowance of the ~10-point mean) not at all
    expect(withCoarse).toBeLessThan(firstAlarm(0));
  });

  it('flags a spike on a noisy daily pattern and stays quiet elsewhere', () => {
    const points = series(4000, daily, 2);
    points[3000] = { ...points[3000], value: daily(3000) + 60 };
    const { scores, threshold, anomalies } = detect(points);
    expect(scores[3000]).toBeGreaterThanOrEqual(threshold);
    expect(anomalies.some((a) => a.start <= 3000 && a.end >= 3000)).toBe(true);
    expect(alarmsIn(scores, threshold, 1000, 2990)).toBe(0);
  });

  it('flags a level shift within a few points', () => {
    const points = series(3000, (i) => (i < 2000 ? 50 : 65), 2);
    const { scores, threshold } = detect(points);
    expect(alarmsIn(scores, threshold, 2000, 2010)).toBeGreaterThan(0);
    expect(Math.max(...scores.slice(2000, 2010))).toBeGreaterThan(Math.max(...scores.slice(800, 2000)));
  });

  it('flags a variance increase that stays inside the usual range of values', () => {
    const z = noise(7);
    const points = Array.from({ length: 3000 }, (_, i) => ({ timestamp: T0 + i * FIVE_MIN, value: 50 + (i < 2000 ? 1 : 6) * Math.tanh(z() / 3) * 3 }));
    const detector = new AnomalyDetector();
    const results = points.map((p) => detector.update(p.timestamp, p.value));
    const after = results.slice(2000, 2100);
    expect(after.some((r) => r.score >= detector.threshold)).toBe(true);
    expect(Math.max(...after.map((r) => r.measures.volatility))).toBeGreaterThanOrEqual(detector.threshold);
  });

  it('does not flag a volatility the series has shown before, however long ago (the volatility range does not forget)', () => {
    const z = noise(11);
    const busy = (i: number) => (i >= 2000 && i < 2300) || (i >= 10_300 && i < 10_600);
    const values = Array.from({ length: 10_600 }, (_, i) => 50 + (busy(i) ? 6 : 1) * Math.tanh(z() / 3) * 3);
    const secondBusyVolatility = (params: ConstructorParameters<typeof AnomalyDetector>[0]) => {
      const detector = new AnomalyDetector(params);
      const results = values.map((v, i) => detector.update(T0 + i * FIVE_MIN, v));
      return { max: Math.max(...results.slice(10_300).map((r) => r.measures.volatility)), threshold: detector.threshold };
    };
    const kept = secondBusyVolatility({});
    expect(kept.max).toBeLessThan(kept.threshold);
    // with a forgetting volatility range the same return is novel again
    const forgetting = secondBusyVolatility({ volatilityRangeDecay: ANOMALY_PARAMS.rangeDecay });
    expect(forgetting.max).toBeGreaterThanOrEqual(forgetting.threshold);
  });

  it('flags a signal that flatlines', () => {
    const points = series(3000, (i) => (i < 2000 ? 50 : NaN), 3);
    for (let i = 2000; i < 3000; i++) points[i] = { timestamp: points[i].timestamp, value: 50 };
    const detector = new AnomalyDetector();
    const results = points.map((p) => detector.update(p.timestamp as number, p.value));
    const first = results.findIndex((r, i) => i >= 2000 && r.score >= detector.threshold);
    expect(first).toBeGreaterThanOrEqual(2000);
    expect(first).toBeLessThan(2050);
    const m = results[first].measures;
    expect(Math.max(m.volatility, m.stuck)).toBe(Math.max(m.value, m.level, m.volatility, m.stuck, m.seasonal, m.residual));
  });

  it('flags a signal that idles flat between bursts when it stays flat longer than it ever has, once', () => {
    // Bursts of noisy values separated by runs of exact zeros of 100–160 points (disk writes, queue throughput), then a
    // run of 600 zeros. Zero runs are normal here, so only outlasting the longest one (160) is news.
    const z = noise(3);
    const values: number[] = [];
    for (let k = 0; k < 25; k++) {
      for (let i = 0; i < 20; i++) values.push(100 + 20 * z());
      for (let i = 0; i < 100 + ((k * 37) % 61); i++) values.push(0);
    }
    for (let i = 0; i < 20; i++) values.push(100 + 20 * z());
    const start = values.length;
    for (let i = 0; i < 600; i++) values.push(0);
    const alarms = (runRecordMin?: number) => {
      const detector = new AnomalyDetector(runRecordMin === undefined ? {} : { runRecordMin });
      const scores = values.map((v, i) => detector.update(T0 + i * FIVE_MIN, v).score);
      return scores.flatMap((s, i) => (i >= start && s >= detector.threshold ? [i - start] : []));
    };
    const found = alarms();
    expect(found).toHaveLength(1);
    expect(found[0]).toBeGreaterThan(160);
    expect(found[0]).toBeLessThan(200);
    expect(alarms(Infinity)).toHaveLength(0);
  });

  it('flags a missing daily peak from the seasonal profile although every value is in range', () => {
    // Ten days of a daily pattern; on day 8 the afternoon peak does not come (the value stays at its night level).
    const base = (i: number) => 100 + 40 * Math.max(0, Math.sin((2 * Math.PI * i) / 288));
    const missing = (i: number) => i >= 8 * 288 && i < 8 * 288 + 144;
    const points = series(10 * 288, (i) => (missing(i) ? 100 : base(i)), 1.5);
    const detector = new AnomalyDetector();
    const results = points.map((p) => detector.update(p.timestamp as number, p.value));
    const day8 = results.slice(8 * 288, 8 * 288 + 144);
    expect(day8.some((r) => r.score >= detector.threshold && r.measures.seasonal >= detector.threshold)).toBe(true);
    const seasonalBefore = Math.max(...results.slice(3 * 288, 8 * 288).map((r) => r.measures.seasonal));
    expect(seasonalBefore).toBeLessThan(detector.threshold);
  });

  it('gives one alert per event: repeats right after an alarm are damped', () => {
    const points = series(3000, () => 50, 1);
    for (const i of [2000, 2003, 2006]) points[i] = { ...points[i], value: 90 };
    const { scores, threshold, anomalies } = detect(points);
    expect(scores[2000]).toBeGreaterThanOrEqual(threshold);
    expect(alarmsIn(scores, threshold, 2001, 2100)).toBe(0);
    expect(anomalies.filter((a) => a.start >= 1990 && a.start < 2100)).toHaveLength(1);
  });

  it('keeps alarms on stationary noise rare', () => {
    // 3 here (35 before the noise allowance); most that are left come from the coarse scale of detect() (docs/aiops-engine.md).
    const { anomalies } = detect(series(20_000, () => 10, 1, 3));
    expect(anomalies.length).toBeLessThanOrEqual(6);
    expect(anomalies.every((a) => a.end - a.start < 10)).toBe(true);
  });

  it('does not flag the chance records of i.i.d. noise (noise allowance), but still a spike', () => {
    // A 4σ point among 10,000 Gaussian draws is expected, not an anomaly. Without the allowance: 17 alarms, scores up to 1.
    const gaussian = series(10_000, () => 50, 5, 3).map((p) => p.value);
    // Laplace noise, heavier-tailed: z₁z₂ + z₃z₄ of standard normals is Laplace(0, 1), of standard deviation √2
    const z = noise(2);
    const laplace = Array.from({ length: 10_000 }, () => 50 + (5 / Math.SQRT2) * (z() * z() + z() * z()));
    const alarms = (values: number[], params: Partial<typeof ANOMALY_PARAMS> = {}) => {
      const detector = new AnomalyDetector(params);
      const streaming = values.filter((v, i) => detector.update(T0 + i * FIVE_MIN, v).score >= detector.threshold).length;
      return {
        streaming,
        spans: detect(
          values.map((value, i) => ({ timestamp: T0 + i * FIVE_MIN, value })),
          params,
        ).anomalies,
      };
    };
    const g = alarms(gaussian);
    expect(g.streaming).toBeLessThanOrEqual(1);
    expect(g.spans.length).toBeLessThanOrEqual(3);
    expect(g.spans.every((a) => a.score < 0.9)).toBe(true);
    // heavier tails set larger records: a few more (19 streaming alarms without the allowance)
    const l = alarms(laplace);
    expect(l.streaming).toBeLessThanOrEqual(2);
    expect(l.spans.length).toBeLessThanOrEqual(6);
    const spiked = gaussian.map((value, i) => ({ timestamp: T0 + i * FIVE_MIN, value: i === 6000 ? 70 : i === 8000 ? 100 : value }));
    const { scores, threshold } = detect(spiked);
    expect(scores[6000]).toBeLessThan(threshold);
    expect(scores[8000]).toBeGreaterThanOrEqual(threshold);
    // without the allowance the same noise alarms again and again
    expect(alarms(gaussian, { noiseAllowance: 0 }).streaming).toBeGreaterThan(10);
  });

  it('keeps the streaming detector silent during warm-up, where detect() judges by the warm-up scorer alone', () => {
    const points = series(2000, daily, 5);
    points[50] = { ...points[50], value: 1e6 };
    points[1500] = { ...points[1500], value: -1e6 };
    const streaming = new AnomalyDetector();
    expect(points.slice(0, 100).every((p) => streaming.update(Number(p.timestamp), p.value).score === 0)).toBe(true);
    const { scores, anomalies } = detect(points);
    expect(scores[50]).toBeGreaterThan(0.99);
    expect(scores.slice(0, 100).filter((s) => s >= ANOMALY_PARAMS.threshold)).toHaveLength(1);
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(scores[1500]).toBeGreaterThan(0.99);
    expect(anomalies[0]).toMatchObject({ start: 50, end: 50 });
    // a short series: the coarse scale (blocks of 2 points) does not speak before the warm-up is over; the warm-up
    // scorer sees the step where it happens, and the detector takes over after it
    const short = detect(series(300, (i) => (i < 82 ? 50 : 90), 1));
    expect(short.anomalies[0].start).toBe(82);
    expect(short.scores.slice(0, 82).every((s) => s < ANOMALY_PARAMS.threshold)).toBe(true);
  });
});

describe('AnomalyDetector state', () => {
  it('continues exactly where it stopped after a save and restore through JSON', () => {
    const points = series(6000, daily, 3);
    points[5000] = { ...points[5000], value: 500 };
    const straight = new AnomalyDetector();
    const expected = points.map((p) => straight.update(p.timestamp as number, p.value).score);
    const first = new AnomalyDetector();
    const head = points.slice(0, 3000).map((p) => first.update(p.timestamp as number, p.value).score);
    const saved = JSON.parse(JSON.stringify(first.toState())) as ReturnType<AnomalyDetector['toState']>;
    const second = AnomalyDetector.fromState(saved);
    expect(second.count).toBe(3000);
    const tail = points.slice(3000).map((p) => second.update(p.timestamp as number, p.value).score);
    expect([...head, ...tail]).toEqual(expected);
    expect(tail[2000]).toBeGreaterThanOrEqual(second.threshold);
  });

  it('restores a state saved before the run-record scalar existed', () => {
    const detector = new AnomalyDetector();
    for (let i = 0; i < 300; i++) detector.update(T0 + i * FIVE_MIN, i % 7);
    const state = detector.toState();
    const { longestRun: _dropped, ...older } = state.scalars;
    const restored = AnomalyDetector.fromState({ ...state, scalars: older });
    expect(restored.update(T0 + 300 * FIVE_MIN, 3)).toEqual(detector.update(T0 + 300 * FIVE_MIN, 3));
  });

  it('rejects a malformed state', () => {
    const state = new AnomalyDetector().toState();
    expect(() => AnomalyDetector.fromState({ ...state, dayMean: [1, 2] })).toThrow('state.dayMean must be 24 numbers');
    expect(() => AnomalyDetector.fromState({ ...state, version: 2 } as unknown as typeof state)).toThrow('state.version');
  });
});

describe('detect', () => {
  it('accepts ISO-8601 timestamps and epoch ms alike', () => {
    const points = series(500, daily, 1);
    const iso = points.map((p) => ({ timestamp: new Date(p.timestamp).toISOString(), value: p.value }));
    expect(detect(iso).scores).toEqual(detect(points).scores);
  });

  it('rejects bad input naming the field', () => {
    expect(() => detect([])).toThrow('points must not be empty');
    expect(() =>
      detect([
        { timestamp: 0, value: 1 },
        { timestamp: 1, value: NaN },
      ]),
    ).toThrow('points[1].value');
    expect(() => detect([{ timestamp: 'yesterday', value: 1 }])).toThrow('points[0].timestamp');
    expect(() => detect(new Array<SeriesPoint>(MAX_DETECT_POINTS + 1).fill({ timestamp: 0, value: 0 }))).toThrow('at most 200000');
  });

  it('merges nearby alarms into one span with the highest score', () => {
    const points = series(3000, () => 50, 1);
    points[2000] = { ...points[2000], value: 80 };
    points[2005] = { ...points[2005], value: 200 };
    const { scores, anomalies, threshold } = detect(points, { suppression: 0 });
    expect(scores[2005]).toBeGreaterThanOrEqual(threshold);
    const span = anomalies.find((a) => a.start === 2000);
    expect(span).toBeDefined();
    expect(span!.end).toBeGreaterThanOrEqual(2005);
    expect(span!.score).toBe(Math.max(...scores.slice(span!.start, span!.end + 1)));
  });

  it('finds nothing in a series that never changes, however long (flat, not stuck)', () => {
    for (const value of [5, 0]) expect(detect(series(30_000, () => value, 0)).anomalies).toEqual([]);
  });

  it('scores values near the largest double without overflowing', () => {
    const points = series(3000, () => Number.MAX_VALUE / 2, 0);
    expect(() => detect(points)).not.toThrow();
  });
});
