/** NAB parts of eval:aiops: the scorer port checked against the published results, then our detector on the corpus. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NAB_PROFILES, NabFile, NabProfileName, scoreCorpus } from '../../src/aiops/engine/nab-score';
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
