import { ANOMALY_PARAMS } from './anomaly-params';
import { detect } from './detect';
import { WarmupScorer } from './warmup-scorer';

/** A seeded Gaussian source (Box–Muller over a linear congruential generator). */
function gaussian(seed: number): () => number {
  let state = seed;
  const uniform = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state + 1) / 2147483649;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

const minutes = (values: number[]) => values.map((value, i) => ({ timestamp: Date.UTC(2026, 11, 2) + i * 60_000, value }));
const { threshold } = ANOMALY_PARAMS;

describe('WarmupScorer', () => {
  it('says nothing until it has a history, then scores a value by its robust distance from the median', () => {
    const scorer = new WarmupScorer(threshold);
    const noise = gaussian(5);
    for (let i = 0; i < 10; i++) expect(scorer.score(10 + noise())).toBe(0);
    expect(scorer.score(10 + noise())).toBeLessThan(threshold);
    expect(scorer.score(60)).toBeGreaterThan(0.95);
  });

  it('keeps scores in [0, 1] for values near the largest double', () => {
    const scorer = new WarmupScorer(threshold);
    const scores = Array.from({ length: 40 }, (_, i) => scorer.score((i % 2 ? 1 : -1) * Number.MAX_VALUE * (0.5 + (i % 7) / 14)));
    expect(scores.every((score) => score >= 0 && score <= 1)).toBe(true);
  });

  it('treats any change from a constant as an anomaly, and the constant itself as normal', () => {
    const scorer = new WarmupScorer(threshold);
    for (let i = 0; i < 20; i++) expect(scorer.score(3)).toBe(0);
    expect(scorer.score(3.5)).toBeGreaterThan(0.99);
  });
});

describe('detect() on series shorter than the detector’s warm-up', () => {
  it('finds a spike and a level shift in an hour of minutes', () => {
    const noise = gaussian(11);
    const spike = Array.from({ length: 60 }, (_, i) => (i === 40 ? 30 : 10 + noise()));
    expect(detect(minutes(spike)).anomalies).toEqual([expect.objectContaining({ start: 40, end: 40 })]);
    const shift = Array.from({ length: 60 }, (_, i) => (i < 45 ? 10 : 25) + noise());
    const [first, ...rest] = detect(minutes(shift)).anomalies;
    expect(first.start).toBe(45);
    expect(rest).toEqual([]);
  });

  it('raises almost no alarm on noise, a ramp, a day of hours or small counts', () => {
    let alarms = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const noise = gaussian(seed);
      alarms += detect(minutes(Array.from({ length: 99 }, () => 50 + 5 * noise()))).anomalies.length;
    }
    expect(alarms).toBeLessThanOrEqual(2);
    expect(detect(minutes(Array.from({ length: 60 }, (_, i) => i))).anomalies).toEqual([]);
    const noise = gaussian(3);
    expect(detect(minutes(Array.from({ length: 48 }, (_, i) => 10 + 5 * Math.sin((2 * Math.PI * i) / 24) + 0.3 * noise()))).anomalies).toEqual([]);
    expect(detect(minutes(Array.from({ length: 90 }, (_, i) => (i * 7) % 3))).anomalies).toEqual([]);
  });
});
