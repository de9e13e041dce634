/**
 * The English emotion label. EmoBank teaches valence and arousal only, and in its ratings sad, frightened and
 * disgusted sentences sit close together (mildly negative, mid arousal), so the coordinates alone can tell happy,
 * sad, angry, surprised and neutral apart but not fear or disgust. Explicit emotion words (not negated) add
 * their label, a negated happy word counts half towards sad; the hand-set list below is the project's own.
 */
import { withEmotionCues } from '../affect-labels';
import { type FaceEmotion, FACE_EMOTIONS } from '../types';
import { endsEnglishScope, isEnglishNegator, readEnglish } from './english-negation';

/** Label positions in the English model's own (EmoBank-scaled) valence/arousal space. */
const ANCHORS: Partial<Record<FaceEmotion, [number, number]>> = {
  neutral: [0, 0],
  happy: [0.38, 0.22],
  sad: [-0.3, 0.02],
  angry: [-0.28, 0.42],
  surprised: [0.12, 0.38],
};
const SPREAD = 0.015;

const CUES: Readonly<Record<string, FaceEmotion>> = Object.fromEntries(
  (
    [
      ['happy', 'happy happier happiest glad joy joyful delighted cheerful thrilled wonderful excited love loved lovely grateful yay hilarious haha lol'],
      [
        'sad',
        'sad sadder saddest sadness cry crying cried tears grief grieving mourn lonely heartbroken depressed sorrow miserable died death funeral unhappy',
      ],
      ['angry', 'angry angrier anger furious rage outraged outrageous hate annoyed mad irritated infuriating'],
      ['fearful', 'afraid scared terrified fear feared frightened scary panic anxious nervous worried worry worrying horror dread'],
      ['disgusted', 'disgusting disgusted gross revolting nauseating sickening repulsive yuck'],
      ['surprised', 'surprised surprise surprising wow unexpected astonished amazed shocked stunned'],
    ] as const
  ).flatMap(([label, words]) => words.split(' ').map((w) => [w, label])),
);

/** Label probabilities for an English text from the model's coordinates and any emotion words; `cued` says if one was found. */
export function englishLabelProbabilities(text: string, valence: number, arousal: number): { probabilities: Record<FaceEmotion, number>; cued: boolean } {
  const logits = FACE_EMOTIONS.map((label) => {
    const anchor = ANCHORS[label];
    return anchor ? -((anchor[0] - valence) ** 2 + (anchor[1] - arousal) ** 2) / SPREAD : -Infinity;
  });
  const max = Math.max(...logits);
  const fromCoordinates = logits.map((l) => Math.exp(l - max));
  const total = fromCoordinates.reduce((s, x) => s + x, 0);
  const cues = new Map<FaceEmotion, number>();
  const tokens = readEnglish(text).tokens.map((t) => t.word);
  tokens.forEach((token, i) => {
    const label = CUES[token];
    // A negator among the three words before, in the same clause (a local window: "I don't think I've ever been this happy").
    const window = tokens.slice(Math.max(0, i - 3), i);
    const negated = window.slice(window.findLastIndex(endsEnglishScope) + 1).some(isEnglishNegator);
    if (label && !negated) cues.set(label, (cues.get(label) ?? 0) + 1);
    // "not happy" reads as unhappy; a negated negative word ("not afraid") says nothing definite.
    else if (label === 'happy' && negated) cues.set('sad', (cues.get('sad') ?? 0) + 0.5);
  });
  const coordinates = Object.fromEntries(FACE_EMOTIONS.map((label, i) => [label, fromCoordinates[i] / total])) as Record<FaceEmotion, number>;
  const probabilities = withEmotionCues(coordinates, cues);
  return { probabilities, cued: cues.size > 0 };
}
