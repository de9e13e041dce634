/**
 * The Chinese word table (models/zh-words.json, written by eval/multimodal/train-text.ts from CC-CEDICT's glosses):
 * valence and arousal for about 97,000 Chinese words, the fallback of the default Chinese reading for words its
 * hand-set list does not have.
 */
import SHIPPED from '../models/zh-words.json';

export const ZH_WORDS_FORMAT = 'xiaoyu-zh-word-affect/1';

export interface ZhWordTable {
  format: typeof ZH_WORDS_FORMAT;
  /** What the table was made from and under which terms. */
  source: string;
  /** Word → [valence, arousal], each in [−1, 1]. */
  words: Record<string, [number, number]>;
}

const table = SHIPPED as unknown as ZhWordTable;
const format: string = table.format;
if (format !== ZH_WORDS_FORMAT) throw new Error(`models/zh-words.json: format "${format}" is not ${ZH_WORDS_FORMAT}`);
let words: Map<string, [number, number]> | undefined;

/** The table's reading of a whole jieba word, if it has one (indexed on the first Chinese text, not at start-up). */
export function glossedWord(word: string): { valence: number; arousal: number } | undefined {
  words ??= new Map(Object.entries(table.words));
  const entry = words.get(word);
  return entry && { valence: entry[0], arousal: entry[1] };
}

export const ZH_WORDS_SOURCE = table.source;
