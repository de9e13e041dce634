import { englishBaseCandidates } from './english-inflection';

describe('englishBaseCandidates', () => {
  it.each([
    ['hates', 'hate'],
    ['worries', 'worry'],
    ['worried', 'worry'],
    ['sobbing', 'sob'],
    ['hated', 'hate'],
    ['scaring', 'scare'],
    ['angrily', 'angry'],
    ['cheerfully', 'cheerful'],
    ['loneliness', 'lonely'],
    ['nervousness', 'nervous'],
    ['scarier', 'scary'],
    ['loneliest', 'lonely'],
    ['grieves', 'grieve'],
  ])('proposes the base of %s (%s)', (word, base) => {
    expect(englishBaseCandidates(word)).toContain(base);
  });

  it('proposes nothing for short words, -ss words or a word without a regular suffix', () => {
    expect(englishBaseCandidates('is')).toEqual([]);
    expect(englishBaseCandidates('distress')).toEqual([]);
    expect(englishBaseCandidates('fearless')).toEqual([]);
    expect(englishBaseCandidates('happy')).toEqual([]);
    expect(englishBaseCandidates('sober')).toEqual([]);
  });
});
