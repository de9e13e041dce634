import {
  NAB_PROFILES,
  NabFile,
  optimizeThreshold,
  probationaryLength,
  scaledSigmoid,
  scoreAtThreshold,
  scoreByThreshold,
  scoreCorpus,
  sweepRows,
} from './nab-score';

const standard = NAB_PROFILES.standard;

/** 100 rows at t = 0..99 (probation = 15 rows) with one window [50, 59] and alarms (score 1) at the given rows. */
function file(alarms: number[], windows: [number, number][] = [[50, 59]], n = 100): NabFile {
  const scores = new Float64Array(n);
  for (const a of alarms) scores[a] = 1;
  return { name: 'f', timestamps: Array.from({ length: n }, (_, i) => i), scores, windows };
}

const rawAt1 = (f: NabFile, profile = standard) => scoreAtThreshold(sweepRows(f, profile), profile, 1).score;

describe('NAB scorer', () => {
  it('uses the scaled sigmoid of the NAB sources', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661429815, 10);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(3.01)).toBe(-1);
  });

  it('ignores the probationary 15% (at most 750 rows)', () => {
    expect(probationaryLength(100)).toBe(15);
    expect(probationaryLength(100_000)).toBe(750);
    expect(rawAt1(file([3]))).toBe(rawAt1(file([])));
  });

  it('gives exactly tpWeight for an alarm on the first row of a window', () => {
    expect(rawAt1(file([50]))).toBeCloseTo(1, 12);
  });

  it('rewards earlier alarms in a window more, and counts only the earliest', () => {
    const early = rawAt1(file([52]));
    const late = rawAt1(file([58]));
    expect(early).toBeGreaterThan(late);
    expect(late).toBeGreaterThan(0);
    expect(rawAt1(file([52, 55, 58]))).toBeCloseTo(early, 12);
  });

  it('charges fnWeight for a missed window (doubled in the low-FN profile)', () => {
    expect(rawAt1(file([]))).toBe(-1);
    expect(rawAt1(file([]), NAB_PROFILES.reward_low_FN_rate)).toBe(-2);
  });

  it('charges fpWeight for every false alarm before any window, and less right after a window', () => {
    expect(rawAt1(file([20, 30])) - rawAt1(file([]))).toBeCloseTo(-0.22, 12);
    expect(rawAt1(file([20]), NAB_PROFILES.reward_low_FP_rate) - rawAt1(file([]), NAB_PROFILES.reward_low_FP_rate)).toBeCloseTo(-0.22, 12);
    const justAfter = rawAt1(file([60])) - rawAt1(file([]));
    const farAfter = rawAt1(file([95])) - rawAt1(file([]));
    expect(justAfter).toBeLessThan(0);
    expect(justAfter).toBeGreaterThan(-0.04);
    expect(farAfter).toBeCloseTo(-0.11, 3);
  });

  it('sweeps thresholds consistently with scoring at each threshold', () => {
    const scores = Float64Array.from({ length: 100 }, (_, i) => ((i * 37) % 11) / 10);
    const f: NabFile = { ...file([]), scores };
    const rows = sweepRows(f, standard);
    const sweep = scoreByThreshold(rows, standard);
    expect(sweep[0]).toMatchObject({ threshold: 1.1, score: -1 });
    for (const s of sweep) expect(scoreAtThreshold(rows, standard, s.threshold).score).toBeCloseTo(s.score, 12);
    const best = optimizeThreshold(rows, standard);
    expect(Math.max(...sweep.map((s) => s.score))).toBe(best.score);
  });

  it('breaks ties in favour of the higher threshold', () => {
    // Alarms at 0.9 and 0.8 both fall in the window: detecting at 0.9 or at 0.8 scores the same.
    const scores = new Float64Array(100);
    scores[50] = 0.9;
    scores[51] = 0.8;
    const rows = sweepRows({ ...file([]), scores }, standard);
    expect(optimizeThreshold(rows, standard).threshold).toBe(0.9);
  });

  it('normalises between the null detector (0) and a perfect one (100) over the corpus', () => {
    const perfect = scoreCorpus([file([50]), file([70], [[70, 79]])], standard);
    expect(perfect.normalized).toBeCloseTo(100, 10);
    expect(perfect.detectedWindows).toBe(2);
    const none = scoreCorpus([file([]), file([], [[70, 79]])], standard);
    expect(none.normalized).toBeCloseTo(0, 10);
    const half = scoreCorpus([file([50]), file([], [[70, 79]])], standard);
    expect(half.normalized).toBeCloseTo(50, 10);
  });
});
