/**
 * English negation as the affect models read it. A negator ("not", "never", "n't", "nothing", …) marks the words
 * after it up to the end of its clause or a "but" (NegEx's terminator). Some common idioms carry a negator that
 * negates nothing, and read backwards when it is taken literally:
 * - emphatic comparatives: "couldn't be happier", "nothing could be better", "never felt better", "no better place",
 *   "can't get any worse" say the comparative at its strongest;
 * - "never been so / this …" is an intensifier (as VADER reads "never so");
 * - a negated verb that does not negate what follows: "can't wait", "can't believe how wonderful", "can't stop
 *   smiling" (read "keep smiling"), "can't stand" (read "hate"), "can't help", "can't imagine", "can't resist", "can't get enough", "couldn't agree more";
 * - fixed phrases: "no doubt", "without (a) doubt", "no wonder", "not only", "nothing but";
 * - reassurance and litotes: "no problem", "no worries", "not bad" mean "fine".
 * In these the negator (and the phrase's own words "doubt", "wonder", "only", "but") is dropped, and an emphatic
 * comparative is read as the superlative it means ("couldn't be happier" → "happiest"; dropping only the negator
 * would leave "could be better", a complaint), for the word model, the VADER scores and the emotion words alike. The
 * rules are written from English usage, not fitted to any data set.
 */

import { englishIdiomAt } from './english-idioms';

export interface EnglishToken {
  /** Lower-cased word or clause punctuation (. , ; : ! ?). */
  readonly word: string;
  /** Inside a negator's scope. */
  readonly negated: boolean;
}

export interface EnglishReading {
  readonly tokens: readonly EnglishToken[];
  /** The text with the idioms rewritten the same way (capitals and punctuation kept), for VADER's own rules. */
  readonly text: string;
}

const NEGATORS = new Set(['not', 'no', 'never', 'nothing', 'nobody', 'none', 'neither', 'nor', 'without', 'cannot', 'hardly', 'barely']);
/** Clause punctuation, which ends a negation's scope. */
export const CLAUSE_END = /^[.,;:!?]$/;
/** Where a negation's scope ends: clause punctuation or a contrasting "but". */
export const endsEnglishScope = (word: string): boolean => CLAUSE_END.test(word) || word === 'but';
/** Negators that, before a comparative, make it emphatic ("can't be happier"); "not" only after "could" or "can". */
const EMPHATIC_NEGATORS = new Set(["can't", 'cannot', "couldn't", 'never', 'nothing', 'nobody', 'no']);
/** Words that may stand between such a negator and its comparative: "couldn't have possibly felt any better". */
const BRIDGE = new Set([
  'could',
  'can',
  'be',
  'been',
  'have',
  "i've",
  'has',
  'had',
  'ever',
  'possibly',
  'any',
  'much',
  'even',
  'get',
  'got',
  'gotten',
  'feel',
  'felt',
  'look',
  'looked',
  'go',
  'gone',
  'went',
  'turn',
  'turned',
  'out',
  'work',
  'worked',
  'sound',
  'sounded',
  'ask',
  'asked',
  'for',
  'a',
  'an',
]);
const COMPARATIVES = new Set(['better', 'worse', 'more', 'less', 'happier', 'prouder', 'greater', 'nicer', 'sweeter', 'kinder', 'sadder', 'angrier']);
const isComparative = (word: string) => COMPARATIVES.has(word) || /^[a-z]{3,}ier$/.test(word);
/** Verbs that take a negator without passing it on: "can't wait", "can't believe how …". */
const SELF_NEGATED_VERBS = new Set(['wait', 'believe', 'stop', 'help', 'imagine', 'resist']);
const MODAL_NEGATORS = new Set(["can't", 'cannot', "couldn't"]);

interface Located {
  word: string;
  start: number;
  end: number;
}

function tokenise(normal: string): Located[] {
  return [...normal.matchAll(/[a-z0-9]+(?:'[a-z]+)?|[.,;:!?]/g)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
}

export const isEnglishNegator = (word: string): boolean => NEGATORS.has(word) || word.endsWith("n't");
/** Quantifiers, not comparatives, right after these: "no more tears", "nothing more to say". */
const QUANTIFYING_NEGATORS = new Set(['no', 'nothing', 'nobody']);

/** The superlative a comparative stands for in an emphatic idiom: "couldn't be happier" is "happiest". */
export function superlativeOf(comparative: string): string {
  const irregular: Record<string, string> = { better: 'best', worse: 'worst', more: 'most', less: 'least' };
  return irregular[comparative] ?? comparative.replace(/ier$/, 'iest').replace(/([^i])er$/, '$1est');
}

/** An idiom around a negator: the tokens to drop (from, to exclusive), and the word that stands at `to` instead. */
interface Idiom {
  from: number;
  to: number;
  reading?: string;
}
/**
 * Reassurance and litotes that mean "fine": "not bad" anywhere; "no problem", "no worries", "not a problem" only as
 * a reply, at the end of their clause ("you have no problems changing it" is not reassurance).
 */
const FINE: readonly { phrase: string; length: number; asReply: boolean }[] = [
  { phrase: 'not bad', length: 2, asReply: false },
  { phrase: 'not too bad', length: 3, asReply: false },
  { phrase: 'no problem', length: 2, asReply: true },
  { phrase: 'no problems', length: 2, asReply: true },
  { phrase: 'no worries', length: 2, asReply: true },
  { phrase: 'not a problem', length: 3, asReply: true },
];

function idiomAt(words: readonly string[], i: number): Idiom | undefined {
  const [w, next, after] = [words[i], words[i + 1], words[i + 2]];
  for (const { phrase, length, asReply } of FINE) {
    const following = words[i + length];
    const clauseEnds = following === undefined || CLAUSE_END.test(following) || (following === 'at' && words[i + length + 1] === 'all');
    if (words.slice(i, i + length).join(' ') === phrase && (!asReply || clauseEnds)) return { from: i, to: i + length - 1, reading: 'fine' };
  }
  if ((w === 'no' || w === 'without') && next === 'doubt') return { from: i, to: i + 2 };
  if (w === 'without' && next === 'a' && after === 'doubt') return { from: i, to: i + 3 };
  if ((w === 'no' && next === 'wonder') || (w === 'not' && next === 'only') || (w === 'nothing' && next === 'but')) return { from: i, to: i + 2 };
  const modal = MODAL_NEGATORS.has(w) || (w === 'not' && (words[i - 1] === 'could' || words[i - 1] === 'can'));
  if (modal) {
    const at = next === 'even' || next === 'just' ? i + 2 : i + 1;
    // "can't stop smiling" keeps smiling: "stop" alone would read as a halt; "can't stand" is hate.
    if (words[at] === 'stop') return { from: i, to: at, reading: 'keep' };
    if (words[at] === 'stand') return { from: i, to: at, reading: 'hate' };
    if (SELF_NEGATED_VERBS.has(words[at]) || (next === 'get' && after === 'enough') || (next === 'agree' && after === 'more')) return { from: i, to: i + 1 };
  }
  if (modal || EMPHATIC_NEGATORS.has(w)) {
    let j = i + 1;
    while (j < words.length && BRIDGE.has(words[j])) j++;
    const quantifier = j === i + 1 && QUANTIFYING_NEGATORS.has(w) && (words[j] === 'more' || words[j] === 'less');
    // Read as the superlative alone: without its negator, "could be better" would be a complaint.
    if (j < words.length && isComparative(words[j]) && !quantifier) return { from: w === 'not' ? i - 1 : i, to: j, reading: superlativeOf(words[j]) };
    if (w === 'never' && (words[j] === 'so' || words[j] === 'this')) return { from: i, to: i + 1 };
  }
  return undefined;
}

/**
 * Tokens with their negation scope, and the text as VADER should read it (the idioms rewritten the same way). Fixed
 * expressions (english-idioms.ts) are read as the word they mean first, so "didn't let me down" negates "disappointed".
 */
export function readEnglish(text: string): EnglishReading {
  // Every feature family of one analysis asks for the same text's reading in turn: the last one is kept.
  if (lastReading?.source !== text) lastReading = { source: text, reading: computeReading(text) };
  return lastReading.reading;
}
let lastReading: { source: string; reading: EnglishReading } | undefined;

/** Lower-cased, with typographic apostrophes straightened; the same length as the text, so offsets carry over. */
export const normalEnglish = (text: string): string => text.toLowerCase().replace(/[‘’`´]/g, "'");

function computeReading(text: string): EnglishReading {
  const normal = normalEnglish(text);
  const located = tokenise(normal);
  const words = located.map((t) => t.word);
  // index → what stands there instead ('' to drop it)
  const rewritten = new Map<number, string>();
  for (let i = 0; i < words.length; i++) {
    const phrase = englishIdiomAt(words, i);
    if (!phrase) continue;
    for (let k = i; k < phrase.to; k++) rewritten.set(k, '');
    rewritten.set(phrase.to, phrase.reading);
    i = phrase.to;
  }
  for (let i = 0; i < words.length; i++) {
    if (!isEnglishNegator(words[i])) continue;
    const idiom = idiomAt(words, i);
    if (!idiom) continue;
    for (let k = idiom.from; k < idiom.to; k++) rewritten.set(k, '');
    if (idiom.reading !== undefined) rewritten.set(idiom.to, idiom.reading);
  }
  const tokens: EnglishToken[] = [];
  let negated = false;
  for (let i = 0; i < words.length; i++) {
    const word = rewritten.get(i) ?? words[i];
    if (!word) continue;
    if (endsEnglishScope(word)) negated = false;
    tokens.push({ word, negated: negated && !CLAUSE_END.test(word) });
    if (isEnglishNegator(word)) negated = true;
  }
  // Same length: the lower-casing kept every offset, so the original's capitals can stay for VADER.
  const source = normal.length === text.length ? text : normal;
  let kept = '';
  let from = 0;
  for (const [i, replacement] of [...rewritten].sort(([a], [b]) => a - b)) {
    kept += source.slice(from, located[i].start) + replacement;
    from = located[i].end;
  }
  kept += source.slice(from);
  return { tokens, text: kept.replace(/\s{2,}/g, ' ').trim() };
}
