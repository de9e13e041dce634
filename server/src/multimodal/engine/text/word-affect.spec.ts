import { sifMean, sifWeight, type WordAffectTable, wordAffectShare } from './word-affect';

describe('word affect', () => {
  const table: WordAffectTable = { source: 'a hand-made test table', words: ['the', 'joy', 'grief'], values: [0.01, 0, 0.5, 0.2, -0.6, 0.1] };

  it('counts a frequent word less than a rare one', () => {
    expect(sifWeight(0)).toBeLessThan(0.2);
    expect(sifWeight(20_000)).toBeGreaterThan(0.99);
    expect(sifWeight(100)).toBeLessThan(sifWeight(1_000));
  });

  it('averages the known words by their weight, drawn towards zero, and ignores unknown ones', () => {
    const [valence, arousal] = wordAffectShare(table, ['joy', 'unknown'], 2);
    expect(valence).toBeCloseTo((sifWeight(1) * 0.5) / (sifWeight(1) + 2), 6);
    expect(arousal).toBeCloseTo((sifWeight(1) * 0.2) / (sifWeight(1) + 2), 6);
    expect(Array.from(wordAffectShare(table, ['unknown'], 2))).toEqual([0, 0]);
    const mixed = wordAffectShare(table, ['the', 'joy', 'grief', 'grief'], 2)[0];
    expect(mixed).toBeLessThan(0);
    expect(mixed).toBeGreaterThan(-0.6);
  });

  it('is the same mean whether it reads the table or the vectors the table was projected from', () => {
    // Two "vectors" per word and a linear read-out: projecting first, then averaging, equals averaging, then projecting.
    const vectors = [
      [1, 0],
      [0.5, 2],
      [-1, 1],
    ];
    const readOut = (v: ArrayLike<number>) => 0.3 * v[0] - 0.2 * v[1];
    const words = ['grief', 'the', 'joy', 'grief'];
    const rank = (w: string) => ['the', 'joy', 'grief'].indexOf(w);
    const projected = sifMean(words, (w) => ({ rank: rank(w), values: [readOut(vectors[rank(w)])] }), 1)[0];
    const averaged = readOut(sifMean(words, (w) => ({ rank: rank(w), values: vectors[rank(w)] }), 2));
    expect(projected).toBeCloseTo(averaged, 10);
  });
});
