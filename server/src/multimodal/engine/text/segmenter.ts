import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import type { Segmenter } from './features';

let jieba: Jieba | undefined;

/** jieba with its default dictionary (shipped in @node-rs/jieba, MIT), loaded once (about 200 ms) on first use. */
export const jiebaSegmenter: Segmenter = (text) => {
  jieba ??= Jieba.withDict(dict);
  return jieba.cut(text, true);
};
