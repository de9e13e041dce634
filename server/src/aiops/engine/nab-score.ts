/**
 * The Numenta Anomaly Benchmark scorer (NAB ≥ 1.1: sweeper.py + optimizer.py + Runner.normalize), ported from the
 * specification in NAB's sources. It scores detections against labelled anomaly windows: an early alarm inside a window
 * earns up to tpWeight, a missed window costs fnWeight, every alarm outside windows costs up to fpWeight (less just
 * after a window). One threshold is chosen for the whole corpus. Used by the evaluation; the service may use it to
 * score any labelled series.
 */

/** Weights of one NAB application profile. */
export interface NabProfile {
  readonly tpWeight: number;
  readonly fnWeight: number;
  readonly fpWeight: number;
}

export type NabProfileName = 'standard' | 'reward_low_FP_rate' | 'reward_low_FN_rate';

/** NAB's three profiles (config/profiles.json). */
export const NAB_PROFILES: Readonly<Record<NabProfileName, NabProfile>> = {
  standard: { tpWeight: 1.0, fnWeight: 1.0, fpWeight: 0.11 },
  reward_low_FP_rate: { tpWeight: 1.0, fnWeight: 1.0, fpWeight: 0.22 },
  reward_low_FN_rate: { tpWeight: 1.0, fnWeight: 2.0, fpWeight: 0.11 },
};

/** One labelled series with a detector's scores. Timestamps are numbers (e.g. epoch ms); windows are [start, end] timestamps that occur in the series. */
export interface NabFile {
  readonly name: string;
  readonly timestamps: ArrayLike<number>;
  readonly scores: ArrayLike<number>;
  readonly windows: readonly (readonly [number, number])[];
}

/** One row of a threshold sweep: the raw score if every row with anomaly score ≥ threshold is an alarm. */
export interface NabThresholdScore {
  readonly threshold: number;
  readonly score: number;
  readonly tp: number;
  readonly tn: number;
  readonly fp: number;
  readonly fn: number;
}

/** Scored rows of one or more files: parallel arrays (window −1 = outside every window). Probationary rows are left out. */
export interface NabRows {
  readonly anomalyScore: Float64Array;
  readonly sweepScore: Float64Array;
  readonly window: Int32Array;
  /** Number of distinct windows (ids 0..windowCount−1) that have at least one row here. */
  readonly windowCount: number;
}

/** Scaled sigmoid: 2/(1+e^(5x)) − 1, and −1 beyond x = 3. */
export function scaledSigmoid(x: number): number {
  return x > 3 ? -1 : 2 / (1 + Math.exp(5 * x)) - 1;
}

const MAX_TP = scaledSigmoid(-1);
const PROBATION_PERCENT = 0.15;

/** Rows at the start of a file that NAB ignores: min(⌊0.15·n⌋, 750). */
export function probationaryLength(n: number): number {
  return Math.min(Math.floor(PROBATION_PERCENT * n), PROBATION_PERCENT * 5000);
}

/** NAB's calcSweepScore: the weighted score each row would earn as an alarm, and the window it belongs to. */
export function sweepRows(file: NabFile, profile: NabProfile): NabRows {
  const { timestamps, scores } = file;
  const n = timestamps.length;
  if (scores.length !== n) throw new RangeError(`${file.name}: ${scores.length} scores for ${n} timestamps`);
  const windows = [...file.windows];
  const indexOf = (t: number): number => {
    for (let k = 0; k < n; k++) if (timestamps[k] === t) return k;
    throw new RangeError(`${file.name}: window limit ${t} is not a timestamp of the series`);
  };
  const probation = probationaryLength(n);
  const anomalyScore = new Float64Array(n - Math.ceil(probation));
  const sweepScore = new Float64Array(anomalyScore.length);
  const window = new Int32Array(anomalyScore.length);
  let current: readonly [number, number] | undefined;
  let currentId = -1;
  let nextId = 0;
  let rightIndex = -1;
  let width = 0;
  let prevRightIndex = -1;
  let prevWidth = 0;
  let out = 0;
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const t = timestamps[i];
    if (windows.length > 0 && t === windows[0][0]) {
      current = windows.shift();
      currentId = nextId++;
      rightIndex = indexOf(current![1]);
      width = rightIndex - indexOf(current![0]) + 1;
    }
    let weighted: number;
    if (current !== undefined) {
      weighted = (scaledSigmoid(-(rightIndex - i + 1) / width) * profile.tpWeight) / MAX_TP;
    } else {
      const unweighted = prevRightIndex < 0 ? -1 : scaledSigmoid(Math.abs(prevRightIndex - i) / (prevWidth - 1));
      weighted = unweighted * profile.fpWeight;
    }
    if (i >= probation) {
      anomalyScore[out] = scores[i];
      sweepScore[out] = weighted;
      window[out] = current !== undefined ? currentId : -1;
      if (current !== undefined) seen.add(currentId);
      out++;
    }
    if (current !== undefined && t === current[1]) {
      prevRightIndex = i;
      prevWidth = width;
      current = undefined;
      currentId = -1;
    }
  }
  // Window ids are renumbered so that only windows with non-probationary rows exist.
  const remap = new Map([...seen].sort((a, b) => a - b).map((id, k) => [id, k]));
  for (let k = 0; k < window.length; k++) if (window[k] >= 0) window[k] = remap.get(window[k])!;
  return { anomalyScore, sweepScore, window, windowCount: remap.size };
}

/** Concatenates the rows of several files, keeping their windows distinct. */
export function concatRows(parts: readonly NabRows[]): NabRows {
  const total = parts.reduce((s, p) => s + p.anomalyScore.length, 0);
  const anomalyScore = new Float64Array(total);
  const sweepScore = new Float64Array(total);
  const window = new Int32Array(total);
  let offset = 0;
  let windowOffset = 0;
  for (const p of parts) {
    anomalyScore.set(p.anomalyScore, offset);
    sweepScore.set(p.sweepScore, offset);
    for (let k = 0; k < p.window.length; k++) window[offset + k] = p.window[k] >= 0 ? p.window[k] + windowOffset : -1;
    offset += p.anomalyScore.length;
    windowOffset += p.windowCount;
  }
  return { anomalyScore, sweepScore, window, windowCount: windowOffset };
}

/** NAB's calcScoreByThreshold: the raw score at every distinct anomaly score, from 1.1 (no alarm) downwards. */
export function scoreByThreshold(rows: NabRows, profile: NabProfile): NabThresholdScore[] {
  const n = rows.anomalyScore.length;
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => rows.anomalyScore[b] - rows.anomalyScore[a] || a - b);
  const windowPart = new Float64Array(rows.windowCount).fill(-profile.fnWeight);
  let windowSum = -profile.fnWeight * rows.windowCount;
  let fpPart = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let k = 0; k < n; k++) if (rows.window[k] >= 0) fn++;
  let tn = n - fn;
  let threshold = 1.1;
  const out: NabThresholdScore[] = [];
  for (const k of order) {
    const s = rows.anomalyScore[k];
    if (s !== threshold) {
      out.push({ threshold, score: windowSum + fpPart, tp, tn, fp, fn });
      threshold = s;
    }
    const w = rows.window[k];
    if (w >= 0) {
      tp++;
      fn--;
      const best = Math.max(rows.sweepScore[k], windowPart[w]);
      windowSum += best - windowPart[w];
      windowPart[w] = best;
    } else {
      fp++;
      tn--;
      fpPart += rows.sweepScore[k];
    }
  }
  out.push({ threshold, score: windowSum + fpPart, tp, tn, fp, fn });
  return out;
}

/** Raw score of rows when every row with anomaly score ≥ threshold is an alarm (NAB's scoreDataSet). */
export function scoreAtThreshold(rows: NabRows, profile: NabProfile, threshold: number): NabThresholdScore {
  const windowPart = new Float64Array(rows.windowCount).fill(-profile.fnWeight);
  let fpPart = 0;
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let k = 0; k < rows.anomalyScore.length; k++) {
    const alarm = rows.anomalyScore[k] >= threshold;
    const w = rows.window[k];
    if (w >= 0) {
      if (alarm) {
        tp++;
        windowPart[w] = Math.max(windowPart[w], rows.sweepScore[k]);
      } else fn++;
    } else if (alarm) {
      fp++;
      fpPart += rows.sweepScore[k];
    } else tn++;
  }
  let score = fpPart;
  for (const v of windowPart) score += v;
  return { threshold, score, tp, tn, fp, fn };
}

/** Result of scoring a corpus with one profile. */
export interface NabCorpusScore {
  readonly threshold: number;
  readonly rawScore: number;
  /** 100·(raw − raw_null)/(perfect − raw_null). */
  readonly normalized: number;
  /** Windows detected (at least one alarm inside) and alarms outside windows, at the chosen threshold. */
  readonly detectedWindows: number;
  readonly windows: number;
  readonly falseAlarms: number;
  readonly perFile: readonly { name: string; score: number; detected: number; windows: number; falseAlarms: number }[];
}

/** The corpus-wide best threshold (NAB's optimizer: ties go to the higher threshold). */
export function optimizeThreshold(rows: NabRows, profile: NabProfile): NabThresholdScore {
  let best: NabThresholdScore | undefined;
  for (const s of scoreByThreshold(rows, profile)) if (best === undefined || s.score > best.score) best = s;
  return best!;
}

/**
 * Scores a detector on a corpus like NAB's runner: optimise one threshold over all files, score each file at it and
 * normalise with the null detector (constant 0.5) and the perfect detector (tpWeight per labelled window).
 * Pass `threshold` to score at a fixed threshold instead of optimising.
 */
export function scoreCorpus(files: readonly NabFile[], profile: NabProfile, threshold?: number): NabCorpusScore {
  const perFileRows = files.map((f) => sweepRows(f, profile));
  const all = concatRows(perFileRows);
  const chosen = threshold ?? optimizeThreshold(all, profile).threshold;
  const perFile = files.map((f, k) => {
    const rows = perFileRows[k];
    const s = scoreAtThreshold(rows, profile, chosen);
    const hit = new Set<number>();
    for (let r = 0; r < rows.window.length; r++) if (rows.window[r] >= 0 && rows.anomalyScore[r] >= chosen) hit.add(rows.window[r]);
    return { name: f.name, score: s.score, detected: hit.size, windows: rows.windowCount, falseAlarms: s.fp };
  });
  const rawScore = perFile.reduce((sum, f) => sum + f.score, 0);
  const nullRows = concatRows(files.map((f) => sweepRows({ ...f, scores: new Float64Array(f.timestamps.length).fill(0.5) }, profile)));
  const rawNull = optimizeThreshold(nullRows, profile).score;
  const perfect = profile.tpWeight * files.reduce((s, f) => s + f.windows.length, 0);
  return {
    threshold: chosen,
    rawScore,
    normalized: (100 * (rawScore - rawNull)) / (perfect - rawNull),
    detectedWindows: perFile.reduce((s, f) => s + f.detected, 0),
    windows: perFile.reduce((s, f) => s + f.windows, 0),
    falseAlarms: perFile.reduce((s, f) => s + f.falseAlarms, 0),
    perFile,
  };
}
