/**
 * Voice + text pairs for fitting and evaluating the fusion, built from the dev sets so that neither recogniser has
 * seen its half of a pair: each emodb-dev clip's voice reading comes from the model trained without its speaker
 * (leave one speaker out, read as the service reads a user's successive recordings), each post's text reading from the classifier trained on zh-emotion's train split only
 * (dev posts). Pairs share one of the five labels both sets have (happy, angry, sad, fearful, neutral).
 *   same-label: a clip and a post with the same label (gold: that label);
 *   conflicting: a clip and a post of opposite valence (happy with sad, angry or fearful, and the reverse).
 * Speakers 03, 08, 09 and the even-numbered posts make the fitting half; speakers 10–13 and the odd posts the
 * evaluation half.
 */
import { affectOfProbabilities } from '../../src/multimodal/engine/affect-labels';
import type { ModalityEvidence } from '../../src/multimodal/engine/fusion/fuse';
import { jiebaSegmenter } from '../../src/multimodal/engine/text/segmenter';
import { TextAffectRecognizer } from '../../src/multimodal/engine/text/text-affect';
import type { Emotion } from '../../src/multimodal/engine/types';
import { createRng } from '../../src/music/engine/rng';
import { loadEmoDb, loadZhEmotion } from './datasets';
import { chineseModelForEvaluation } from './text-training';
import { VOICE_LABELS, voiceHeldOut } from './voice-training';

export const PAIR_LABELS: readonly Emotion[] = ['happy', 'angry', 'sad', 'fearful', 'neutral'];
const ZH_TO_SHARED: Record<string, Emotion> = { happy: 'happy', angry: 'angry', sad: 'sad', fear: 'fearful', neutral: 'neutral' };
const OPPOSITE: Partial<Record<Emotion, Emotion[]>> = { happy: ['sad', 'angry', 'fearful'], sad: ['happy'], angry: ['happy'], fearful: ['happy'] };
const FIT_SPEAKERS = new Set(['03', '08', '09']);

export interface EvidencePair {
  half: 'fit' | 'eval';
  kind: 'same' | 'conflict';
  voiceLabel: Emotion;
  textLabel: Emotion;
  voice: ModalityEvidence;
  text: ModalityEvidence;
}

export function buildPairs(perClip = 3): EvidencePair[] | undefined {
  const clips = loadEmoDb();
  const train = loadZhEmotion('train');
  const dev = loadZhEmotion('dev');
  if (!clips || !train || !dev) return undefined;
  // The voice readings a user gets recording one clip after another (speaker-independent, then adapted to them).
  const held = voiceHeldOut(clips).running;
  const recogniser = new TextAffectRecognizer(undefined, chineseModelForEvaluation(train, jiebaSegmenter));
  const posts = dev
    .map((p, i) => ({ post: p, index: i, label: ZH_TO_SHARED[p.label] }))
    .filter((p) => p.label)
    .map((p) => {
      const r = recogniser.analyzeDetailed(p.post.text);
      return {
        ...p,
        evidence: { emotion: r.emotion, valence: r.valence, arousal: r.arousal, confidence: r.confidence, probabilities: r.probabilities },
      };
    });
  const rng = createRng(2026);
  const pairs: EvidencePair[] = [];
  for (const h of held) {
    const voiceLabel = h.example.label;
    if (!PAIR_LABELS.includes(voiceLabel)) continue;
    const half = FIT_SPEAKERS.has(h.example.clip.speaker) ? 'fit' : 'eval';
    const z = h.calibrated!;
    const max = Math.max(...z);
    const e = z.map((l) => Math.exp(l - max));
    const sum = e.reduce((s, x) => s + x, 0);
    const probabilities = Object.fromEntries(VOICE_LABELS.map((l, k) => [l, e[k] / sum])) as Partial<Record<Emotion, number>>;
    const top = VOICE_LABELS[z.indexOf(max)];
    const voice: ModalityEvidence = { emotion: top, confidence: probabilities[top]!, probabilities, ...affectOfProbabilities(probabilities) };
    const pool = posts.filter((p) => (p.index % 2 === 0) === (half === 'fit'));
    const draw = (labels: readonly Emotion[]) => {
      const candidates = pool.filter((p) => labels.includes(p.label));
      return candidates[rng.int(0, candidates.length - 1)];
    };
    for (let k = 0; k < perClip; k++) {
      const same = draw([voiceLabel]);
      pairs.push({ half, kind: 'same', voiceLabel, textLabel: same.label, voice, text: same.evidence });
      const opposite = OPPOSITE[voiceLabel];
      if (opposite) {
        const other = draw(opposite);
        pairs.push({ half, kind: 'conflict', voiceLabel, textLabel: other.label, voice, text: other.evidence });
      }
    }
  }
  return pairs;
}
