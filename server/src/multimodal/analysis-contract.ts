import type { FaceAnalysis, FusedAffect, MultimodalAnalysis, TextAnalysis, VoiceAnalysis } from './engine/types';

/**
 * The answer of analyze holds exactly the contract's fields: the recognisers may return more (the text engine's
 * label distribution, fusion's contributions), which feed the fusion but are not part of the API.
 */
export function contractOf(parts: { face?: FaceAnalysis; voice?: VoiceAnalysis; text?: TextAnalysis }, fused: FusedAffect): MultimodalAnalysis {
  const { face, voice, text } = parts;
  return {
    ...(face
      ? {
          face: {
            faces: face.faces.map(({ box, emotion, probabilities, valence, arousal }) => ({
              box: { x: box.x, y: box.y, width: box.width, height: box.height },
              emotion,
              probabilities,
              valence,
              arousal,
            })),
            detector: face.detector,
            emotion: face.emotion,
            valence: face.valence,
            arousal: face.arousal,
            confidence: face.confidence,
          },
        }
      : {}),
    ...(voice
      ? { voice: { emotion: voice.emotion, probabilities: voice.probabilities, valence: voice.valence, arousal: voice.arousal, confidence: voice.confidence } }
      : {}),
    ...(text ? { text: { emotion: text.emotion, valence: text.valence, arousal: text.arousal, confidence: text.confidence, language: text.language } } : {}),
    fused: {
      emotion: fused.emotion,
      valence: fused.valence,
      arousal: fused.arousal,
      confidence: fused.confidence,
      weights: { ...fused.weights },
      disagreement: fused.disagreement,
    },
  };
}
