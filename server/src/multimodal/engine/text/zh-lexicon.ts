/**
 * The Chinese reading that ships by default: the project's own hand-set word list (the music engine's topic lexicon,
 * ANEW/CVAW-informed valence and arousal per word, its scene words toned down) applied to jieba's words, with
 * negation and degree words. It is what the engine uses when no trained Chinese classifier is configured (the one
 * trained on zh-emotion may not ship, see docs/multimodal-engine.md). A word the list does not have is read from the CC-CEDICT word table (zh-words.ts).
 */
import { FEELING_LEXICON, SCENE_LEXICON, ZH_MODIFIERS, ZH_NEGATORS } from '../../../music/engine/topic-lexicon';
import type { Segmenter } from './features';
import { glossedWord } from './zh-words';

const HAN = /[\u3400-\u9fff]/;
/**
 * How much of a scene word's colour a reading of feelings keeps: "妈妈在厨房做饭。" (Mum is cooking) is a plain
 * statement, though 做饭 colours a topic's music warmly. Chosen on zh-emotion train (0.25–1 tried: 0.4 and below best, about
 * equal), so that such statements read about as mildly as their English translations do.
 */
const SCENE_WEIGHT = 0.4;
const TERMS = new Map<string, { valence: number; arousal: number }>();
for (const [lexicon, weight] of [
  [SCENE_LEXICON, SCENE_WEIGHT],
  [FEELING_LEXICON, 1],
] as const) {
  for (const [terms, valence, arousal] of lexicon) {
    for (const term of terms.split('|')) if (HAN.test(term)) TERMS.set(term, { valence: valence * weight, arousal: arousal * weight });
  }
}
const NEGATORS = new Set([...ZH_NEGATORS, '不太', '并非', '不要', '不会', '不用', '不必', '无需', '不能']);
const MODIFIERS = new Map(ZH_MODIFIERS);
const CLAUSE_END = /[，。！？；、,.!?;~～\s]/;
/**
 * 好 intensifies a listed word after it (好开心 "so happy") and otherwise is the adjective "good" (很好, 一切都好,
 * 不好); the reading below decides which by looking ahead in the clause.
 */
const GOOD = { term: '好', valence: 0.6, arousal: 0.25, evidence: 1 };
/** A negator before 比 or 再 compares rather than negates: 没有比这更好 "nothing better", 不能再好 "couldn't be better". */
const COMPARING = new Set(['比', '再']);

/** jieba keeps some negated or intensified 好 whole (不好, 不太好); split the prefix off so it reads as it does apart. */
function splitGood(words: readonly string[]): string[] {
  return words.flatMap((word) => {
    const prefix = word.slice(0, -1);
    return word.length > 1 && word.endsWith('好') && (NEGATORS.has(prefix) || MODIFIERS.has(prefix)) ? [prefix, '好'] : [word];
  });
}

/**
 * The longest listed term inside a jieba word (a word is often a compound of a listed term: 好孤单). A one-character
 * term counts only as a whole word: inside a longer one it is usually another word's part (星期二 "Tuesday", 上海).
 */
function listed(word: string): { term: string; valence: number; arousal: number } | undefined {
  for (let n = word.length; n >= Math.min(2, word.length); n--) {
    for (let i = 0; i + n <= word.length; i++) {
      const term = word.slice(i, i + n);
      const entry = TERMS.get(term);
      if (entry) return { term, ...entry };
    }
  }
  return undefined;
}

/**
 * The hand-set list first, a listed word counting as one piece of evidence; else the whole word from the CC-CEDICT
 * table, which has nearly every word, weighing as evidence by how far from neutral it reads (|v| + |a| from 0.2,
 * nothing, to 0.8, one word's worth).
 */
function lookup(word: string): { term: string; valence: number; arousal: number; evidence: number } | undefined {
  const entry = listed(word);
  if (entry) return { ...entry, evidence: 1 };
  const glossed = glossedWord(word);
  if (!glossed) return undefined;
  const strength = Math.abs(glossed.valence) + Math.abs(glossed.arousal);
  return { term: word, ...glossed, evidence: Math.min(1, Math.max(0, strength - 0.2) / 0.6) };
}

export interface LexiconReading {
  valence: number;
  arousal: number;
  /** Words found in the list or the table (with 不/很 marks). */
  hits: string[];
  /** How much the words found say: one per listed word, less for the table's mild words. */
  evidence: number;
}

export function chineseLexiconReading(text: string, segment: Segmenter): LexiconReading | undefined {
  let sumV = 0;
  let sumA = 0;
  let sumW = 0;
  const hits: string[] = [];
  let evidence = 0;
  let negated = false;
  let scale = 1;
  const words = splitGood(segment(text).map((w) => w.trim()));
  const listedAhead = (from: number) => {
    for (let j = from; j < words.length && words[j] && !CLAUSE_END.test(words[j]); j++) if (listed(words[j])) return true;
    return false;
  };
  for (const [i, word] of words.entries()) {
    if (!word || CLAUSE_END.test(word)) {
      negated = false;
      scale = 1;
      continue;
    }
    if (NEGATORS.has(word)) {
      negated = !COMPARING.has(words[i + 1]);
      continue;
    }
    const good = word === '好' && !listedAhead(i + 1);
    const degree = good ? undefined : MODIFIERS.get(word);
    if (degree !== undefined) {
      scale *= degree;
      continue;
    }
    const entry = good ? GOOD : lookup(word);
    if (!entry) continue;
    let v = entry.valence * scale;
    let a = entry.arousal * (scale > 1 ? 1 + (scale - 1) / 2 : scale);
    if (negated) {
      v = -0.6 * v;
      a = -0.4 * a;
    }
    const weight = 0.5 + Math.abs(entry.valence) + Math.abs(entry.arousal);
    sumV += weight * Math.max(-1, Math.min(1, v));
    sumA += weight * Math.max(-1, Math.min(1, a));
    sumW += weight;
    evidence += entry.evidence;
    hits.push(`${negated ? '不' : ''}${scale > 1 ? '很' : scale < 1 ? '有点' : ''}${entry.term}`);
    negated = false;
    scale = 1;
  }
  if (sumW === 0) return undefined;
  // Averaging shrinks towards neutral; the gain restores the spread of single-word readings (as the topic analyser did).
  const gain = 1.4;
  return { valence: Math.max(-1, Math.min(1, (gain * sumV) / sumW)), arousal: Math.max(-1, Math.min(1, (gain * sumA) / sumW)), hits, evidence };
}
