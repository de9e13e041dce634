/**
 * Face section of `npm run eval:multimodal` (run alone: `node -r @swc-node/register eval/multimodal/face.eval.ts`).
 *
 * On faces-dev (FER-2013 test faces with FER+ crowd labels, seven classes: 1,217 images) it measures the candidate
 * expression networks that ship weights in npm packages (face-api's expression net, the mini-Xception of
 * @vladmandic/human), each plain, with test-time augmentation and with a calibration (inverse temperature per network +
 * label bias), and their ensemble. Calibrations are fitted on one FER-2013 split and scored on the other (PublicTest ↔
 * PrivateTest), so no figure comes from data its parameters were fitted on. Then the shipped recogniser (calibration
 * fitted on PublicTest) runs end to end (decode, padded detection or whole-image fallback) on PrivateTest beside
 * face-api's plain expression net.
 *
 * FACE_EVAL_STEP=k keeps every k-th image (quick runs); MULTIMODAL_DATASETS_DIR overrides ../shared/datasets.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { FACE_MODEL_CHOICE } from '../../src/multimodal/engine/face/face-model-choice';
import { loadFaceModels } from '../../src/multimodal/engine/face/face-models';
import { VisualEmotionRecognizer } from '../../src/multimodal/engine/face/visual-emotion-recognizer';
import { FACE_EMOTIONS } from '../../src/multimodal/engine/types';
import { machineLine, table } from '../ensemble/report';
import { candidateList, crossFitted, fitOn, measureViews, predict, score, Scores, TTA_CANDIDATES, ViewLogProbabilities } from './face-candidates';
import { datasetsDir, FaceSample, loadFacesDev } from './faces-dev';

const pct = (x: number) => (100 * x).toFixed(1);
const recallCells = (s: Scores) => s.recall.map((r) => (Number.isNaN(r) ? '–' : pct(r)));

function candidatesSection(items: ViewLogProbabilities[]): void {
  console.log('\n## Face: candidate expression models on faces-dev (seven classes)\n');
  console.log(
    'Accuracy and UAR (unweighted average recall) in %. "calibrated": inverse temperature per network and a bias per label, fitted by class-balanced log-likelihood on one FER-2013 split and scored on the other; "pooled" joins both held-out halves. Uncalibrated rows fit nothing.\n',
  );
  const rows = candidateList().map((candidate) => {
    const r = crossFitted(items, candidate);
    return [
      candidate.name,
      pct(r.pooled.accuracy),
      pct(r.pooled.uar),
      pct(r.onPrivate.accuracy),
      pct(r.onPrivate.uar),
      pct(r.onPublic.accuracy),
      pct(r.onPublic.uar),
    ];
  });
  console.log(
    table(['candidate', 'accuracy (pooled)', 'UAR (pooled)', 'accuracy PrivateTest', 'UAR PrivateTest', 'accuracy PublicTest', 'UAR PublicTest'], rows),
  );
}

function shippedCalibrationSection(items: ViewLogProbabilities[]): void {
  const tta = TTA_CANDIDATES.find((t) => t.scales.join() === FACE_MODEL_CHOICE.augmentation.scales.join() && t.flip === FACE_MODEL_CHOICE.augmentation.flip);
  const models = (['faceApi', 'miniXception'] as const).filter((m) => FACE_MODEL_CHOICE.calibration.scale[m] > 0);
  if (!tta) return;
  const refit = fitOn(
    items.filter((i) => i.sample.split === 'PublicTest'),
    { name: 'shipped', tta, models: [...models], calibrated: true },
  );
  const same =
    models.every((m) => Math.abs(refit.scale[m] - FACE_MODEL_CHOICE.calibration.scale[m]) < 0.02) &&
    refit.bias.every((b, k) => Math.abs(b - FACE_MODEL_CHOICE.calibration.bias[k]) < 0.02);
  console.log(`\nShipped calibration (face-model-choice.ts): ${JSON.stringify(FACE_MODEL_CHOICE.calibration)}`);
  console.log(`Refitted on PublicTest now:                  ${JSON.stringify(refit)} ${same ? '(matches)' : '(DIFFERS: update face-model-choice.ts)'}`);
}

async function endToEndSection(samples: FaceSample[], items: ViewLogProbabilities[]): Promise<void> {
  const heldOut = samples.filter((s) => s.split === 'PrivateTest');
  const recognizer = await VisualEmotionRecognizer.load();
  const predictions: { predicted: number; label: number }[] = [];
  let found = 0;
  for (const sample of heldOut) {
    const analysis = await recognizer.analyze(await readFile(sample.file));
    if (analysis.detector === 'face') found++;
    predictions.push({ predicted: FACE_EMOTIONS.indexOf(analysis.emotion), label: sample.labelIndex });
  }
  const plainCandidate = { name: 'face-api plain', tta: TTA_CANDIDATES[0], models: ['faceApi' as const], calibrated: false };
  const privateItems = items.filter((i) => i.sample.split === 'PrivateTest');
  const plain = score(predict(privateItems, plainCandidate, fitOn([], plainCandidate)));
  const shipped = score(predictions);
  console.log('\n## Face: the shipped recogniser end to end on PrivateTest (never used for fitting)\n');
  console.log(
    `decode → grey padding → face-api tiny detector → crop (or the whole image when no face is found) → ${JSON.stringify(FACE_MODEL_CHOICE.augmentation)} → calibrated networks. A face was found in ${found} of ${heldOut.length} crops (48×48 greyscale); the rest were classified whole.\n`,
  );
  console.log(
    table(
      ['model', 'images', 'accuracy', 'UAR', ...FACE_EMOTIONS],
      [
        ["face-api's expression net, plain (whole crop)", plain.n, pct(plain.accuracy), pct(plain.uar), ...recallCells(plain)],
        ['VisualEmotionRecognizer (shipped)', shipped.n, pct(shipped.accuracy), pct(shipped.uar), ...recallCells(shipped)],
      ],
    ),
  );
}

/** FACE_EVAL_VIEWS_CACHE=file keeps the network outputs between runs (for iterating on the analysis only). */
async function viewsOf(samples: FaceSample[]): Promise<ViewLogProbabilities[]> {
  const cache = process.env.FACE_EVAL_VIEWS_CACHE;
  if (cache && existsSync(cache)) {
    const cached = JSON.parse(readFileSync(cache, 'utf8')) as ViewLogProbabilities[];
    if (cached.length === samples.length && cached.every((item, i) => item.sample.file === samples[i].file)) return cached;
  }
  const models = await loadFaceModels();
  const started = Date.now();
  const items = await measureViews(models, samples, (done) => {
    if (done % 200 === 0) process.stderr.write(`face eval: ${done}/${samples.length} images\n`);
  });
  console.log(`(measured 6 views × 2 networks per image in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (cache) writeFileSync(cache, JSON.stringify(items));
  return items;
}

export default async function faceEval(): Promise<void> {
  const all = loadFacesDev();
  if (!all) {
    console.log(`\n## Face\n\nskipped: faces-dev not found under ${datasetsDir()}`);
    return;
  }
  const step = Math.max(1, Number(process.env.FACE_EVAL_STEP ?? 1));
  const samples = all.filter((_, i) => i % step === 0);
  console.log(`\n# Face expression (faces-dev, ${samples.length} seven-class images${step > 1 ? `, every ${step}th` : ''})\n\n${machineLine()}`);
  const items = await viewsOf(samples);
  candidatesSection(items);
  shippedCalibrationSection(items);
  await endToEndSection(samples, items);
}

if (require.main === module) {
  faceEval().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
