/**
 * TextAffectRecognizer: a sentence or a story's scene (English or Chinese) → valence, arousal, an emotion label,
 * a confidence and the language. English: a ridge regression on EmoBank (word n-grams, character n-grams, VADER
 * lexicon scores and GloVe word vectors, folded into per-word affect). Chinese: a six-label classifier (jieba words and character n-grams, softmax regression) when one
 * is configured, whose probabilities map onto valence/arousal through LABEL_AFFECT; otherwise the project's word
 * list read over jieba's words, with explicit emotion words and emoticons naming the label.
 */
import { affectOfProbabilities, argmaxLabel, clamp1, LABEL_AFFECT, probabilitiesNear, round3, withEmotionCues } from '../affect-labels';
import { FACE_EMOTIONS, type FaceEmotion, type TextAnalysis, type TextAffectEngine, UndecodableInputError } from '../types';
import { chineseEmotionCues } from './chinese-labels';
import { spellEmoji } from './emoji';
import { englishEmotionCues, englishLabelProbabilities } from './english-labels';
import { COORDINATE_LABELS, type LabelAnchors, labelsNearAnchors, scaleAnchors } from './label-anchors';
import { chineseFeatures, englishCharGrams, englishFeatures, englishLexiconFeatures, englishAffirmedWords, type Segmenter } from './features';
import { detectLanguage } from './language';
import { jiebaSegmenter } from './segmenter';
import { readTextModel, scoreLinear, type TextModelParameters, TextModelError, validateTextModel } from './text-model';
import { chineseLexiconReading } from './zh-lexicon';
import { ZH_WORDS_SOURCE } from './zh-words';
import SHIPPED_ENGLISH from '../models/text-en.json';

/** Longest text analysed; a story is cut into scenes first, so only a scene at a time comes here. */
export const MAX_TEXT_CHARS = 20_000;

export type TextModelName = 'en-emobank-ridge' | 'zh-classifier' | 'zh-lexicon';

export interface TextAffectDetail extends TextAnalysis {
  emotion: FaceEmotion;
  /** Over the seven shared labels. */
  probabilities: Record<FaceEmotion, number>;
  model: TextModelName;
  /** Share of the text's features the model had weights for (0–1): low for slang, names or other languages. */
  coverage: number;
}

/** Labels of a zh classifier (the zh-emotion names) → the shared labels. */
const ZH_LABEL_MAP: Readonly<Record<string, FaceEmotion>> = {
  happy: 'happy',
  angry: 'angry',
  neutral: 'neutral',
  sad: 'sad',
  fear: 'fearful',
  fearful: 'fearful',
  surprise: 'surprised',
  surprised: 'surprised',
  disgust: 'disgusted',
  disgusted: 'disgusted',
};

/**
 * EmoBank's readers rate sentences mildly (a sentence rarely leaves ±0.4 once 1–5 is mapped to [-1, 1]), while every
 * other reading, Chinese included, sits on the labels' plane (LABEL_AFFECT: happy at valence 0.81). The English model's
 * coordinates are doubled onto that plane: least squares from its label anchors (english-labels.ts) to the labels'
 * positions gives 2.1 for valence and 1.65 for arousal, and music made from doubled readings lands in the quadrant the
 * topic names (eval:music). Pearson r against EmoBank is unchanged by the gain.
 */
const EMOBANK_TO_PLANE = 2;

export interface TextModelPaths {
  /** Replaces the shipped English model (JSON written by eval/multimodal/train-text.ts). */
  english?: string;
  /** A Chinese classifier; without one, Chinese is read with the built-in word list. */
  chinese?: string;
}

export class TextAffectRecognizer implements TextAffectEngine {
  private readonly english: TextModelParameters;
  private readonly chinese?: TextModelParameters;
  /** The English model's label positions, on the plane (both languages' readings are labelled by them). */
  private readonly anchors: LabelAnchors;

  constructor(
    english: TextModelParameters = validateTextModel(SHIPPED_ENGLISH, 'models/text-en.json'),
    chinese?: TextModelParameters,
    private readonly segment: Segmenter = jiebaSegmenter,
  ) {
    if (english.language !== 'en' || english.kind !== 'regression') throw new TextModelError('the English model must be an "en" regression model');
    if (chinese && (chinese.language !== 'zh' || chinese.kind !== 'classification'))
      throw new TextModelError('the Chinese model must be a "zh" classification model');
    for (const label of chinese?.outputs ?? [])
      if (!Object.hasOwn(ZH_LABEL_MAP, label))
        throw new TextModelError(`the Chinese model's label "${label}" is not one of ${Object.keys(ZH_LABEL_MAP).join(', ')}`);
    this.english = english;
    this.chinese = chinese;
    // A model file without anchors (written before they were learned) reads labels where the shipped model puts them.
    const anchors = (english.labelAnchors ?? SHIPPED_ENGLISH.labelAnchors) as LabelAnchors;
    for (const label of COORDINATE_LABELS) if (!anchors[label]) throw new TextModelError(`the English model's labelAnchors lack "${label}"`);
    this.anchors = scaleAnchors(anchors, EMOBANK_TO_PLANE);
  }

  /** Reads the configured model files (the shipped English model when no path is given); throws TextModelError. */
  static load(paths: TextModelPaths = {}): TextAffectRecognizer {
    return new TextAffectRecognizer(paths.english ? readTextModel(paths.english) : undefined, paths.chinese ? readTextModel(paths.chinese) : undefined);
  }

  /** What each language is read with and what it learned from. */
  describe(): { en: { model: TextModelName; trainedOn: string }; zh: { model: TextModelName; trainedOn: string } } {
    return {
      en: { model: 'en-emobank-ridge', trainedOn: this.english.trainedOn },
      zh: this.chinese
        ? { model: 'zh-classifier', trainedOn: this.chinese.trainedOn }
        : {
            model: 'zh-lexicon',
            trainedOn: `the project-authored word lists of the music engine (topic-lexicon.ts) and of emotion cues (chinese-labels.ts), no Chinese emotion data; other words from ${ZH_WORDS_SOURCE}`,
          },
    };
  }

  analyze(text: string): TextAnalysis {
    const { emotion, valence, arousal, confidence, language } = this.analyzeDetailed(text);
    return { emotion, valence, arousal, confidence, language };
  }

  analyzeDetailed(text: string): TextAffectDetail {
    if (typeof text !== 'string' || !text.trim()) throw new UndecodableInputError('text', 'the text is empty');
    const input = text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text;
    const language = detectLanguage(input);
    // A trained classifier learned from raw posts, emoji included; the other readings know words only.
    if (language === 'en') return this.readEnglish(spellEmoji(input, 'en'));
    return this.chinese ? this.classifyChinese(input, this.chinese) : this.readChineseLexicon(spellEmoji(input, 'zh'));
  }

  private readEnglish(text: string): TextAffectDetail {
    const binary = [...englishFeatures(text), ...englishCharGrams(text)];
    const { outputs, known, distinct } = scoreLinear(this.english, { binary, real: englishLexiconFeatures(text), words: englishAffirmedWords(text) });
    const valence = clamp1(EMOBANK_TO_PLANE * outputs[0]);
    const arousal = clamp1(EMOBANK_TO_PLANE * outputs[1]);
    const { probabilities, cued } = englishLabelProbabilities(text, valence, arousal, this.anchors);
    const coverage = distinct ? known / distinct : 0;
    // Without an emotion word the label rests on coordinates alone, which confuse the negative emotions.
    return this.result('en', 'en-emobank-ridge', valence, arousal, probabilities, cued ? coverage : 0.5 * coverage);
  }

  private classifyChinese(text: string, model: TextModelParameters): TextAffectDetail {
    const binary = chineseFeatures(text, this.segment);
    const { outputs, known, distinct } = scoreLinear(model, { binary });
    const t = model.temperature ?? 1;
    const max = Math.max(...outputs);
    const exps = outputs.map((o) => Math.exp((o - max) / t));
    const sum = exps.reduce((s, e) => s + e, 0);
    const probabilities = Object.fromEntries(FACE_EMOTIONS.map((l) => [l, 0])) as Record<FaceEmotion, number>;
    model.outputs.forEach((label, k) => (probabilities[ZH_LABEL_MAP[label]] += exps[k] / sum));
    const { valence, arousal } = affectOfProbabilities(probabilities);
    return this.result('zh', 'zh-classifier', valence, arousal, probabilities, distinct ? known / distinct : 0);
  }

  private readChineseLexicon(text: string): TextAffectDetail {
    const reading = chineseLexiconReading(text, this.segment);
    const cues = chineseEmotionCues(text);
    // English words in a Chinese text ("今天好happy") name feelings as they do in English.
    const latin = text.match(/[A-Za-z][A-Za-z' ]*/g)?.join(' ');
    if (latin) for (const [label, weight] of englishEmotionCues(latin)) cues.set(label, (cues.get(label) ?? 0) + weight);
    const near = reading ? labelsNearAnchors(reading.valence, reading.arousal, this.anchors) : probabilitiesNear(0, LABEL_AFFECT.neutral.arousal, 0.5);
    // Emotion words name the label; the word list's coordinates alone confuse the negative emotions (as in English).
    const probabilities = withEmotionCues(near, cues);
    let { valence, arousal } = reading ?? LABEL_AFFECT.neutral;
    if (cues.size) {
      // Halfway between the word list's coordinates and the label's (the label's alone without a word list hit).
      const cued = affectOfProbabilities(probabilities);
      [valence, arousal] = reading ? [(valence + cued.valence) / 2, (arousal + cued.arousal) / 2] : [cued.valence, cued.arousal];
    }
    // A handful of words is weak evidence: confidence grows with what the words found say, and without an emotion
    // word the label rests on the coordinates alone (明天 "tomorrow" reads hopeful), as in English.
    const coverage = Math.min(1, ((reading?.evidence ?? 0) + [...cues.values()].reduce((s, x) => s + x, 0)) / 3);
    return this.result('zh', 'zh-lexicon', valence, arousal, probabilities, cues.size ? coverage : 0.5 * coverage);
  }

  private result(
    language: 'en' | 'zh',
    model: TextModelName,
    valence: number,
    arousal: number,
    probabilities: Record<FaceEmotion, number>,
    coverage: number,
  ): TextAffectDetail {
    const emotion = argmaxLabel(probabilities, FACE_EMOTIONS);
    // The label's probability, damped when the model knew little of the text (unknown words say nothing).
    const confidence = probabilities[emotion] * (0.5 + 0.5 * Math.min(1, coverage / 0.6));
    const rounded = Object.fromEntries(FACE_EMOTIONS.map((l) => [l, round3(probabilities[l])])) as Record<FaceEmotion, number>;
    return {
      emotion,
      valence: round3(valence),
      arousal: round3(arousal),
      confidence: round3(confidence),
      language,
      probabilities: rounded,
      model,
      coverage: round3(coverage),
    };
  }
}

let shared: TextAffectRecognizer | undefined;

/** One recogniser with the shipped parameters, built on first use (the music topic analyser and the storyteller use it). */
export function defaultTextAffect(): TextAffectRecognizer {
  shared ??= new TextAffectRecognizer();
  return shared;
}
