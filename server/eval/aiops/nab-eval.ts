/** NAB parts of eval:aiops: the scorer port checked against the published results, then our detector on the corpus. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANOMALY_PARAMS, AnomalyParams } from '../../src/aiops/engine/anomaly-params';
import { detect, SeriesPoint } from '../../src/aiops/engine/detect';
import {
  concatRows,
  NAB_PROFILES,
  NabCorpusScore,
  NabFile,
  NabProfileName,
  optimizeThreshold,
  scoreAtThreshold,
  scoreCorpus,
  sweepRows,
} from '../../src/aiops/engine/nab-score';
import { loadFinalResults, loadNab, loadPublishedScores, NabSeries, publishedDetectorsWithResults } from './nab-data';

const PROFILE_NAMES: NabProfileName[] = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'];
const f3 = (x: number) => x.toFixed(3);

function files(series: readonly NabSeries[], scores: (s: NabSeries) => ArrayLike<number>): NabFile[] {
  return series.map((s) => ({ name: s.name, timestamps: s.timestamps, windows: s.windows, scores: scores(s) }));
}

/** Scores the detectors whose per-row results ship with the dataset and prints ours beside final_results.json. */
export function reproducePublished(dir: string): void {
  const series = loadNab(dir);
  const published = loadFinalResults(dir);
  const thresholds = JSON.parse(readFileSync(join(dir, 'config', 'thresholds.json'), 'utf8')) as Record<string, Record<string, { threshold: number }>>;
  console.log(`## NAB scorer check: the TypeScript port on the published result files (${series.length} series)\n`);
  console.log('"published threshold" scores at config/thresholds.json (how final_results.json was made); "sweep" runs the optimiser of NAB ≥ 2019.\n');
  console.log('| detector | profile | published | ours at published threshold | ours with sweep (threshold) | match |');
  console.log('|---|---|---|---|---|---|');
  let worst = 0;
  for (const detector of publishedDetectorsWithResults(dir)) {
    const scores = loadPublishedScores(dir, detector, series);
    if (!scores) continue;
    const input = files(series, (s) => scores.get(s.name)!);
    for (const p of PROFILE_NAMES) {
      const atPublished = scoreCorpus(input, NAB_PROFILES[p], thresholds[detector]?.[p]?.threshold);
      const swept = scoreCorpus(input, NAB_PROFILES[p]);
      const expected = published[detector][p];
      const diff = Math.abs(atPublished.normalized - expected);
      worst = Math.max(worst, diff);
      console.log(
        `| ${detector} | ${p} | ${f3(expected)} | ${f3(atPublished.normalized)} | ${f3(swept.normalized)} (${swept.threshold.toPrecision(6)}) | ${diff < 1e-6 ? 'yes' : `no (Δ ${diff.toExponential(2)})`} |`,
      );
    }
  }
  console.log(`\nlargest difference from final_results.json at the published thresholds: ${worst.toExponential(2)}\n`);
}

/** Runs our detector (fresh per series, one parameter set) over NAB and prints it beside the published scoreboard. */
export function evaluateNab(dir: string): void {
  const series = loadNab(dir);
  const published = loadFinalResults(dir);
  let points = 0;
  let cpuMs = 0;
  const scores = new Map<string, Float64Array>();
  let builtInThreshold = 0.5;
  for (const s of series) {
    const input = asPoints(s);
    const t = process.cpuUsage();
    const result = detect(input);
    const used = process.cpuUsage(t);
    cpuMs += (used.user + used.system) / 1000;
    points += input.length;
    scores.set(s.name, Float64Array.from(result.scores));
    builtInThreshold = result.threshold;
  }
  const input = files(series, (s) => scores.get(s.name)!);
  const ours = Object.fromEntries(PROFILE_NAMES.map((p) => [p, scoreCorpus(input, NAB_PROFILES[p])])) as Record<NabProfileName, NabCorpusScore>;
  const atOwn = Object.fromEntries(PROFILE_NAMES.map((p) => [p, scoreCorpus(input, NAB_PROFILES[p], builtInThreshold)])) as Record<
    NabProfileName,
    NabCorpusScore
  >;

  console.log(`## NAB: detect() (one parameter set, causal; the API's scoring) — ${series.length} series, ${points} points\n`);
  console.log(`scoring: ${points} points in ${cpuMs.toFixed(0)} ms CPU (${Math.round(points / (cpuMs / 1000)).toLocaleString('en')} points/s on one core)\n`);
  const rows: { name: string; s: Record<string, number>; ours?: boolean }[] = [
    { name: '**detect() (this engine), NAB optimiser threshold**', s: mapValues(ours, (r) => r.normalized), ours: true },
    { name: `**detect() at its built-in threshold ${builtInThreshold}**`, s: mapValues(atOwn, (r) => r.normalized), ours: true },
    ...Object.entries(published).map(([name, s]) => ({ name, s })),
  ];
  rows.sort((a, b) => (b.s.standard ?? 0) - (a.s.standard ?? 0));
  console.log('| detector | standard | reward low FP | reward low FN |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${f3(r.s.standard)} | ${f3(r.s.reward_low_FP_rate)} | ${f3(r.s.reward_low_FN_rate)} |`);
  console.log('\n(published: results/final_results.json of the dataset; ARTime is the best published, 74.854 standard.)\n');
  console.log('| profile | threshold | windows detected | false alarms (rows ≥ threshold outside windows) | raw score |');
  console.log('|---|---|---|---|---|');
  for (const p of PROFILE_NAMES) {
    const r = ours[p];
    console.log(`| ${p} | ${r.threshold.toFixed(3)} | ${r.detectedWindows}/${r.windows} | ${r.falseAlarms} | ${r.rawScore.toFixed(2)} |`);
  }
  const byCategory = new Map<string, { score: number; detected: number; windows: number; falseAlarms: number }>();
  for (const f of ours.standard.perFile) {
    const c = f.name.split('/')[0];
    const acc = byCategory.get(c) ?? { score: 0, detected: 0, windows: 0, falseAlarms: 0 };
    acc.score += f.score;
    acc.detected += f.detected;
    acc.windows += f.windows;
    acc.falseAlarms += f.falseAlarms;
    byCategory.set(c, acc);
  }
  splitHalves(input);
  const streaming = files(series, (s) => detect(asPoints(s), { coarseBlocks: 0 }).scores);
  const streamingScores = PROFILE_NAMES.map((p) => scoreCorpus(streaming, NAB_PROFILES[p]));
  console.log(
    `\nstreaming AnomalyDetector alone (no coarse scale; the collection path), NAB optimiser threshold ${streamingScores[0].threshold.toFixed(3)}: ` +
      `${streamingScores.map((r) => f3(r.normalized)).join(' / ')} (standard / low FP / low FN), ` +
      `${streamingScores[0].detectedWindows}/${streamingScores[0].windows} windows, ${streamingScores[0].falseAlarms} false alarms`,
  );
  leaveOneCategoryOut([
    ['detect()', input],
    ['streaming AnomalyDetector', streaming],
  ]);
  sensitivity(series);
  console.log('\nstandard profile per category (raw score: +1 per window caught at its start, −1 per missed window, −0.11 per false alarm):\n');
  console.log('| category | raw score | windows detected | false alarms |');
  console.log('|---|---|---|---|');
  for (const [c, a] of byCategory) console.log(`| ${c} | ${a.score.toFixed(2)} | ${a.detected}/${a.windows} | ${a.falseAlarms} |`);
  console.log('');
}

function mapValues<T>(o: Record<NabProfileName, T>, f: (v: T) => number): Record<string, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}

/** The standard score when one parameter is halved or doubled: how much the one parameter set is tuned to NAB. */
function sensitivity(series: readonly NabSeries[]): void {
  const keys = [
    'levelAlpha',
    'shortAlpha',
    'rangeDecay',
    'noveltyScale',
    'maturity',
    'suppression',
    'scalePoints',
    'seasonAlpha',
    'corroboration',
    'coarseBlocks',
    'runRecordMin',
  ] as const;
  const run = (params: Partial<AnomalyParams>) =>
    scoreCorpus(
      files(series, (s) => detect(asPoints(s), params).scores),
      NAB_PROFILES.standard,
    ).normalized;
  console.log('\nsensitivity of the standard score to each parameter (the others fixed):\n');
  console.log('| parameter | value | standard at ×0.5 | standard at ×2 |');
  console.log('|---|---|---|---|');
  for (const k of keys) {
    const v = ANOMALY_PARAMS[k];
    console.log(`| ${k} | ${v} | ${f3(run({ [k]: v * 0.5 }))} | ${f3(run({ [k]: v * 2 }))} |`);
  }
}

function asPoints(s: NabSeries): SeriesPoint[] {
  return s.values.map((value, i) => ({ timestamp: s.timestamps[i], value }));
}

/**
 * Held-out check by category (standard profile): each category scored at the threshold optimised on the other six,
 * raw scores summed. A change chosen while looking at NAB should raise this sum, not only the whole-corpus score.
 */
function leaveOneCategoryOut(detectors: readonly [string, readonly NabFile[]][]): void {
  const profile = NAB_PROFILES.standard;
  const category = (f: NabFile) => f.name.split('/')[0];
  const categories = [...new Set(detectors[0][1].map(category))];
  console.log('\nleave one category out (standard raw score of each category at the threshold optimised on the other six):\n');
  console.log(`| detector | ${categories.join(' | ')} | sum |`);
  console.log(`|---|${categories.map(() => '---|').join('')}---|`);
  for (const [name, input] of detectors) {
    const rows = input.map((f) => sweepRows(f, profile));
    const held = categories.map((c) => {
      const threshold = optimizeThreshold(concatRows(rows.filter((_, k) => category(input[k]) !== c)), profile).threshold;
      return rows.reduce((sum, r, k) => (category(input[k]) === c ? sum + scoreAtThreshold(r, profile, threshold).score : sum), 0);
    });
    console.log(`| ${name} | ${held.map((x) => x.toFixed(2)).join(' | ')} | ${held.reduce((a, b) => a + b, 0).toFixed(2)} |`);
  }
}

/**
 * Over-fitting check: the corpus split into two halves (files alternately, in name order), each scored on its own
 * (threshold optimised and normalised within the half). A knob chosen on one half should hold on the other.
 */
function splitHalves(input: readonly NabFile[]): void {
  console.log('\nsplit halves (files alternately in name order; each half optimises its own threshold):\n');
  console.log('| half | files | windows | standard | reward low FP | reward low FN |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, parity] of [
    ['A (even)', 0],
    ['B (odd)', 1],
  ] as const) {
    const half = input.filter((_, k) => k % 2 === parity);
    const r = PROFILE_NAMES.map((p) => scoreCorpus(half, NAB_PROFILES[p]).normalized);
    console.log(`| ${name} | ${half.length} | ${half.reduce((n, f) => n + f.windows.length, 0)} | ${r.map(f3).join(' | ')} |`);
  }
}
