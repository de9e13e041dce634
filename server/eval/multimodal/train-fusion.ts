/**
 * npm run train:multimodal-fusion
 *
 * Fits the fusion's reliabilities (voice against text) and its conflict threshold on the fitting half of the
 * dev-set pairs (fusion-pairs.ts) and writes src/multimodal/engine/models/fusion.json. The face's reliability stays
 * at 1 until face pairs are added (faces-dev is the face recogniser's). Writes parameters only, never data.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fuseModalities } from '../../src/multimodal/engine/fusion/fuse';
import { FUSION_MODEL_FORMAT, type FusionParameters } from '../../src/multimodal/engine/fusion/fusion-model';
import { buildPairs, type EvidencePair } from './fusion-pairs';

const OUT = join(__dirname, '../../src/multimodal/engine/models/fusion.json');

export function fitFusion(pairs: readonly EvidencePair[]): FusionParameters {
  const same = pairs.filter((p) => p.kind === 'same');
  let best = { ratio: 1, score: -Infinity };
  for (const ratio of [0.25, 0.35, 0.5, 0.7, 1, 1.4, 2, 2.8, 4]) {
    const parameters = parametersWith(ratio, 0.5);
    // Log-likelihood of the gold label under the pooled distribution (accuracy alone is too coarse to choose with).
    const score = same.reduce((s, p) => s + Math.log(fuseModalities({ voice: p.voice, text: p.text }, parameters).probabilities[p.voiceLabel] + 1e-6), 0);
    if (score > best.score) best = { ratio, score };
  }
  const disagreements = (kind: EvidencePair['kind']) =>
    pairs.filter((p) => p.kind === kind).map((p) => fuseModalities({ voice: p.voice, text: p.text }, parametersWith(best.ratio, 0.5)).disagreement);
  const [sameD, conflictD] = [disagreements('same'), disagreements('conflict')];
  let threshold = { t: 0.5, balanced: -1 };
  for (let t = 0.2; t <= 0.8; t += 0.01) {
    const balanced = (conflictD.filter((d) => d >= t).length / conflictD.length + sameD.filter((d) => d < t).length / sameD.length) / 2;
    if (balanced > threshold.balanced) threshold = { t: Math.round(t * 100) / 100, balanced };
  }
  return {
    ...parametersWith(best.ratio, threshold.t),
    metrics: { fitPairs: pairs.length, conflictBalancedAccuracy: Math.round(threshold.balanced * 1e4) / 1e4 },
  };
}

function parametersWith(textOverVoice: number, conflictThreshold: number): FusionParameters {
  return {
    format: FUSION_MODEL_FORMAT,
    reliability: { face: 1, voice: 1, text: textOverVoice },
    conflictThreshold,
    trainedOn: 'voice/text pairs from emodb-dev (held-out speakers 03, 08, 09) and zh-emotion dev (even posts); the face reliability is a default',
  };
}

function main(): void {
  const pairs = buildPairs();
  if (!pairs) {
    console.log('SKIPPED: emodb-dev or zh-emotion not found (set MULTIMODAL_DATASETS_DIR).');
    return;
  }
  const fitted = fitFusion(pairs.filter((p) => p.half === 'fit'));
  writeFileSync(OUT, `${JSON.stringify(fitted)}\n`);
  console.log(`fusion: reliability ${JSON.stringify(fitted.reliability)}, conflict threshold ${fitted.conflictThreshold} → ${OUT}`);
}

if (require.main === module) main();
