import { detectSeason, forecast, normalQuantile, regularize } from './forecast';
import { SeriesPoint } from './detect';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 0, 1);

/** Deterministic N(0,1) noise. */
function noise(seed: number): () => number {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u());
}

/** Hourly points f(hour) + sd·noise. */
function hourly(hours: number, f: (h: number) => number, sd: number, seed = 1): SeriesPoint[] {
  const z = noise(seed);
  return Array.from({ length: hours }, (_, h) => ({ timestamp: T0 + h * HOUR, value: f(h) + sd * z() }));
}

describe('forecast', () => {
  it('follows a linear growth and estimates when it reaches the limit', () => {
    // Disk use: 100 GB growing 0.5 GB/hour; 14 days of history; limit 400 GB → reached at hour 600.
    const points = hourly(14 * 24, (h) => 100 + 0.5 * h, 1);
    const r = forecast(points, { limit: 400 });
    expect(r.seasonSteps).toBe(0);
    expect(r.trendPerHour).toBeCloseTo(0.5, 1);
    const e = r.exhaustion!;
    expect(e.direction).toBe('rising');
    const trueAt = T0 + 600 * HOUR;
    expect(Math.abs(e.at! - trueAt)).toBeLessThan(0.1 * (trueAt - (T0 + 335 * HOUR)));
    expect(e.earliest!).toBeLessThanOrEqual(e.at!);
    expect(e.latest!).toBeGreaterThanOrEqual(e.at!);
    expect(e.alert).toBe(false);
  });

  it('alerts when the pessimistic crossing falls within the warning window', () => {
    const points = hourly(7 * 24, (h) => 100 + 0.5 * h, 1);
    expect(forecast(points, { limit: 400, warnWithinMs: 14 * DAY }).exhaustion!.alert).toBe(true);
    expect(forecast(points, { limit: 400, warnWithinMs: 2 * DAY }).exhaustion!.alert).toBe(false);
  });

  it('handles a signal that shrinks towards a lower limit (free space)', () => {
    const points = hourly(10 * 24, (h) => 500 - 2 * h, 2);
    const e = forecast(points, { limit: 0 }).exhaustion!;
    expect(e.direction).toBe('falling');
    expect(Math.abs(e.at! - (T0 + 250 * HOUR))).toBeLessThan(15 * HOUR);
  });

  it('finds a daily season and forecasts it with an interval that covers the future', () => {
    const f = (h: number) => 50 + 0.05 * h + 20 * Math.sin((2 * Math.PI * h) / 24);
    const all = hourly(24 * 24, f, 2, 7);
    const history = all.slice(0, 20 * 24);
    const future = all.slice(20 * 24);
    const r = forecast(history, { horizonMs: 4 * DAY });
    expect(r.seasonSteps).toBe(24);
    expect(r.points).toHaveLength(96);
    let covered = 0;
    let absErr = 0;
    r.points.forEach((p, k) => {
      expect(p.timestamp).toBe(future[k].timestamp);
      if (future[k].value >= p.lower && future[k].value <= p.upper) covered++;
      absErr += Math.abs(p.mean - f(20 * 24 + k));
    });
    expect(covered / 96).toBeGreaterThan(0.85);
    expect(absErr / 96).toBeLessThan(3);
  });

  it('reports no exhaustion for a flat signal and widens the interval with the horizon', () => {
    const r = forecast(
      hourly(200, () => 70, 1),
      { limit: 100 },
    );
    expect(r.exhaustion!.at).toBeNull();
    expect(r.exhaustion!.alert).toBe(false);
    const first = r.points[0];
    const last = r.points[r.points.length - 1];
    expect(last.upper - last.lower).toBeGreaterThan(first.upper - first.lower);
  });

  it('says the limit is reached when the last value is already past it', () => {
    const e = forecast(
      hourly(50, (h) => 90 + h, 0.5),
      { limit: 100, direction: 'rising' },
    ).exhaustion!;
    expect(e.timeToExhaustionMs).toBe(0);
    expect(e.alert).toBe(true);
  });

  it('rejects bad input naming the field', () => {
    expect(() => forecast(hourly(3, () => 1, 0))).toThrow('at least 8');
    expect(() =>
      forecast(
        hourly(20, () => 1, 0),
        { level: 1.5 },
      ),
    ).toThrow('level');
    expect(() =>
      forecast(
        hourly(20, () => 1, 0),
        { limit: NaN },
      ),
    ).toThrow('limit');
    const bad = hourly(20, () => 1, 0);
    bad[4] = { timestamp: bad[4].timestamp, value: Infinity };
    expect(() => forecast(bad)).toThrow('points[4].value');
  });
});

describe('forecast helpers', () => {
  it('puts irregular points on a regular grid', () => {
    const r = regularize([
      { timestamp: T0, value: 0 },
      { timestamp: T0 + HOUR, value: 10 },
      { timestamp: T0 + 4 * HOUR, value: 40 },
      { timestamp: T0 + 2 * HOUR, value: 20 },
    ]);
    expect(r.stepMs).toBe(HOUR);
    expect(r.values).toEqual([0, 10, 20, 30, 40]);
  });

  it('keeps a weekly season only with two weeks of data', () => {
    const f = (h: number) => 100 + (Math.floor(h / 24) % 7 >= 5 ? -40 : 0);
    expect(
      detectSeason(
        hourly(21 * 24, f, 1).map((p) => p.value),
        HOUR,
      ),
    ).toBe(168);
    expect(
      detectSeason(
        hourly(10 * 24, f, 1).map((p) => p.value),
        HOUR,
      ),
    ).not.toBe(168);
  });

  it('inverts the normal distribution', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
  });
});
