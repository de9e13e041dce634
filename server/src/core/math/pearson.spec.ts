import { pearson } from './pearson';

describe('pearson', () => {
  it('is 1 for a positive linear relation and -1 for a negative one', () => {
    expect(pearson([1, 2, 3, 4], [3, 5, 7, 9])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 12);
  });

  it('matches a hand-computed value', () => {
    // x̄ = 2, ȳ = 3; Σdxdy = 2, Σdx² = 2, Σdy² = 8 → 2 / 4
    expect(pearson([1, 2, 3], [1, 5, 3])).toBeCloseTo(0.5, 12);
  });

  it('is 0 when either series is constant', () => {
    expect(pearson([2, 2, 2], [1, 2, 3])).toBe(0);
    expect(pearson([1, 2, 3], [0, 0, 0])).toBe(0);
  });

  it('reads typed arrays', () => {
    expect(pearson(Float64Array.from([0, 1, 0, 1]), [0, 2, 0, 2])).toBeCloseTo(1, 12);
  });
});
