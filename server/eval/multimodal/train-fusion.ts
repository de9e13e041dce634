/**
 * npm run train:multimodal-fusion
 *
 * Fits the fusion's reliabilities (face and text, each against the voice's 1) and its conflict threshold on the
 * fitting half of the dev-set evidence sets (fusion-pairs.ts), over every combination of two or three modalities, and
 * writes src/multimodal/engine/models/fusion.json. Writes parameters only, never data.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fuseModalities } from '../../src/multimodal/engine/fusion/fuse';
import { FUSION_MODEL_FORMAT, type FusionParameters } from '../../src/multimodal/engine/fusion/fusion-model';
import { buildEvidenceSets, evidenceOf, FUSION_SUBSETS, relation, type EvidenceSet } from './fusion-pairs';

const OUT = join(__dirname, '../../src/multimodal/engine/models/fusion.json');
const RATIOS = [0.25, 0.35, 0.5, 0.7, 1, 1.4, 2, 2.8, 4];

export function fitFusion(sets: readonly EvidenceSet[]): FusionParameters {
  const same = sets.filter((s) => s.kind === 'same');
  let best = { face: 1, text: 1, score: -Infinity };
  for (const face of RATIOS) {
    for (const text of RATIOS) {
      const parameters = parametersWith(face, text, 0.5);
      // Log-likelihood of the gold label under the pooled distribution (accuracy alone is too coarse to choose with).
      let score = 0;
      for (const subset of FUSION_SUBSETS) {
        for (const s of same) score += Math.log(fuseModalities(evidenceOf(s, subset), parameters).probabilities[s.readings.voice.label] + 1e-6);
      }
      if (score > best.score) best = { face, text, score };
    }
  }
  const fitted = parametersWith(best.face, best.text, 0.5);
  const sameD: number[] = [];
  const conflictD: number[] = [];
  for (const subset of FUSION_SUBSETS) {
    for (const s of sets) {
      const kind = s.kind === 'same' ? 'same' : relation(s, subset) === 'conflict' ? 'conflict' : undefined;
      if (kind) (kind === 'same' ? sameD : conflictD).push(fuseModalities(evidenceOf(s, subset), fitted).disagreement);
    }
  }
  let threshold = { t: 0.5, balanced: -1 };
  for (let t = 0.2; t <= 0.8; t += 0.01) {
    const balanced = (conflictD.filter((d) => d >= t).length / conflictD.length + sameD.filter((d) => d < t).length / sameD.length) / 2;
    if (balanced > threshold.balanced) threshold = { t: Math.round(t * 100) / 100, balanced };
  }
  return {
    ...parametersWith(best.face, best.text, threshold.t),
    metrics: { fitSets: sets.length, conflictBalancedAccuracy: Math.round(threshold.balanced * 1e4) / 1e4 },
  };
}

function parametersWith(faceOverVoice: number, textOverVoice: number, conflictThreshold: number): FusionParameters {
  return {
    format: FUSION_MODEL_FORMAT,
    reliability: { face: faceOverVoice, voice: 1, text: textOverVoice },
    conflictThreshold,
    trainedOn:
      'face/voice/text sets from faces-dev (even FER-2013 PrivateTest faces), emodb-dev (held-out speakers 03, 08, 09) and zh-emotion dev (even posts)',
  };
}

async function main(): Promise<void> {
  const sets = await buildEvidenceSets();
  if (!sets) {
    console.log('SKIPPED: faces-dev, emodb-dev or zh-emotion not found (set MULTIMODAL_DATASETS_DIR).');
    return;
  }
  const fitted = fitFusion(sets.filter((s) => s.half === 'fit'));
  writeFileSync(OUT, `${JSON.stringify(fitted)}\n`);
  console.log(`fusion: reliability ${JSON.stringify(fitted.reliability)}, conflict threshold ${fitted.conflictThreshold} → ${OUT}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
