/**
 * The English emotion label. EmoBank teaches valence and arousal only, and in its ratings sad, frightened and
 * disgusted sentences sit close together (mildly negative, mid arousal), so the coordinates alone can tell happy,
 * sad, angry and neutral apart but not fear, disgust or surprise. Explicit emotion words and expressions (not
 * negated) add their label; negated, a happy word counts half towards sad, a negative one half towards neutral ("not
 * afraid", "don't worry"), and an expectation is surprise ("didn't expect"). The hand-set lists below are the
 * project's own, written from common usage, not fitted to any data set. A text that names no feeling is labelled by
 * where its reading sits among the learned label positions (label-anchors.ts).
 */
import { withEmotionCues } from '../affect-labels';
import type { FaceEmotion } from '../types';
import { englishBaseCandidates } from './english-inflection';
import { endsEnglishScope, isEnglishNegator, normalEnglish, readEnglish } from './english-negation';
import { labelsNearAnchors, type LabelAnchors } from './label-anchors';

const CUES: ReadonlyMap<string, FaceEmotion> = new Map(
  (
    [
      [
        'happy',
        'happy happier happiest glad joy joyful delighted delight delightful cheerful thrilled wonderful excited love loved lovely grateful yay hooray woohoo ' +
          'hilarious haha lol ecstatic elated overjoyed blissful celebrate celebrated celebrating celebration congratulations congrats proud pleased ' +
          'enjoy enjoyed enjoying fun laugh laughed laughing laughter smile smiled smiling amazing awesome fantastic terrific fabulous marvellous marvelous ' +
          'adore rejoice thrill bliss glee gleeful stunning',
      ],
      [
        'sad',
        'sad sadder saddest sadness cry crying cried tears tearful teary weep wept weeping sob sobbed sobbing grief grieve grieving mourn lonely ' +
          'heartbroken heartbreak heartbreaking depressed depressing depression sorrow sorrowful miserable misery died death funeral unhappy hopeless ' +
          'despair gloomy devastated disappointed disappointing disappointment melancholy homesick regret regretted rejected breakup sadden',
      ],
      [
        'angry',
        'angry angrier anger furious fury rage enraged livid fuming outraged outrage outrageous infuriated infuriating hate hatred hateful despise ' +
          'annoyed annoying mad irritated irritating frustrated frustrating frustration resent resentful unacceptable cheated betrayed lied liar liars ' +
          'idiot idiots moron jerk dammit yelling ridiculous annoy irritate infuriate enrage frustrate',
      ],
      [
        'fearful',
        'afraid scared terrified terrifying terror fear fears feared frightened frightening scary panic panicked panicking anxious anxiety nervous ' +
          'worried worry worrying horror horrified dread dreading dreaded petrified uneasy creepy spooky alarmed trembling danger dangerous intruder ' +
          'scare frighten fright terrify horrify petrify tremble',
      ],
      [
        'disgusted',
        'disgust disgusting disgusted gross grossed revolting nauseating nauseous nausea sickening repulsive repugnant yuck yucky eww ew icky nasty ' +
          'vile filthy filth rotten rotting stink stinks stinking stench smelly putrid vomit vomited vomiting puke puked gag gagged gagging slimy ' +
          'mouldy moldy maggots sicken repulsed nauseate',
      ],
      [
        'surprised',
        'surprised surprise surprising wow whoa woah omg unexpected unexpectedly astonished astonishing astounded amazed shocked stunned startled ' +
          'speechless unbelievable suddenly shock stun startle astonish astound amaze',
      ],
    ] as const
  ).flatMap(([label, words]) => words.split(' ').map((w) => [w, label])),
);

/** Derived forms that mean something other than their base: "madly in love", "I'd gladly help", "the film's grossing". */
const NOT_INFLECTIONS = new Set(['madly', 'madness', 'gladly', 'grossly', 'grossing', 'jerked', 'jerking', 'ridiculously']);

/** The label a word names, directly or through a regular inflection of a listed word ("hates", "sobbing", "scarier"). */
function cueOf(word: string): FaceEmotion | undefined {
  const listed = CUES.get(word);
  if (listed || NOT_INFLECTIONS.has(word)) return listed;
  const base = englishBaseCandidates(word).find((candidate) => CUES.has(candidate));
  return base === undefined ? undefined : CUES.get(base);
}

/**
 * Expressions whose words one by one name no feeling (matched on the lower-cased text, apostrophes straightened). A
 * negator usually silences a cue, but a negated expectation is surprise: "I didn't expect that", "never saw it coming".
 */
const PHRASE_CUES: readonly { pattern: RegExp; label: FaceEmotion }[] = [
  { pattern: /\bmiss(?:ing)? (?:you|her|him|them|my|our|home)\b/g, label: 'sad' },
  { pattern: /\b(?:feel|felt|feeling|so|all) alone\b/g, label: 'sad' },
  { pattern: /\b(?:broken heart|heart (?:is|was) broken|(?:still|it) hurts)\b/g, label: 'sad' },
  { pattern: /\b(?:how dare|sick and tired|sick of|the hell|shut up)\b/g, label: 'angry' },
  { pattern: /\b(?:what if|broke into|break into|breaking into)\b/g, label: 'fearful' },
  { pattern: /\b(?:makes?|made|making) me (?:sick|gag|want to (?:vomit|throw up|puke))\b/g, label: 'disgusted' },
  {
    pattern:
      /\b(?:no way|oh my (?:god|gosh|goodness)|(?:can't|cannot|couldn't) believe|since when|can you believe|out of nowhere|had no idea|who knew|seriously ?\?|really ?\?)|(?:^|[.!?] *)what ?[?!]/g,
    label: 'surprised',
  },
  {
    pattern: /\b(?:didn't|did not|never|wasn't|was not|weren't|not|nobody|no one)\b(?: \w+){0,3} (?:expect(?:ed|ing)?\b|(?:see|saw) (?:\w+ ){0,3}coming\b)/g,
    label: 'surprised',
  },
];

/** Emotion words and expressions in an English text, weights per label (none: an empty map). */
export function englishEmotionCues(text: string): Map<FaceEmotion, number> {
  const cues = new Map<FaceEmotion, number>();
  const add = (label: FaceEmotion, weight: number) => cues.set(label, (cues.get(label) ?? 0) + weight);
  const tokens = readEnglish(text).tokens.map((t) => t.word);
  tokens.forEach((token, i) => {
    const label = cueOf(token);
    if (!label) return;
    // A negator among the three words before, in the same clause (a local window: "I don't think I've ever been this happy").
    const window = tokens.slice(Math.max(0, i - 3), i);
    const negated = window.slice(window.findLastIndex(endsEnglishScope) + 1).some(isEnglishNegator);
    if (!negated) add(label, 1);
    // "not happy" reads as unhappy, "not afraid" as calm; a negated surprise word says nothing definite.
    else if (label === 'happy') add('sad', 0.5);
    else if (label !== 'surprised') add('neutral', 0.5);
  });
  const normal = normalEnglish(text);
  for (const { pattern, label } of PHRASE_CUES) {
    const found = normal.match(pattern)?.length ?? 0;
    if (found) add(label, found);
  }
  return cues;
}

/** Label probabilities from a reading on the plane (its nearest label positions) and the text's emotion cues; `cued` says if one was found. */
export function englishLabelProbabilities(
  text: string,
  valence: number,
  arousal: number,
  anchors: LabelAnchors,
): { probabilities: Record<FaceEmotion, number>; cued: boolean } {
  const cues = englishEmotionCues(text);
  return { probabilities: withEmotionCues(labelsNearAnchors(valence, arousal, anchors), cues), cued: cues.size > 0 };
}
