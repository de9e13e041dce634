/**
 * Late fusion of whichever modalities are present. Each modality brings a label distribution, valence/arousal and a
 * calibrated confidence; its weight is confidence × learned reliability (normalised over the modalities present).
 * Labels are pooled log-linearly (a weighted product of the distributions, so two modalities that lean the same way
 * reinforce each other) unless they conflict, when the pool is linear; valence and arousal are the weighted means.
 * Disagreement is measured before pooling, pair by pair: half the total-variation distance between the label
 * distributions plus half the distance between the valence/arousal points (scaled to 0–1); the largest pair's is the
 * disagreement, so one dissenting modality among agreeing ones is not averaged away. From the learned threshold the
 * result says `conflict` and its confidence is lowered, so a smiling face over a sad voice is reported as such instead
 * of being averaged into "neutral".
 */
import { probabilitiesNear, round3, roundDistribution } from '../affect-labels';
import { type Emotion, type FaceAnalysis, type FusedAffect, type Modality, type TextAnalysis, VOICE_EMOTIONS, type VoiceAnalysis } from '../types';
import SHIPPED_FUSION from '../models/fusion.json';
import { type FusionParameters, validateFusionModel } from './fusion-model';

/** What one modality says. `probabilities` is optional; without it, `confidence` goes to `emotion` and the rest is spread by proximity on the plane. */
export interface ModalityEvidence {
  emotion: Emotion;
  valence: number;
  arousal: number;
  confidence: number;
  probabilities?: Partial<Record<Emotion, number>>;
}

export interface FusionDetail extends FusedAffect {
  /** The pooled label distribution. */
  probabilities: Record<Emotion, number>;
  /** True when disagreement reaches the learned threshold. */
  conflict: boolean;
  /** Per modality: its weight and what it said. */
  contributions: Partial<Record<Modality, { weight: number; emotion: Emotion; valence: number; arousal: number; confidence: number }>>;
}

const MODALITIES: readonly Modality[] = ['face', 'voice', 'text'];
const FLOOR = 1e-3;

function distribution(evidence: ModalityEvidence): number[] {
  if (evidence.probabilities) {
    const raw = VOICE_EMOTIONS.map((l) => Math.max(0, evidence.probabilities?.[l] ?? 0));
    const sum = raw.reduce((s, p) => s + p, 0);
    if (sum > 0) return tempered(raw, sum, evidence);
  }
  const near = probabilitiesNear(evidence.valence, evidence.arousal);
  const rest = VOICE_EMOTIONS.map((l) => (l === evidence.emotion ? 0 : ((near as Partial<Record<Emotion, number>>)[l] ?? 0)));
  const restSum = rest.reduce((s, p) => s + p, 0) || 1;
  const c = Math.min(1, Math.max(0, evidence.confidence));
  return VOICE_EMOTIONS.map((l, i) => (l === evidence.emotion ? c : ((1 - c) * rest[i]) / restSum));
}

/**
 * A modality surer of its label than of itself (text whose words the model mostly did not know: its confidence is the
 * label's probability damped by coverage) is heard at its own confidence: the distribution is drawn towards uniform
 * over the labels it reports until its top label carries that confidence. Face and voice, whose confidence is their
 * top probability, pass unchanged.
 */
function tempered(raw: number[], sum: number, evidence: ModalityEvidence): number[] {
  const p = raw.map((x) => x / sum);
  const reported = VOICE_EMOTIONS.map((l) => evidence.probabilities?.[l] !== undefined);
  const uniform = 1 / reported.filter(Boolean).length;
  const top = Math.max(...p);
  const confidence = Math.min(1, Math.max(0, evidence.confidence));
  if (confidence >= top - 1e-3 || top <= uniform) return p;
  const trust = Math.max(0, (confidence - uniform) / (top - uniform));
  return p.map((x, k) => trust * x + (1 - trust) * (reported[k] ? uniform : 0));
}

/** A face analysis as fusion evidence: the faces' probabilities averaged by box area (the largest face counts most). */
export function faceEvidence(face: FaceAnalysis): ModalityEvidence {
  const areas = face.faces.map((f) => Math.max(1, f.box.width * f.box.height));
  const total = areas.reduce((s, a) => s + a, 0);
  const probabilities: Partial<Record<Emotion, number>> = {};
  face.faces.forEach((f, i) => {
    for (const [label, p] of Object.entries(f.probabilities)) probabilities[label as Emotion] = (probabilities[label as Emotion] ?? 0) + (p * areas[i]) / total;
  });
  return { emotion: face.emotion, valence: face.valence, arousal: face.arousal, confidence: face.confidence, ...(face.faces.length ? { probabilities } : {}) };
}

let shipped: FusionParameters | undefined;
const shippedParameters = () => (shipped ??= validateFusionModel(SHIPPED_FUSION, 'models/fusion.json'));

export function fuseModalities(evidence: Partial<Record<Modality, ModalityEvidence>>, parameters: FusionParameters = shippedParameters()): FusionDetail {
  const present = MODALITIES.filter((m) => evidence[m]);
  if (!present.length) throw new RangeError('fusion needs at least one modality');
  const distributions = new Map(present.map((m) => [m, distribution(evidence[m]!)]));
  const raw = present.map((m) => parameters.reliability[m] * Math.max(0.02, Math.min(1, evidence[m]!.confidence)));
  const rawSum = raw.reduce((s, w) => s + w, 0);
  const weights = new Map(present.map((m, i) => [m, raw[i] / rawSum]));

  let disagreement = 0;
  for (let i = 0; i < present.length; i++) {
    for (let j = i + 1; j < present.length; j++) {
      const [a, b] = [present[i], present[j]];
      const pa = distributions.get(a)!;
      const pb = distributions.get(b)!;
      const tv = 0.5 * pa.reduce((s, p, k) => s + Math.abs(p - pb[k]), 0);
      const plane = Math.hypot(evidence[a]!.valence - evidence[b]!.valence, evidence[a]!.arousal - evidence[b]!.arousal) / (2 * Math.SQRT2);
      disagreement = Math.max(disagreement, 0.5 * tv + 0.5 * Math.min(1, 2 * plane));
    }
  }
  const conflict = disagreement >= parameters.conflictThreshold;

  // Agreeing modalities: a log-linear pool (exponents weight × number of modalities; equal weights give the plain
  // product), so shared evidence reinforces. Conflicting ones: a linear pool, whose top label is one a modality
  // actually reported, never a compromise neither of them said.
  const pooled = VOICE_EMOTIONS.map((_, k) =>
    conflict
      ? present.reduce((s, m) => s + weights.get(m)! * distributions.get(m)![k], 0)
      : present.reduce((s, m) => s + weights.get(m)! * present.length * Math.log(distributions.get(m)![k] + FLOOR), 0),
  );
  const max = Math.max(...pooled);
  const unnormalised = pooled.map((l) => (conflict ? l : Math.exp(l - max)));
  const pooledSum = unnormalised.reduce((s, p) => s + p, 0);
  const probabilities = Object.fromEntries(VOICE_EMOTIONS.map((l, k) => [l, unnormalised[k] / pooledSum])) as Record<Emotion, number>;
  const emotion = VOICE_EMOTIONS.reduce((best, l) => (probabilities[l] > probabilities[best] ? l : best), VOICE_EMOTIONS[0]);

  // In a conflict the coordinates follow the modalities that back the reported label, not the midpoint of both.
  const backing = new Map(present.map((m) => [m, weights.get(m)! * (conflict ? distributions.get(m)![VOICE_EMOTIONS.indexOf(emotion)] + FLOOR : 1)]));
  const backingSum = [...backing.values()].reduce((s, w) => s + w, 0);
  const valence = present.reduce((s, m) => s + (backing.get(m)! / backingSum) * evidence[m]!.valence, 0);
  const arousal = present.reduce((s, m) => s + (backing.get(m)! / backingSum) * evidence[m]!.arousal, 0);
  const confidence = probabilities[emotion] * (conflict ? 1 - disagreement : 1);

  const contributions: FusionDetail['contributions'] = {};
  for (const m of present) {
    const e = evidence[m]!;
    contributions[m] = { weight: round3(weights.get(m)!), emotion: e.emotion, valence: e.valence, arousal: e.arousal, confidence: e.confidence };
  }
  return {
    emotion,
    valence: round3(valence),
    arousal: round3(arousal),
    confidence: round3(confidence),
    weights: roundDistribution(Object.fromEntries(present.map((m) => [m, weights.get(m)!])), present),
    disagreement: round3(disagreement),
    probabilities: roundDistribution(probabilities, VOICE_EMOTIONS),
    conflict,
    contributions,
  };
}

/** Fuses the recognisers' own results (the analyze contract's face/voice/text), using every probability they carry. */
export function fuseAnalyses(
  analyses: { face?: FaceAnalysis; voice?: VoiceAnalysis; text?: TextAnalysis & { probabilities?: Partial<Record<Emotion, number>> } },
  parameters?: FusionParameters,
): FusionDetail {
  const evidence: Partial<Record<Modality, ModalityEvidence>> = {};
  if (analyses.face) evidence.face = faceEvidence(analyses.face);
  if (analyses.voice) evidence.voice = analyses.voice;
  if (analyses.text) evidence.text = analyses.text;
  return fuseModalities(evidence, parameters);
}
