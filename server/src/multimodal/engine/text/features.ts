/**
 * Text → sparse binary features for the linear text models. The same code runs at training time (the scripts under
 * eval/multimodal) and at inference, so a model and its features cannot drift apart.
 *
 * English: lower-cased word unigrams and bigrams; words inside a negation's scope (after "not", "never", "n't", …
 * up to the end of the clause or "but"; idioms whose negator negates nothing, such as "couldn't be happier", are read
 * without it: english-negation.ts) are marked `neg:` so "not happy" and "happy" get separate weights (Das & Chen 2001;
 * Pang et al. 2002). Chinese: jieba words (with the same negation marking after 不, 没, 别, …) plus character
 * unigrams and bigrams, which survive segmentation mistakes and the slang of social media; Weibo emoji codes such
 * as [哭] or [心] are kept whole.
 */

import { readFileSync } from 'node:fs';
import { SentimentIntensityAnalyzer } from 'vader-sentiment';
import { CLAUSE_END, readEnglish } from './english-negation';

/** English words and clause punctuation, lower-cased, as the affect models read them (english-negation.ts). */
export function englishTokens(text: string): string[] {
  return readEnglish(text).tokens.map((t) => t.word);
}

/**
 * The words outside any negation's scope (clause punctuation dropped), for a model's word-affect table: a vector
 * cannot say "not", so a negated word is left to its `neg:` n-grams (five-fold cross-validation on EmoBank train:
 * r valence 0.654 with negated words in the mean, 0.658 without).
 */
export function englishAffirmedWords(text: string): string[] {
  return readEnglish(text)
    .tokens.filter((t) => !t.negated && !CLAUSE_END.test(t.word))
    .map((t) => t.word);
}

export function englishFeatures(text: string): string[] {
  const features: string[] = [];
  let previous = '<s>';
  for (const { word: token, negated } of readEnglish(text).tokens) {
    if (CLAUSE_END.test(token)) {
      if (token === '!' || token === '?') features.push(`p:${token}`);
      previous = '<p>';
      continue;
    }
    const word = negated ? `neg:${token}` : token;
    features.push(`w:${word}`, `b:${previous} ${word}`);
    previous = word;
  }
  return features;
}

/** Character 3- and 5-grams inside word boundaries: shared stems (hope, hopeful, hopeless) and misspellings. */
export function englishCharGrams(text: string): string[] {
  const out: string[] = [];
  for (const token of englishTokens(text)) {
    if (CLAUSE_END.test(token)) continue;
    const padded = ` ${token} `;
    for (const n of [3, 5]) for (let i = 0; i + n <= padded.length; i++) out.push(`c${n}:${padded.slice(i, i + n)}`);
  }
  return out;
}

let vader: Map<string, number> | undefined;

/** VADER's word ratings (−4 … +4), read once from the file vader-sentiment ships (its JS copy is an ES module). */
function vaderLexicon(): Map<string, number> {
  vader ??= new Map(
    readFileSync(require.resolve('vader-sentiment/vader_lexicon.txt'), 'utf8')
      .split('\n')
      .map((line) => line.split('\t'))
      .filter((cols) => cols.length >= 2)
      .map(([word, rating]) => [word, Number(rating)] as const),
  );
  return vader;
}

/**
 * Real-valued lexicon features from VADER (Hutto & Gilbert 2014; 7,500 words rated by ten people each, with rules
 * for negation, intensifiers, "but" and capitals): its sentence scores and the extremes and mean of its word ratings.
 * They carry what 8,000 training sentences cannot teach about words they never contain.
 */
export function englishLexiconFeatures(text: string): Record<string, number> {
  const lexicon = vaderLexicon();
  const reading = readEnglish(text);
  const scores = SentimentIntensityAnalyzer.polarity_scores(reading.text);
  const ratings = reading.tokens.map((t) => lexicon.get(t.word)).filter((r): r is number => r !== undefined);
  const positive = ratings.filter((r) => r > 0);
  const negative = ratings.filter((r) => r < 0);
  return {
    'lex:compound': scores.compound,
    'lex:pos': scores.pos,
    'lex:neg': scores.neg,
    'lex:max': positive.length ? Math.max(...positive) / 4 : 0,
    'lex:min': negative.length ? Math.min(...negative) / 4 : 0,
    'lex:mean': ratings.length ? ratings.reduce((s, r) => s + r, 0) / ratings.length / 4 : 0,
  };
}

const ZH_NEGATORS = new Set(['不', '没', '没有', '别', '未', '无', '非', '莫', '勿', '不是', '不要', '不会', '并非', '毫无', '不太']);
const HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
const EMOJI_CODE = /\[[^\][]{1,8}\]/g;
const ZH_CLAUSE_END = /^[，。！？；、,.!?;~～\s]+$/;

/** Segments Chinese text into words (jieba); injected so the features stay pure and testable. */
export type Segmenter = (text: string) => string[];

export function chineseFeatures(text: string, segment: Segmenter): string[] {
  const features: string[] = [];
  for (const m of text.matchAll(EMOJI_CODE)) features.push(`e:${m[0]}`);
  const plain = text.replace(EMOJI_CODE, ' ').replace(/https?:\/\/\S+/g, ' ');
  let negation = 0;
  for (const raw of segment(plain)) {
    const word = raw.trim().toLowerCase();
    if (!word) continue;
    if (ZH_CLAUSE_END.test(word)) {
      negation = 0;
      if (/[！!]/.test(word)) features.push('p:!');
      if (/[？?]/.test(word)) features.push('p:?');
      continue;
    }
    features.push(negation > 0 ? `w:neg:${word}` : `w:${word}`);
    negation = ZH_NEGATORS.has(word) ? 2 : Math.max(0, negation - 1);
  }
  for (const m of plain.matchAll(HAN_RUN)) {
    const run = m[0];
    for (let i = 0; i < run.length; i++) {
      features.push(`c:${run[i]}`);
      if (i + 1 < run.length) features.push(`c:${run.slice(i, i + 2)}`);
    }
  }
  // English words mixed into a Chinese post (OK, emm, ...) still count.
  for (const m of plain.toLowerCase().matchAll(/[a-z]{2,}/g)) features.push(`w:${m[0]}`);
  return features;
}
