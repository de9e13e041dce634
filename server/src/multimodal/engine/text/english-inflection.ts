/**
 * The word an English inflection was made from, for word lists that hold base forms: "hates", "worried",
 * "sobbing", "angrily", "loneliness" and "scarier" lead back to hate, worry, sob, angry, lonely and scary. Regular
 * suffixes only (plural and third person, past, -ing, -ly, -ness, and -ier / -iest), one suffix deep, with the
 * spelling changes English makes (y → i, a dropped e, a doubled consonant). Plain -er and -est are left alone: they
 * make as many other words as comparatives ("sober" is not more "sob"). Candidates are proposals: a caller keeps the
 * first that its own list holds, so a non-word candidate costs nothing.
 */

/** Suffix → the stems to try, longest suffixes first so "-iness" is tried before "-ness" and "-s". */
const RULES: readonly [suffix: string, stems: (stem: string) => string[]][] = [
  ['iness', (s) => [`${s}y`]],
  ['ness', (s) => [s]],
  ['iest', (s) => [`${s}y`]],
  ['ies', (s) => [`${s}y`]],
  ['ied', (s) => [`${s}y`]],
  ['ier', (s) => [`${s}y`]],
  ['ily', (s) => [`${s}y`]],
  ['ing', (s) => [s, `${s}e`, undoubled(s)]],
  ['ed', (s) => [s, `${s}e`, undoubled(s)]],
  ['es', (s) => [s, `${s}e`]],
  ['ly', (s) => [s]],
  ['s', (s) => (s.endsWith('s') || s.endsWith('u') ? [] : [s])],
];

/** "sobb" → "sob", "madd" → "mad"; other stems are returned unchanged. */
function undoubled(stem: string): string {
  const n = stem.length;
  return n >= 3 && stem[n - 1] === stem[n - 2] && !'aeiousl'.includes(stem[n - 1]) ? stem.slice(0, -1) : stem;
}

/** Possible base forms of a lower-cased word, most likely first (the word itself not included). */
export function englishBaseCandidates(word: string): string[] {
  const candidates: string[] = [];
  for (const [suffix, stems] of RULES) {
    if (word.length < suffix.length + 3 || !word.endsWith(suffix)) continue;
    for (const stem of stems(word.slice(0, -suffix.length))) if (stem.length >= 3 && !candidates.includes(stem)) candidates.push(stem);
  }
  return candidates;
}
