import { shorten } from './shorten';

describe('shorten', () => {
  it('keeps a short text and cuts a long one with an ellipsis, never inside a surrogate pair', () => {
    expect(shorten('a rainy night', 20)).toBe('a rainy night');
    expect(shorten('abcdef', 4)).toBe('abc…');
    const cut = shorten(`${'a'.repeat(78)}😀${'b'.repeat(20)}`, 80);
    expect(cut).toBe(`${'a'.repeat(78)}😀…`);
    expect(() => encodeURIComponent(cut)).not.toThrow(); // it throws on half a surrogate pair
    expect(shorten(`${'a'.repeat(78)}𠀋𠀋`, 79)).toBe(`${'a'.repeat(78)}…`);
  });
});
