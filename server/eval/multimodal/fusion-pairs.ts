/**
 * Face + voice + text sets for fitting and evaluating the fusion, built from the dev sets so that no recogniser has
 * seen its part of a set: each emodb-dev clip's voice reading comes from the model trained without its speaker
 * (leave one speaker out, read as the service reads a user's successive recordings), each post's text reading from
 * the classifier trained on zh-emotion's train split only (dev posts), each face's reading from the shipped recogniser
 * end to end on FER-2013 PrivateTest faces (its calibration was fitted on PublicTest). Sets share one of the five
 * labels all three data sets have (happy, angry, sad, fearful, neutral). Per voice clip and draw:
 *   same:     a post and a face with the clip's label (gold: that label);
 *   text-odd: a post of opposite valence (happy against sad, angry or fearful, and the reverse), the same face;
 *   face-odd: the same post, a face of opposite valence.
 * Any two or three of a set's readings make a fusion case (`FUSION_SUBSETS`): one label throughout is an agreement,
 * two readings of opposite valence a conflict. Speakers 03, 08, 09, the even-numbered posts and the even PrivateTest
 * faces make the fitting half; speakers 10–13, the odd posts and the odd faces the evaluation half.
 */
import { readFile } from 'node:fs/promises';
import { affectOfProbabilities } from '../../src/multimodal/engine/affect-labels';
import { faceEvidence, type ModalityEvidence } from '../../src/multimodal/engine/fusion/fuse';
import { VisualEmotionRecognizer } from '../../src/multimodal/engine/face/visual-emotion-recognizer';
import { jiebaSegmenter } from '../../src/multimodal/engine/text/segmenter';
import { TextAffectRecognizer } from '../../src/multimodal/engine/text/text-affect';
import type { Emotion, Modality } from '../../src/multimodal/engine/types';
import { createRng, type Rng } from '../../src/music/engine/rng';
import { loadEmoDb, loadZhEmotion } from './datasets';
import { loadFacesDev } from './faces-dev';
import { chineseModelForEvaluation } from './text-training';
import { VOICE_LABELS, voiceHeldOut } from './voice-training';

export const PAIR_LABELS: readonly Emotion[] = ['happy', 'angry', 'sad', 'fearful', 'neutral'];
const ZH_TO_SHARED: Record<string, Emotion> = { happy: 'happy', angry: 'angry', sad: 'sad', fear: 'fearful', neutral: 'neutral' };
const OPPOSITE: Partial<Record<Emotion, Emotion[]>> = { happy: ['sad', 'angry', 'fearful'], sad: ['happy'], angry: ['happy'], fearful: ['happy'] };
const FIT_SPEAKERS = new Set(['03', '08', '09']);

/** The modality combinations the fusion is fitted and measured on. */
export const FUSION_SUBSETS: readonly (readonly Modality[])[] = [
  ['voice', 'text'],
  ['face', 'voice'],
  ['face', 'text'],
  ['face', 'voice', 'text'],
];

export interface Reading {
  label: Emotion;
  evidence: ModalityEvidence;
}

export interface EvidenceSet {
  half: 'fit' | 'eval';
  kind: 'same' | 'text-odd' | 'face-odd';
  readings: Record<Modality, Reading>;
}

/** Whether a set's readings in `subset` agree (one label), conflict (two of opposite valence) or neither. */
export function relation(set: EvidenceSet, subset: readonly Modality[]): 'same' | 'conflict' | 'other' {
  const labels = subset.map((m) => set.readings[m].label);
  if (labels.every((l) => l === labels[0])) return 'same';
  return labels.some((a) => labels.some((b) => OPPOSITE[a]?.includes(b))) ? 'conflict' : 'other';
}

export function evidenceOf(set: EvidenceSet, subset: readonly Modality[]): Partial<Record<Modality, ModalityEvidence>> {
  return Object.fromEntries(subset.map((m) => [m, set.readings[m].evidence]));
}

interface Drawable {
  index: number;
  label: Emotion;
  evidence: ModalityEvidence;
}

function drawFrom(pool: readonly Drawable[], rng: Rng) {
  return (labels: readonly Emotion[]): Reading => {
    const candidates = pool.filter((p) => labels.includes(p.label));
    const chosen = candidates[rng.int(0, candidates.length - 1)];
    return { label: chosen.label, evidence: chosen.evidence };
  };
}

async function faceReadings(): Promise<Drawable[] | undefined> {
  const faces = loadFacesDev()
    ?.filter((s) => s.split === 'PrivateTest')
    .map((s, index) => ({ ...s, index }))
    .filter((s) => PAIR_LABELS.includes(s.label));
  if (!faces) return undefined;
  const recogniser = await VisualEmotionRecognizer.load();
  const readings: Drawable[] = [];
  for (const face of faces) {
    readings.push({ index: face.index, label: face.label, evidence: faceEvidence(await recogniser.analyze(await readFile(face.file))) });
  }
  return readings;
}

export async function buildEvidenceSets(perClip = 3): Promise<EvidenceSet[] | undefined> {
  const clips = loadEmoDb();
  const train = loadZhEmotion('train');
  const dev = loadZhEmotion('dev');
  const faces = await faceReadings();
  if (!clips || !train || !dev || !faces) return undefined;
  // The voice readings a user gets recording one clip after another (speaker-independent, then adapted to them).
  const held = voiceHeldOut(clips).running;
  const recogniser = new TextAffectRecognizer(undefined, chineseModelForEvaluation(train, jiebaSegmenter));
  const posts: Drawable[] = dev
    .map((p, index) => ({ post: p, index, label: ZH_TO_SHARED[p.label] }))
    .filter((p) => p.label)
    .map((p) => {
      const r = recogniser.analyzeDetailed(p.post.text);
      const evidence = { emotion: r.emotion, valence: r.valence, arousal: r.arousal, confidence: r.confidence, probabilities: r.probabilities };
      return { index: p.index, label: p.label, evidence };
    });
  // Separate streams, so that the voice/text draws do not depend on the faces.
  const [textRng, faceRng] = [createRng(2026), createRng(2027)];
  const sets: EvidenceSet[] = [];
  for (const h of held) {
    const label = h.example.label;
    if (!PAIR_LABELS.includes(label)) continue;
    const half = FIT_SPEAKERS.has(h.example.clip.speaker) ? 'fit' : 'eval';
    const z = h.calibrated!;
    const max = Math.max(...z);
    const e = z.map((l) => Math.exp(l - max));
    const sum = e.reduce((s, x) => s + x, 0);
    const probabilities = Object.fromEntries(VOICE_LABELS.map((l, k) => [l, e[k] / sum])) as Partial<Record<Emotion, number>>;
    const top = VOICE_LABELS[z.indexOf(max)];
    const voice: Reading = { label, evidence: { emotion: top, confidence: probabilities[top]!, probabilities, ...affectOfProbabilities(probabilities) } };
    const inHalf = (p: Drawable) => (p.index % 2 === 0) === (half === 'fit');
    const [drawPost, drawFace] = [drawFrom(posts.filter(inHalf), textRng), drawFrom(faces.filter(inHalf), faceRng)];
    for (let k = 0; k < perClip; k++) {
      const [text, face] = [drawPost([label]), drawFace([label])];
      sets.push({ half, kind: 'same', readings: { voice, text, face } });
      const opposite = OPPOSITE[label];
      if (opposite) {
        sets.push({ half, kind: 'text-odd', readings: { voice, text: drawPost(opposite), face } });
        sets.push({ half, kind: 'face-odd', readings: { voice, text, face: drawFace(opposite) } });
      }
    }
  }
  return sets;
}
