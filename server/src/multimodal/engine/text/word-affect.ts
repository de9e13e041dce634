/**
 * Word vectors in the English model, folded into per-word affect. Training (eval/multimodal/text-training.ts) gives
 * the regression the SIF-weighted mean of the sentence's GloVe vectors as 100 real-valued columns (Arora et al.
 * 2017: a frequent word counts a / (a + p(word)), so "the" says little and "grief" a lot). A linear model's share of a
 * mean is the mean of each word's share, so after fitting every word's vector is projected onto the learned columns
 * and only those projections ship (`wordAffect`: a few numbers per word, no vectors): through the embedding, a word
 * the 8,000 training sentences never contain still carries the affect of the words it sits near (GloVe's 6-billion-word
 * corpus). Both sides call `sifMean`, so the shipped table and the trained columns cannot drift apart.
 */

/** SIF's a, with p(word) from its frequency rank by Zipf's law (p ≈ 0.1 / (rank + 10)). */
const SIF_A = 1e-3;

export const sifWeight = (rank: number): number => SIF_A / (SIF_A + 0.1 / (rank + 10));

/**
 * Weight of zeros added to every mean, about two content words' worth: a short text's one or two words would
 * otherwise carry their full share ("It is raining" read as sad as "I am sad"). Five-fold cross-validation on EmoBank
 * train, whose sentences are longer, reads the same with 0.5 to 5 (r valence 0.657–0.660) as without (0.658).
 */
const PRIOR_WEIGHT = 2;

export interface RankedValues {
  /** The word's position in the vector set's frequency order (0: the commonest). */
  rank: number;
  values: ArrayLike<number>;
}

/**
 * The SIF-weighted mean of the values of the words found by `lookup` (each word as often as it occurs), drawn
 * towards zero by PRIOR_WEIGHT.
 */
export function sifMean(words: readonly string[], lookup: (word: string) => RankedValues | undefined, size: number): Float64Array {
  const sum = new Float64Array(size);
  let total = PRIOR_WEIGHT;
  for (const word of words) {
    const found = lookup(word);
    if (!found) continue;
    const weight = sifWeight(found.rank);
    for (let d = 0; d < size; d++) sum[d] += weight * found.values[d];
    total += weight;
  }
  for (let d = 0; d < size; d++) sum[d] /= total;
  return sum;
}

/** A model's word-affect table: words in the vector set's frequency order, `outputs` numbers per word. */
export interface WordAffectTable {
  /** Where the vectors came from (shown with the model's `trainedOn`). */
  source: string;
  words: string[];
  /** Row-major: word i's share of output k at i · outputs + k. */
  values: number[];
}

const indexes = new WeakMap<WordAffectTable, { rank: Map<string, number>; values: Float64Array }>();

/** The table's contribution to each output for these words (zeros when it knows none of them). */
export function wordAffectShare(table: WordAffectTable, words: readonly string[], outputs: number): Float64Array {
  let index = indexes.get(table);
  if (!index) {
    index = { rank: new Map(table.words.map((w, i) => [w, i])), values: Float64Array.from(table.values) };
    indexes.set(table, index);
  }
  const { rank, values } = index;
  return sifMean(
    words,
    (word) => {
      const at = rank.get(word);
      return at === undefined ? undefined : { rank: at, values: values.subarray(at * outputs, (at + 1) * outputs) };
    },
    outputs,
  );
}
