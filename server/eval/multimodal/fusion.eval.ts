/**
 * Fusion section: voice + text pairs from the dev sets (fusion-pairs.ts), evaluation half only (speakers and posts
 * the fusion's parameters were not fitted on). Same-label pairs: accuracy of each modality alone and of the fusion.
 * Conflicting pairs (opposite valence): how often the disagreement is flagged, against false alarms on same-label
 * pairs.
 */
import { fuseModalities } from '../../src/multimodal/engine/fusion/fuse';
import { FUSION_MODEL_FORMAT } from '../../src/multimodal/engine/fusion/fusion-model';
import { buildPairs, type EvidencePair } from './fusion-pairs';
import { f3, pct, printTable } from './metrics';

export default async function fusionSection(): Promise<void> {
  console.log('## Fusion: voice (emodb-dev, unseen speakers) + text (zh-emotion dev) pairs\n');
  const pairs = buildPairs();
  if (!pairs) {
    console.log('SKIPPED: emodb-dev or zh-emotion not found (set MULTIMODAL_DATASETS_DIR).\n');
    return;
  }
  const test = pairs.filter((p) => p.half === 'eval');
  const same = test.filter((p) => p.kind === 'same');
  const conflicting = test.filter((p) => p.kind === 'conflict');
  const equal = { format: FUSION_MODEL_FORMAT, reliability: { face: 1, voice: 1, text: 1 }, conflictThreshold: 0.5, trainedOn: 'equal reliabilities' } as const;
  const accuracy = (predict: (p: EvidencePair) => string) => same.filter((p) => predict(p) === p.voiceLabel).length / same.length;
  const best = Math.max(
    accuracy((p) => p.voice.emotion),
    accuracy((p) => p.text.emotion),
  );
  const shipped = accuracy((p) => fuseModalities({ voice: p.voice, text: p.text }).emotion);
  printTable(
    ['same-label pairs (5 labels)', 'pairs', 'accuracy'],
    [
      ['voice alone', same.length, pct(accuracy((p) => p.voice.emotion))],
      ['text alone', same.length, pct(accuracy((p) => p.text.emotion))],
      [
        'fusion, equal reliabilities',
        same.length,
        pct(accuracy((p) => fuseModalities({ voice: p.voice, text: p.text }, { ...equal, reliability: { ...equal.reliability } }).emotion)),
      ],
      ['fusion, learned reliabilities (shipped)', same.length, pct(shipped)],
    ],
  );
  console.log(`Fusion − best single modality: ${shipped >= best ? '+' : ''}${(100 * (shipped - best)).toFixed(1)} points.\n`);
  const flagged = (list: readonly EvidencePair[]) => list.filter((p) => fuseModalities({ voice: p.voice, text: p.text }).conflict).length / list.length;
  const meanDisagreement = (list: readonly EvidencePair[]) =>
    list.reduce((s, p) => s + fuseModalities({ voice: p.voice, text: p.text }).disagreement, 0) / list.length;
  printTable(
    ['pairs', 'count', 'flagged as conflict', 'mean disagreement'],
    [
      ['conflicting (opposite valence)', conflicting.length, pct(flagged(conflicting)), f3(meanDisagreement(conflicting))],
      ['same label', same.length, pct(flagged(same)), f3(meanDisagreement(same))],
    ],
  );
  console.log('A flag can only be as good as the two readings: a misread clip or post turns a same-label pair into an apparent conflict.\n');
  return Promise.resolve();
}
