/**
 * Training of the text models (used by train-text.ts, which writes them, and by text.eval.ts, which measures them).
 *   English: ridge-style regression of EmoBank valence and arousal on word uni/bigrams, character 3/5-grams, VADER
 *            lexicon scores and the SIF-weighted mean GloVe vector, fitted on EmoBank's train split only (dev stays
 *            held out); the vector columns ship folded into per-word affect (word-affect.ts); the emotion labels'
 *            anchors in its space are learned from the training sentences' emotion words (learnLabelAnchors).
 *   Chinese: softmax regression over the six zh-emotion labels on jieba words and character uni/bigrams, classes
 *            weighted by 1/√frequency (macro-F1 is the target), fitted on zh-emotion's train split.
 */
import {
  chineseFeatures,
  englishCharGrams,
  englishFeatures,
  englishLexiconFeatures,
  englishAffirmedWords,
  type Segmenter,
} from '../../src/multimodal/engine/text/features';
import { englishEmotionCues } from '../../src/multimodal/engine/text/english-labels';
import { COORDINATE_LABELS, type LabelAnchors } from '../../src/multimodal/engine/text/label-anchors';
import { sifMean } from '../../src/multimodal/engine/text/word-affect';
import { TEXT_MODEL_FORMAT, type TextModelParameters } from '../../src/multimodal/engine/text/text-model';
import type { EmoBankSentence, ZhPost } from './datasets';
import { ZH_LABELS } from './datasets';
import { buildVocabulary, exportWeights, type LinearModel, predictLinear, sparseRow, trainLinear, type Vocabulary, withColumns } from './linear-training';
import { WORD_VECTOR_DIMENSIONS, WORD_VECTORS_SOURCE, type WordVectors } from './word-vectors';
import { pearson } from '../../src/core/math/pearson';

const LEXICON_COLUMNS = Object.keys(englishLexiconFeatures('ok'));
const VECTOR_COLUMNS = Array.from({ length: WORD_VECTOR_DIMENSIONS }, (_, d) => `vec:${d}`);
/** The English model's L2 penalty, chosen by five-fold cross-validation on the train split (dev unread). */
const ENGLISH_L2 = 3e-4;

function englishBinary(text: string): string[] {
  return [...englishFeatures(text), ...englishCharGrams(text)];
}

/** The real-valued English columns: VADER's scores and the SIF-weighted mean word vector. */
function englishReal(text: string, vectors: WordVectors): Record<string, number> {
  const lookup = (word: string) => {
    const rank = vectors.rank.get(word);
    return rank === undefined ? undefined : { rank, values: vectors.vectors[rank] };
  };
  const mean = sifMean(englishAffirmedWords(text), lookup, WORD_VECTOR_DIMENSIONS);
  return { ...englishLexiconFeatures(text), ...Object.fromEntries(VECTOR_COLUMNS.map((name, d) => [name, mean[d]])) };
}

/** Each word's share of each output: its vector projected onto the fitted vector columns. */
function projectWords(model: LinearModel, vocabulary: Vocabulary, vectors: WordVectors): number[] {
  const columns = VECTOR_COLUMNS.map((name) => vocabulary.index.get(name)!);
  const values: number[] = [];
  for (const vector of vectors.vectors)
    for (let k = 0; k < model.outputs; k++) {
      let share = 0;
      for (let d = 0; d < columns.length; d++) share += model.weights[columns[d] * model.outputs + k] * vector[d];
      values.push(Math.round(share * 1e4) / 1e4);
    }
  return values;
}

export function trainEnglishModel(train: readonly EmoBankSentence[], dev: readonly EmoBankSentence[], vectors: WordVectors): TextModelParameters {
  const docs = train.map((s) => englishBinary(s.text));
  const vocabulary = withColumns(buildVocabulary(docs, 2), [...LEXICON_COLUMNS, ...VECTOR_COLUMNS]);
  const rows = train.map((s, i) => sparseRow(docs[i], vocabulary, englishReal(s.text, vectors)));
  const model = trainLinear(
    rows,
    train.map((s) => [s.valence, s.arousal]),
    vocabulary.names.length,
    { loss: 'squared', l2: ENGLISH_L2, epochs: 300, learningRate: 0.02 },
  );
  const predicted = dev.map((s) => predictLinear(model, sparseRow(englishBinary(s.text), vocabulary, englishReal(s.text, vectors)), 'squared'));
  const residualSd = [0, 1].map((k) => Math.sqrt(dev.reduce((sum, s, i) => sum + ((k ? s.arousal : s.valence) - predicted[i][k]) ** 2, 0) / dev.length));
  const weights = exportWeights(model, vocabulary, 2e-3);
  for (const name of VECTOR_COLUMNS) delete weights[name];
  const labelAnchors = learnLabelAnchors(
    train,
    rows.map((row) => predictLinear(model, row, 'squared')),
  );
  return {
    format: TEXT_MODEL_FORMAT,
    language: 'en',
    kind: 'regression',
    outputs: ['valence', 'arousal'],
    bias: Array.from(model.bias, (b) => Math.round(b * 1e4) / 1e4),
    weights,
    wordAffect: { source: WORD_VECTORS_SOURCE, words: vectors.words, values: projectWords(model, vocabulary, vectors) },
    residualSd: residualSd.map((x) => Math.round(x * 1e4) / 1e4),
    labelAnchors,
    trainedOn: `EmoBank (Buechel & Hahn 2017) train split, ${train.length} English sentences rated for valence/arousal, CC BY-SA 4.0; VADER lexicon (Hutto & Gilbert 2014, MIT) via vader-sentiment (Apache-2.0); the ${vectors.words.length.toLocaleString('en')} commonest words of ${WORD_VECTORS_SOURCE}`,
    metrics: {
      devSentences: dev.length,
      devValenceR: round(
        pearson(
          predicted.map((p) => p[0]),
          dev.map((s) => s.valence),
        ),
      ),
      devArousalR: round(
        pearson(
          predicted.map((p) => p[1]),
          dev.map((s) => s.arousal),
        ),
      ),
    },
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * Where each label the coordinates can tell apart sits in the model's space: the mean prediction over the training
 * sentences whose emotion cues name that label alone (neutral: those with no cue). EmoBank has no labels, so its own
 * emotion words label it (distant supervision); the sentences are the model's training sentences, as the anchors
 * place labels among its predictions rather than measure it.
 */
export function learnLabelAnchors(train: readonly EmoBankSentence[], predicted: readonly number[][]): LabelAnchors {
  const sums = new Map<string, { valence: number; arousal: number; n: number }>();
  train.forEach((s, i) => {
    const cues = englishEmotionCues(s.text);
    const label = cues.size === 0 ? 'neutral' : cues.size === 1 ? [...cues.keys()][0] : undefined;
    if (!label || !(COORDINATE_LABELS as readonly string[]).includes(label)) return;
    const sum = sums.get(label) ?? { valence: 0, arousal: 0, n: 0 };
    sums.set(label, { valence: sum.valence + predicted[i][0], arousal: sum.arousal + predicted[i][1], n: sum.n + 1 });
  });
  return Object.fromEntries(
    COORDINATE_LABELS.map((label) => {
      const sum = sums.get(label);
      if (!sum) throw new Error(`no training sentence reads as ${label}: its label anchor cannot be learned`);
      return [label, [Math.round((sum.valence / sum.n) * 1e3) / 1e3, Math.round((sum.arousal / sum.n) * 1e3) / 1e3]];
    }),
  ) as LabelAnchors;
}

export function trainChineseModel(train: readonly ZhPost[], segment: Segmenter, epochs = 60): TextModelParameters {
  const docs = train.map((p) => chineseFeatures(p.text, segment));
  const vocabulary = buildVocabulary(docs, 2);
  const rows = docs.map((d) => sparseRow(d, vocabulary));
  const counts = new Map<string, number>();
  for (const p of train) counts.set(p.label, (counts.get(p.label) ?? 0) + 1);
  const sampleWeights = train.map((p) => 1 / Math.sqrt(counts.get(p.label)!));
  const model = trainLinear(
    rows,
    train.map((p) => ZH_LABELS.map((l) => (l === p.label ? 1 : 0))),
    vocabulary.names.length,
    { loss: 'softmax', l2: 1e-5, epochs, learningRate: 0.05, sampleWeights },
  );
  return {
    format: TEXT_MODEL_FORMAT,
    language: 'zh',
    kind: 'classification',
    outputs: [...ZH_LABELS],
    bias: Array.from(model.bias, round),
    weights: exportWeights(model, vocabulary, 1e-3),
    trainedOn: `zh-emotion (SMP2020-EWECT Weibo posts, HIT-SCIR / CIPS-SMP) train split, ${train.length} posts; research terms: no licence stated, not to be shipped without the organisers' consent`,
  };
}

let zhCache: TextModelParameters | undefined;

/** The zh-emotion classifier fitted on the train split, once per process (evaluation only: research terms). */
export function chineseModelForEvaluation(train: readonly ZhPost[], segment: Segmenter): TextModelParameters {
  zhCache ??= trainChineseModel(train, segment);
  return zhCache;
}
