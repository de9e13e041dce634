/**
 * npm run eval:multimodal [-- <section> …]
 *
 * Runs every section file `eval/multimodal/*.eval.ts` (or only the named ones, e.g. `text voice`) in name order.
 * Each exports `default async function (): Promise<void>` that prints its own table; a section whose data is absent
 * prints SKIPPED and why. Data: ../shared/datasets (override with MULTIMODAL_DATASETS_DIR).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runSections } from './sections';

runSections(join(__dirname), '.eval.ts', readdirSync(__dirname), process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
