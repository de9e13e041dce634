/**
 * Multimodal emotion engine: pure TypeScript, no Nest; the only I/O is reading learned parameters (shipped JSON under
 * models/, or the operator's files). Face recognition lives in face/ (its own entry point); this file is the rest.
 *
 * Public interface (the multimodal service codes against exactly this):
 *
 *   Shared
 *     FACE_EMOTIONS, VOICE_EMOTIONS, ARC_SHAPES; types Emotion, Affect, FaceAnalysis, VoiceAnalysis, TextAnalysis,
 *       FusedAffect, MultimodalAnalysis, Modality, ArcShape (types.ts: the POST /api/multimodal/analyze contract)
 *     UndecodableInputError { modality: 'face'|'voice'|'text' }     thrown for input that cannot be read (→ 400/415)
 *     LABEL_AFFECT[label] → { valence, arousal }                     one circumplex table for every modality
 *   Engines, built once from the configured parameter paths (each path optional: the shipped parameters otherwise)
 *     loadMultimodalEngines({ textEnglish?, textChinese?, voice?, fusion? }) → { text, voice, fusion, storyteller }
 *       throws TextModelError | VoiceModelError | FusionModelError naming the file and what is wrong
 *   Text
 *     text.analyze(text) → TextAnalysis { emotion, valence, arousal, confidence, language: 'en'|'zh' }
 *     text.analyzeDetailed(text) → + { probabilities (7 labels), model, coverage }
 *     text.describe() → what each language is read with and what it learned from
 *   Voice
 *     voice.analyze(wavBytes) → VoiceAnalysis { emotion (incl. 'bored'), probabilities, valence, arousal, confidence }
 *       any PCM/float WAV, mono/stereo, 8–48 kHz, ≥ 0.5 s, not silent, speech standing out of its floor; else
 *       UndecodableInputError('voice')
 *     voice.analyze(wavBytes, speaker) with speaker = voice.newSpeakerBaseline(stored?) per user: the same, read
 *       relative to the user's running feature mean once it has heard enough of their recordings; speaker.state()
 *       is what to store for the next one
 *   Fusion
 *     fuseAnalyses({ face?, voice?, text? }, fusion) → FusionDetail (FusedAffect { emotion, valence, arousal,
 *       confidence, weights, disagreement } + probabilities, conflict, contributions)
 *     fuseModalities(evidence, fusion) for callers holding raw label distributions
 *   Storyteller
 *     storyteller.tell(story, { durationSec? 30–300, seed?, onStage?(stage, percent) }) → StoryMusic { language, scenes[], arc { shape, fit,
 *       scores, valence[], arousal[] }, sections[] (key, mode, tempo, instruments, transition), timeline[] { scene,
 *       startSec, endSec }, durationSec, composition }   toMidi(composition) from the music engine gives the MIDI file
 *       the music pipeline renders to audio; RangeError on an empty or over-long story (MAX_STORY_CHARS) or bad options
 *     storyteller.analyse(story) → scenes and arc only (no music)
 *   defaultTextAffect()    the shipped text engine, shared (the music topic analyser reads topics with it)
 *
 * Models, their data and terms, and the measured figures: docs/multimodal-engine.md.
 */
import { readFusionModel, type FusionParameters, validateFusionModel } from './fusion/fusion-model';
import SHIPPED_FUSION from './models/fusion.json';
import { MusicalStoryTeller } from './story/storyteller';
import { TextAffectRecognizer } from './text/text-affect';
import { VoiceEmotionRecognizer } from './voice/voice-emotion';

export * from './types';
export { LABEL_AFFECT, affectOfProbabilities } from './affect-labels';
export { TextAffectRecognizer, defaultTextAffect, MAX_TEXT_CHARS } from './text/text-affect';
export type { TextAffectDetail, TextModelName, TextModelPaths } from './text/text-affect';
export { TextModelError } from './text/text-model';
export type { TextModelParameters } from './text/text-model';
export { detectLanguage } from './text/language';
export { VoiceEmotionRecognizer, MIN_VOICE_SEC } from './voice/voice-emotion';
export { VoiceModelError } from './voice/voice-model';
export { SpeakerBaseline, type SpeakerBaselineState } from './voice/speaker-baseline';
export type { VoiceModelParameters } from './voice/voice-model';
export { faceEvidence, fuseAnalyses, fuseModalities } from './fusion/fuse';
export type { FusionDetail, ModalityEvidence } from './fusion/fuse';
export { FusionModelError } from './fusion/fusion-model';
export type { FusionParameters } from './fusion/fusion-model';
export { MusicalStoryTeller, MAX_SECTIONS, MAX_STORY_SEC, MIN_STORY_SEC } from './story/storyteller';
export type { StoryArc, StoryMusic, StoryOptions, StoryScene, StorySection, StoryStage, TimelineEntry } from './story/storyteller';
export type { SectionTransition } from './story/story-score';
export { MAX_STORY_CHARS } from './story/scenes';

export interface MultimodalModelPaths {
  textEnglish?: string;
  textChinese?: string;
  voice?: string;
  fusion?: string;
}

export interface MultimodalEngines {
  text: TextAffectRecognizer;
  voice: VoiceEmotionRecognizer;
  fusion: FusionParameters;
  storyteller: MusicalStoryTeller;
}

/** Builds every engine except the face recogniser from the configured parameter files (shipped ones when unset). */
export function loadMultimodalEngines(paths: MultimodalModelPaths = {}): MultimodalEngines {
  const text = TextAffectRecognizer.load({ english: paths.textEnglish, chinese: paths.textChinese });
  return {
    text,
    voice: VoiceEmotionRecognizer.load(paths.voice),
    fusion: paths.fusion ? readFusionModel(paths.fusion) : validateFusionModel(SHIPPED_FUSION, 'models/fusion.json'),
    storyteller: new MusicalStoryTeller(text),
  };
}
