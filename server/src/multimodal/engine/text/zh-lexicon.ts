/**
 * The Chinese reading that ships by default: the project's own hand-set word list (the music engine's topic lexicon,
 * ANEW/CVAW-informed valence and arousal per word) applied to jieba's words, with negation and degree words. It is
 * what the engine uses when no trained Chinese classifier is configured (the one trained on zh-emotion may not ship,
 * see docs/multimodal-engine.md).
 */
import { TOPIC_LEXICON, ZH_MODIFIERS, ZH_NEGATORS } from '../../../music/engine/topic-lexicon';
import type { Segmenter } from './features';

const HAN = /[\u3400-\u9fff]/;
const TERMS = new Map<string, { valence: number; arousal: number }>();
for (const [terms, valence, arousal] of TOPIC_LEXICON) for (const term of terms.split('|')) if (HAN.test(term)) TERMS.set(term, { valence, arousal });
const NEGATORS = new Set([...ZH_NEGATORS, '不太', '并非', '不要', '不会']);
const MODIFIERS = new Map(ZH_MODIFIERS);
const CLAUSE_END = /[，。！？；、,.!?;~～\s]/;

/** The longest lexicon term inside a jieba word (a word is often a compound of a listed term). */
function lookup(word: string): { term: string; valence: number; arousal: number } | undefined {
  for (let n = word.length; n >= 1; n--) {
    for (let i = 0; i + n <= word.length; i++) {
      const term = word.slice(i, i + n);
      const entry = TERMS.get(term);
      if (entry) return { term, ...entry };
    }
  }
  return undefined;
}

export interface LexiconReading {
  valence: number;
  arousal: number;
  /** Lexicon words found (with 不/很 marks). */
  hits: string[];
}

export function chineseLexiconReading(text: string, segment: Segmenter): LexiconReading | undefined {
  let sumV = 0;
  let sumA = 0;
  let sumW = 0;
  const hits: string[] = [];
  let negated = false;
  let scale = 1;
  for (const raw of segment(text)) {
    const word = raw.trim();
    if (!word || CLAUSE_END.test(word)) {
      negated = false;
      scale = 1;
      continue;
    }
    if (NEGATORS.has(word)) {
      negated = true;
      continue;
    }
    const degree = MODIFIERS.get(word);
    if (degree !== undefined) {
      scale *= degree;
      continue;
    }
    const entry = lookup(word);
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
    hits.push(`${negated ? '不' : ''}${scale > 1 ? '很' : scale < 1 ? '有点' : ''}${entry.term}`);
    negated = false;
    scale = 1;
  }
  if (sumW === 0) return undefined;
  // Averaging shrinks towards neutral; the gain restores the spread of single-word readings (as the topic analyser did).
  const gain = 1.4;
  return { valence: Math.max(-1, Math.min(1, (gain * sumV) / sumW)), arousal: Math.max(-1, Math.min(1, (gain * sumA) / sumW)), hits };
}
