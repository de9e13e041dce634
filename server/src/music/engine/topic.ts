import { defaultTextAffect } from '../../multimodal/engine/text/text-affect';
import type { FaceEmotion } from '../../multimodal/engine/types';
import { resolveEmotionLabel } from './emotion-labels';
import { EMOTION_TABLE } from './emotion-table';
import { planFromEmotion } from './plan';
import { EN_MODIFIERS, EN_NEGATORS, LexiconHints, TOPIC_LEXICON, ZH_MODIFIERS, ZH_NEGATORS } from './topic-lexicon';
import { EmotionName, MusicPlan } from './types';

/** What a topic analyser (the built-in one here, on the multimodal text-affect model, or a language model in the music module) extracts from text. */
export interface TopicAnalysis {
  /** [-1, 1]. */
  valence: number;
  /** [-1, 1]. */
  arousal: number;
  emotion: EmotionName;
  /** STYLE_TABLE key, e.g. "pop", "chinese". */
  style?: string;
  /** Quarter-note BPM, 40–220. */
  tempoHint?: number;
  /** General MIDI programs 0–127 (melody first). */
  instruments?: number[];
  /** Matched words as they appear in the text, with negation/intensity marks, for explanations. */
  keywords: string[];
}

interface Entry {
  valence: number;
  arousal: number;
  hints?: LexiconHints;
  emotion?: EmotionName;
}
const isCjk = (s: string) => /[\u3400-\u9fff]/.test(s);

const EN_TERMS = new Map<string, Entry>();
const ZH_TERMS = new Map<string, Entry>();
for (const [terms, valence, arousal, hints] of TOPIC_LEXICON) {
  for (const term of terms.split('|')) {
    const entry: Entry = { valence, arousal, hints, emotion: resolveEmotionLabel(term) };
    (isCjk(term) ? ZH_TERMS : EN_TERMS).set(term.toLowerCase(), entry);
  }
}
const ZH_MAX = Math.max(...[...ZH_TERMS.keys()].map((t) => t.length));
const EN_MAX_WORDS = Math.max(...[...EN_TERMS.keys()].map((t) => t.split(' ').length));

/** Keywords reported (distinct, in order of appearance); every match still counts towards the reading. */
const MAX_KEYWORDS = 24;

/** Reading of an empty topic: mildly positive, mildly calm. */
const NEUTRAL = { valence: 0.3, arousal: -0.3 };

interface Hit {
  word: string;
  entry: Entry;
  negated: boolean;
  scale: number;
}

function englishHits(text: string): Hit[] {
  const tokens =
    text
      .toLowerCase()
      .replace(/[’]/g, "'")
      .match(/[a-z][a-z'-]*/g) ?? [];
  const hits: Hit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    for (let n = Math.min(EN_MAX_WORDS, tokens.length - i); n >= 1; n--) {
      const phrase = tokens.slice(i, i + n).join(' ');
      const entry = EN_TERMS.get(phrase);
      if (!entry) continue;
      const before = tokens.slice(Math.max(0, i - 3), i);
      const negated = before.some((t) => EN_NEGATORS.has(t) || t.endsWith("n't"));
      const scale = tokens.slice(Math.max(0, i - 2), i).reduce((s, t) => s * (EN_MODIFIERS.get(t) ?? 1), 1);
      hits.push({ word: phrase, entry, negated, scale });
      i += n - 1;
      break;
    }
  }
  return hits;
}

function chineseHits(text: string): Hit[] {
  const hits: Hit[] = [];
  let lastEnd = 0;
  for (let i = 0; i < text.length; i++) {
    if (!isCjk(text[i])) continue;
    for (let n = Math.min(ZH_MAX, text.length - i); n >= 1; n--) {
      const word = text.slice(i, i + n);
      const entry = ZH_TERMS.get(word);
      if (!entry) continue;
      // Scope of negators and modifiers: the few characters before the word, within the same clause and after the
      // previous matched word (so 很 in 很想念家乡 modifies 想念, not 家乡).
      const clause =
        text
          .slice(Math.max(lastEnd, i - 4), i)
          .split(/[，。！？、,.!?；;\s]/)
          .pop() ?? '';
      const scope = clause.slice(-3);
      const mod = ZH_MODIFIERS.find(([m]) => scope.includes(m));
      // Remove modifiers first so 非常 ("very") is not read as the negator 非.
      const bare = ZH_MODIFIERS.reduce((acc, [m]) => (m.length > 1 ? acc.split(m).join('') : acc), scope);
      const negated = ZH_NEGATORS.some((neg) => bare.includes(neg));
      hits.push({ word, entry, negated, scale: mod ? mod[1] : 1 });
      lastEnd = i + n;
      i += n - 1;
      break;
    }
  }
  return hits;
}

function nearestEmotion(valence: number, arousal: number): EmotionName {
  const sameSide = EMOTION_TABLE.filter((a) => a.valence < 0 === valence < 0);
  let best = sameSide[0];
  for (const a of sameSide) {
    if ((a.valence - valence) ** 2 + (a.arousal - arousal) ** 2 < (best.valence - valence) ** 2 + (best.arousal - arousal) ** 2) best = a;
  }
  return best.emotion;
}

const clamp = (x: number) => Math.max(-1, Math.min(1, x));
const round2 = (x: number) => Math.round(x * 100) / 100;

/** The text engine's labels as the music engine's emotions (fear is "tense" music, surprise "excited"). */
const LABEL_TO_MUSIC: Readonly<Record<FaceEmotion, EmotionName>> = {
  happy: 'happy',
  sad: 'sad',
  angry: 'angry',
  fearful: 'tense',
  disgusted: 'angry',
  surprised: 'excited',
  neutral: 'calm',
};
/**
 * Built-in topic analyser. Valence, arousal and the emotion come from the multimodal text engine (EmoBank-trained for
 * English, its Chinese reader for Chinese; one text-affect engine in the codebase): its coordinates, on the labels'
 * plane in either language, are drawn towards the music anchor of its emotion label in proportion to the label's confidence (at
 * most halfway), so label and coordinates agree. The lexicon supplies only what the text model cannot: the matched
 * words shown as keywords, and style, instrument and tempo hints. Pure and deterministic.
 */
export function analyseTopic(text: string): TopicAnalysis {
  if (typeof text !== 'string') throw new RangeError('topic text must be a string');
  const hits = [...englishHits(text), ...chineseHits(text)];
  const styleVotes = new Map<string, number>();
  const instruments: number[] = [];
  const keywords: string[] = [];
  for (const h of hits) {
    if (h.entry.hints?.style && !h.negated) styleVotes.set(h.entry.hints.style, (styleVotes.get(h.entry.hints.style) ?? 0) + 1);
    if (h.entry.hints?.instrument !== undefined && !h.negated && !instruments.includes(h.entry.hints.instrument)) instruments.push(h.entry.hints.instrument);
    const keyword = `${h.negated ? 'not ' : ''}${h.scale > 1 ? 'very ' : h.scale < 1 ? 'slightly ' : ''}${h.word}`;
    if (keywords.length < MAX_KEYWORDS && !keywords.includes(keyword)) keywords.push(keyword);
  }
  let valence = NEUTRAL.valence;
  let arousal = NEUTRAL.arousal;
  let emotion: EmotionName = nearestEmotion(valence, arousal);
  if (text.trim()) {
    const reading = defaultTextAffect().analyzeDetailed(text);
    const anchor = EMOTION_TABLE.find((a) => a.emotion === LABEL_TO_MUSIC[reading.emotion])!;
    // "Neutral" names no feeling, so it draws nowhere.
    const pull = reading.emotion === 'neutral' ? 0 : Math.min(0.5, reading.confidence * 0.6);
    valence = round2(clamp((1 - pull) * reading.valence + pull * anchor.valence));
    arousal = round2(clamp((1 - pull) * reading.arousal + pull * anchor.arousal));
    emotion = anchor.valence < 0 === valence < 0 ? anchor.emotion : nearestEmotion(valence, arousal);
  }
  const style = [...styleVotes.entries()].sort((x, y) => y[1] - x[1])[0]?.[0];
  const bpm = /(\d{2,3})\s*(?:bpm|拍)/i.exec(text);
  const tempoHint = bpm ? Math.max(40, Math.min(220, Number(bpm[1]))) : undefined;
  return {
    valence,
    arousal,
    emotion,
    keywords,
    ...(style ? { style } : {}),
    ...(tempoHint ? { tempoHint } : {}),
    ...(instruments.length ? { instruments } : {}),
  };
}

/** Plan for a topic analysis (from analyseTopic or a language model) and a duration in seconds (10–300). */
export function planFromTopic(analysis: TopicAnalysis, durationSec: number): MusicPlan {
  if (!analysis || !Array.isArray(analysis.keywords)) throw new RangeError('analysis must be a TopicAnalysis with a keywords array');
  const plan = planFromEmotion({ valence: analysis.valence, arousal: analysis.arousal, label: analysis.emotion }, durationSec, {
    tempo: analysis.tempoHint,
    instruments: analysis.instruments,
    style: analysis.style,
  });
  const words = analysis.keywords.length ? analysis.keywords.map((k) => `"${k}"`).join(', ') : 'its wording as a whole (no single word decided it)';
  const hints: string[] = [];
  if (analysis.style) hints.push(`style "${analysis.style}"`);
  if (analysis.instruments?.length) hints.push(`${plan.instruments[0].name} for the melody`);
  if (analysis.tempoHint) hints.push(`${analysis.tempoHint} BPM`);
  plan.explanation.unshift(
    `The topic reads as ${analysis.emotion} (valence ${analysis.valence.toFixed(2)}, arousal ${analysis.arousal.toFixed(2)}) from ${words}.`,
    ...(hints.length ? [`The topic itself asks for ${hints.join(', ')}.`] : []),
  );
  return plan;
}
