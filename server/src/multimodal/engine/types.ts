/**
 * The multimodal engine's public types: what each recogniser returns and what fusion and the storyteller take.
 * The API (`POST /api/multimodal/analyze`) returns these shapes unchanged, so they follow the contract exactly.
 */
import type { SpeakerBaseline, SpeakerBaselineState } from './voice/speaker-baseline';

/** The seven expression labels shared by face, voice and text; voice may also say `bored`. */
export const FACE_EMOTIONS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'] as const;
export type FaceEmotion = (typeof FACE_EMOTIONS)[number];

export const VOICE_EMOTIONS = [...FACE_EMOTIONS, 'bored'] as const;
export type VoiceEmotion = (typeof VOICE_EMOTIONS)[number];

/** Any label a modality or the fusion may report. */
export type Emotion = VoiceEmotion;

/** Valence and arousal are in [-1, 1]; confidence in [0, 1]. */
export interface Affect {
  emotion: Emotion;
  valence: number;
  arousal: number;
  confidence: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DetectedFace {
  box: Box;
  emotion: FaceEmotion;
  probabilities: Record<FaceEmotion, number>;
  valence: number;
  arousal: number;
}

export interface FaceAnalysis extends Affect {
  emotion: FaceEmotion;
  faces: DetectedFace[];
  /** `whole-image` when no face was found and the whole picture was classified instead. */
  detector: 'face' | 'whole-image';
}

export interface VoiceAnalysis extends Affect {
  probabilities: Partial<Record<VoiceEmotion, number>>;
}

export type TextLanguage = 'en' | 'zh';

export interface TextAnalysis extends Affect {
  language: TextLanguage;
}

export type Modality = 'face' | 'voice' | 'text';

export interface FusedAffect extends Affect {
  /** Each present modality's share of the fused result; they sum to 1. */
  weights: Partial<Record<Modality, number>>;
  /** 0 when the modalities agree, 1 when they contradict each other completely. */
  disagreement: number;
}

export interface MultimodalAnalysis {
  face?: FaceAnalysis;
  voice?: VoiceAnalysis;
  text?: TextAnalysis;
  fused: FusedAffect;
}

/** Thrown by a recogniser when its input cannot be decoded (the API answers 400/415 naming the field). */
export class UndecodableInputError extends Error {
  constructor(
    readonly modality: Modality,
    message: string,
  ) {
    super(message);
    this.name = 'UndecodableInputError';
  }
}

/** The recognisers as the service uses them; each implementation loads its model once and is reused. */
export interface FaceEmotionEngine {
  /** JPEG, PNG or WebP bytes. */
  analyze(image: Uint8Array): Promise<FaceAnalysis>;
}

export interface VoiceEmotionEngine {
  /**
   * A WAV file's bytes (PCM 16-bit or 32-bit float, mono or stereo, any common rate). With the speaker's baseline,
   * the recording is read relative to it once it has heard enough of the speaker, and added to it first unless
   * `learn` is false (a recording the baseline has already heard, read again).
   */
  analyze(wav: Uint8Array, speaker?: SpeakerBaseline, options?: { learn?: boolean }): VoiceAnalysis;
  /** One speaker's baseline, empty or restored from its stored state (engines without speaker adaptation have none). */
  newSpeakerBaseline?(state?: SpeakerBaselineState): SpeakerBaseline;
}

export interface TextAffectEngine {
  analyze(text: string): TextAnalysis;
}

/** The six story shapes of Reagan et al. (2016). */
export const ARC_SHAPES = ['rags-to-riches', 'tragedy', 'man-in-a-hole', 'icarus', 'cinderella', 'oedipus'] as const;
export type ArcShape = (typeof ARC_SHAPES)[number];
