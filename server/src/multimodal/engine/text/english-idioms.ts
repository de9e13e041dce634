/**
 * Fixed English expressions whose words mean something else one by one: "passed away" is "died" though neither word
 * is sad, "over the moon" is "delighted" and "fed up" is "annoyed". readEnglish (english-negation.ts) reads each as
 * the one word it means, for the word n-grams, the word vectors, VADER and the emotion words alike. The list is the
 * project's own, written from common usage, not fitted to any data set.
 */

type Slot = string | RegExp;

const OBJECT = /^(me|us|him|her|them|you|everyone|everybody)$/;
const POSSESSIVE = /^(my|his|her|their|our|your)$/;

const PHRASES: readonly { pattern: readonly Slot[]; reading: string }[] = [
  { pattern: [/^pass(ed|es|ing)?$/, 'away'], reading: 'died' },
  { pattern: [/^(broke|break|breaks|breaking)$/, 'up', 'with'], reading: 'breakup' },
  { pattern: [/^(let|lets|letting)$/, OBJECT, 'down'], reading: 'disappointed' },
  { pattern: ['over', 'the', 'moon'], reading: 'delighted' },
  { pattern: ['on', 'cloud', 'nine'], reading: 'delighted' },
  { pattern: ['on', 'top', 'of', 'the', 'world'], reading: 'delighted' },
  { pattern: [/^(made|makes|make)$/, /^(my|our)$/, 'day'], reading: 'delighted' },
  { pattern: [/^(had|have|having)$/, 'a', 'blast'], reading: 'enjoyed' },
  { pattern: ['down', 'in', 'the', 'dumps'], reading: 'depressed' },
  { pattern: ['fed', 'up'], reading: 'annoyed' },
  { pattern: [/^(pissed|ticked)$/, 'off'], reading: 'angry' },
  { pattern: [/^(lost|lose|loses|losing)$/, POSSESSIVE, 'temper'], reading: 'rage' },
  { pattern: [/^(freaked|freaking|freak|freaks)$/, 'out'], reading: 'panic' },
  { pattern: ['stressed', 'out'], reading: 'stressed' },
  { pattern: [/^(burned|burnt|worn)$/, 'out'], reading: 'exhausted' },
  { pattern: [/^(fell|fall|falls|falling)$/, 'apart'], reading: 'collapsed' },
  { pattern: [/^(burst|bursts|bursting)$/, 'into', 'tears'], reading: 'crying' },
  { pattern: [/^(cry|cries|cried|crying|weep|weeps|wept|weeping|sobbed|sobbing)$/, /^(with|for)$/, /^(joy|happiness|relief)$/], reading: 'overjoyed' },
  { pattern: [/^(cry|cries|cried|crying|weep|weeps|wept|weeping|shed|shedding)$/, 'tears', 'of', /^(joy|happiness|relief)$/], reading: 'overjoyed' },
  { pattern: ['tears', 'of', /^(joy|happiness|relief)$/], reading: 'overjoyed' },
  { pattern: ['piece', 'of', 'cake'], reading: 'easy' },
  { pattern: [/^(scared|frightened|terrified|petrified)$/, 'to', 'death'], reading: 'terrified' },
  { pattern: ['bored', 'to', /^(death|tears)$/], reading: 'bored' },
  { pattern: [/^(nailed|crushed|smashed|aced)$/, 'it'], reading: 'triumphed' },
  { pattern: ['aced'], reading: 'excelled' },
  { pattern: [/^(blew|blown)$/, 'it'], reading: 'failed' },
  { pattern: [/^(screwed|messed)$/, 'up'], reading: 'failed' },
  { pattern: [/^(heart|hearts)$/, /^(sank|sinks|sinking|sunk)$/], reading: 'disappointed' },
  { pattern: ['on', 'edge'], reading: 'nervous' },
  { pattern: ['walking', 'on', 'air'], reading: 'delighted' },
  { pattern: ['at', POSSESSIVE, 'wits', 'end'], reading: 'desperate' },
  { pattern: ['sick', 'to', POSSESSIVE, 'stomach'], reading: 'disgusted' },
];

const fits = (slot: Slot, word: string | undefined): boolean => word !== undefined && (typeof slot === 'string' ? slot === word : slot.test(word));

/** The expression starting at word i, if any: its last word's index and the word it means. */
export function englishIdiomAt(words: readonly string[], i: number): { to: number; reading: string } | undefined {
  for (const { pattern, reading } of PHRASES) if (pattern.every((slot, k) => fits(slot, words[i + k]))) return { to: i + pattern.length - 1, reading };
  return undefined;
}
