/**
 * npm run eval:aiops [-- --only nab|logs]
 *
 *   1. NAB scorer check: the published detectors' per-row results in the dataset, scored by our TypeScript port, beside
 *      the published numbers (final_results.json), at the published thresholds and with the sweep optimiser.
 *   2. NAB: our AnomalyDetector (one parameter set, streaming) on the 58 series, standard / low-FP / low-FN, beside the
 *      published scoreboard.
 *   3. LogHub-2k: grouping accuracy of our template miner (one setting) and of Drain (ported, per-system settings from
 *      log-formats.json) per system and on average, on the same machine.
 *
 * Reads ../shared/datasets (AIOPS_DATASETS_DIR overrides) and skips a part with a message when its data are absent.
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { evaluateLogHub } from './loghub-eval';
import { evaluateNab, reproducePublished } from './nab-eval';

const DATASETS = process.env.AIOPS_DATASETS_DIR ?? join(__dirname, '../../../../shared/datasets');

function only(): string | undefined {
  const i = process.argv.indexOf('--only');
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  console.log(`# AIOps engine evaluation\n`);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; datasets: ${DATASETS}\n`);
  const part = only();
  if (part === undefined || part === 'nab') {
    const nab = join(DATASETS, 'nab');
    if (!existsSync(join(nab, 'labels', 'combined_windows.json'))) {
      console.log(`SKIPPED NAB: ${nab} not found (need labels/, data/, results/). Set AIOPS_DATASETS_DIR to the datasets folder.\n`);
    } else {
      reproducePublished(nab);
      evaluateNab(nab);
    }
  }
  if (part === undefined || part === 'logs') {
    const loghub = join(DATASETS, 'loghub2k');
    if (!existsSync(join(loghub, 'log-formats.json'))) {
      console.log(`SKIPPED LogHub-2k: ${loghub} not found (need log-formats.json and the ten system folders). Set AIOPS_DATASETS_DIR.\n`);
    } else {
      evaluateLogHub(loghub);
    }
  }
}

main();
