/**
 * npm run bench:multimodal [-- <section> …]
 *
 * Runs every section file `bench/multimodal/*.bench.ts` (or only the named ones) in name order; each exports
 * `default async function (): Promise<void>` and prints its own table. Figures are printed, never asserted.
 */
import { readdirSync } from 'node:fs';
import { runSections } from '../../eval/multimodal/sections';

runSections(__dirname, '.bench.ts', readdirSync(__dirname), process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
