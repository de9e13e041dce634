/**
 * Fusion section: face + voice + text sets from the dev sets (fusion-pairs.ts), evaluation half only (faces, speakers
 * and posts the fusion's parameters were not fitted on), read as every combination of two or three modalities.
 * Agreeing sets: accuracy of each modality alone and of the fusion. Conflicting sets (two readings of opposite
 * valence): how often the disagreement is flagged, against false alarms on agreeing sets.
 */
import { fuseModalities } from '../../src/multimodal/engine/fusion/fuse';
import { FUSION_MODEL_FORMAT, type FusionParameters } from '../../src/multimodal/engine/fusion/fusion-model';
import type { Modality } from '../../src/multimodal/engine/types';
import { buildEvidenceSets, evidenceOf, FUSION_SUBSETS, relation, type EvidenceSet } from './fusion-pairs';
import { f3, pct, printTable } from './metrics';

const EQUAL: FusionParameters = {
  format: FUSION_MODEL_FORMAT,
  reliability: { face: 1, voice: 1, text: 1 },
  conflictThreshold: 0.5,
  trainedOn: 'equal reliabilities',
};

export default async function fusionSection(): Promise<void> {
  console.log('## Fusion: face (faces-dev PrivateTest) + voice (emodb-dev, unseen speakers) + text (zh-emotion dev)\n');
  const sets = await buildEvidenceSets();
  if (!sets) {
    console.log('SKIPPED: faces-dev, emodb-dev or zh-emotion not found (set MULTIMODAL_DATASETS_DIR).\n');
    return;
  }
  reportFusion(sets);
}

/** The tables for the evaluation half, with the shipped parameters unless others are given. */
export function reportFusion(sets: readonly EvidenceSet[], parameters?: FusionParameters): void {
  const test = sets.filter((s) => s.half === 'eval');
  const same = test.filter((s) => s.kind === 'same');
  const accuracy = (predict: (s: EvidenceSet) => string) => same.filter((s) => predict(s) === s.readings.voice.label).length / same.length;
  const alone = (m: Modality) => accuracy((s) => s.readings[m].evidence.emotion);
  const fused = (subset: readonly Modality[], parameters?: FusionParameters) => accuracy((s) => fuseModalities(evidenceOf(s, subset), parameters).emotion);
  console.log(`Agreeing sets: ${same.length} (five labels); alone: face ${pct(alone('face'))}, voice ${pct(alone('voice'))}, text ${pct(alone('text'))}.\n`);
  printTable(
    ['modalities', 'best alone', 'fusion, equal reliabilities', 'fusion, learned (shipped)', 'shipped − best alone'],
    FUSION_SUBSETS.map((subset) => {
      const best = Math.max(...subset.map(alone));
      const shipped = fused(subset, parameters);
      return [
        subset.join(' + '),
        pct(best),
        pct(fused(subset, EQUAL)),
        pct(shipped),
        `${shipped >= best ? '+' : ''}${(100 * (shipped - best)).toFixed(1)} points`,
      ];
    }),
  );
  const detail = (s: EvidenceSet, subset: readonly Modality[]) => fuseModalities(evidenceOf(s, subset), parameters);
  printTable(
    ['modalities', 'conflicting sets', 'flagged as conflict', 'mean disagreement', 'agreeing sets flagged', 'mean disagreement (agreeing)'],
    FUSION_SUBSETS.map((subset) => {
      const conflicting = test.filter((s) => s.kind !== 'same' && relation(s, subset) === 'conflict');
      const flagged = (list: readonly EvidenceSet[]) => list.filter((s) => detail(s, subset).conflict).length / list.length;
      const mean = (list: readonly EvidenceSet[]) => list.reduce((sum, s) => sum + detail(s, subset).disagreement, 0) / list.length;
      return [subset.join(' + '), conflicting.length, pct(flagged(conflicting)), f3(mean(conflicting)), pct(flagged(same)), f3(mean(same))];
    }),
  );
  console.log(
    'Conflicting: two readings of opposite valence (with three modalities, one reading against two that agree). A flag can only be as good as the readings: a misread face, clip or post turns an agreeing set into an apparent conflict.\n',
  );
}
