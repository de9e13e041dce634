import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseTopic } from '../../src/music/engine';
import { parseCsv } from '../lib/csv';
import { pearson } from '../../src/core/math/pearson';

export interface EmoBankResult {
  sentences: number;
  covered: number;
  valenceR: number;
  arousalR: number;
  valenceRCovered: number;
  arousalRCovered: number;
}

/** Pearson r between the built-in topic analyser and EmoBank's dev-split ratings (English only). */
export function evaluateOnEmoBank(datasets: string): EmoBankResult | undefined {
  const file = join(datasets, 'emobank', 'emobank.csv');
  if (!existsSync(file)) return undefined;
  const rows = parseCsv(readFileSync(file, 'utf8'))
    .slice(1)
    .filter((r) => r[1] === 'dev');
  const gold = { v: [] as number[], a: [] as number[], vc: [] as number[], ac: [] as number[] };
  const pred = { v: [] as number[], a: [] as number[], vc: [] as number[], ac: [] as number[] };
  for (const r of rows) {
    const analysis = analyseTopic(r[5] ?? '');
    gold.v.push(Number(r[2]));
    gold.a.push(Number(r[3]));
    pred.v.push(analysis.valence);
    pred.a.push(analysis.arousal);
    if (analysis.keywords.length > 0) {
      gold.vc.push(Number(r[2]));
      gold.ac.push(Number(r[3]));
      pred.vc.push(analysis.valence);
      pred.ac.push(analysis.arousal);
    }
  }
  return {
    sentences: rows.length,
    covered: gold.vc.length,
    valenceR: pearson(pred.v, gold.v),
    arousalR: pearson(pred.a, gold.a),
    valenceRCovered: pearson(pred.vc, gold.vc),
    arousalRCovered: pearson(pred.ac, gold.ac),
  };
}
