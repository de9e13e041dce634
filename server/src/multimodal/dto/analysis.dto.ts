import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FACE_EMOTIONS, VOICE_EMOTIONS } from '../engine/types';

/** The answer of `POST /api/multimodal/analyze`, exactly the contract (the engine's `MultimodalAnalysis`). */

const probabilitiesSchema = (labels: readonly string[], example: Record<string, number>) => ({
  type: 'object' as const,
  properties: Object.fromEntries(labels.map((label) => [label, { type: 'number' as const, minimum: 0, maximum: 1 }])),
  example,
  description: 'Probability of each label; they sum to 1',
});

export class BoxDto {
  @ApiProperty({ example: 112, description: 'Left edge in pixels of the uploaded image' })
  x!: number;
  @ApiProperty({ example: 80, description: 'Top edge in pixels' })
  y!: number;
  @ApiProperty({ example: 160 })
  width!: number;
  @ApiProperty({ example: 160 })
  height!: number;
}

export class DetectedFaceDto {
  @ApiProperty({ type: BoxDto })
  box!: BoxDto;
  @ApiProperty({ enum: FACE_EMOTIONS, example: 'happy' })
  emotion!: string;
  @ApiProperty(probabilitiesSchema(FACE_EMOTIONS, { neutral: 0.1, happy: 0.8, sad: 0.02, angry: 0.02, fearful: 0.02, disgusted: 0.02, surprised: 0.02 }))
  probabilities!: Record<string, number>;
  @ApiProperty({ example: 0.7, minimum: -1, maximum: 1 })
  valence!: number;
  @ApiProperty({ example: 0.4, minimum: -1, maximum: 1 })
  arousal!: number;
}

export class FaceAnalysisDto {
  @ApiProperty({ type: [DetectedFaceDto], description: 'One entry per face found; with detector "whole-image", the whole picture as one box' })
  faces!: DetectedFaceDto[];
  @ApiProperty({ enum: ['face', 'whole-image'], example: 'face', description: '"whole-image" when no face was found and the whole picture was classified' })
  detector!: 'face' | 'whole-image';
  @ApiProperty({ enum: FACE_EMOTIONS, example: 'happy' })
  emotion!: string;
  @ApiProperty({ example: 0.7, minimum: -1, maximum: 1 })
  valence!: number;
  @ApiProperty({ example: 0.4, minimum: -1, maximum: 1 })
  arousal!: number;
  @ApiProperty({ example: 0.8, minimum: 0, maximum: 1 })
  confidence!: number;
}

export class VoiceAnalysisDto {
  @ApiProperty({ enum: VOICE_EMOTIONS, example: 'sad' })
  emotion!: string;
  @ApiProperty(probabilitiesSchema(VOICE_EMOTIONS, { neutral: 0.2, happy: 0.05, sad: 0.6, angry: 0.05, fearful: 0.05, bored: 0.05 }))
  probabilities!: Record<string, number>;
  @ApiProperty({ example: -0.6, minimum: -1, maximum: 1 })
  valence!: number;
  @ApiProperty({ example: -0.4, minimum: -1, maximum: 1 })
  arousal!: number;
  @ApiProperty({ example: 0.6, minimum: 0, maximum: 1 })
  confidence!: number;
}

export class TextAnalysisDto {
  @ApiProperty({ enum: VOICE_EMOTIONS, example: 'happy' })
  emotion!: string;
  @ApiProperty({ example: 0.5, minimum: -1, maximum: 1 })
  valence!: number;
  @ApiProperty({ example: 0.3, minimum: -1, maximum: 1 })
  arousal!: number;
  @ApiProperty({ example: 0.7, minimum: 0, maximum: 1 })
  confidence!: number;
  @ApiProperty({ enum: ['en', 'zh'], example: 'en' })
  language!: 'en' | 'zh';
}

export class FusionWeightsDto {
  @ApiPropertyOptional({ example: 0.5, minimum: 0, maximum: 1 })
  face?: number;
  @ApiPropertyOptional({ example: 0.2, minimum: 0, maximum: 1 })
  voice?: number;
  @ApiPropertyOptional({ example: 0.3, minimum: 0, maximum: 1 })
  text?: number;
}

export class FusedAffectDto {
  @ApiProperty({ enum: VOICE_EMOTIONS, example: 'happy' })
  emotion!: string;
  @ApiProperty({ example: 0.4, minimum: -1, maximum: 1 })
  valence!: number;
  @ApiProperty({ example: 0.2, minimum: -1, maximum: 1 })
  arousal!: number;
  @ApiProperty({ example: 0.7, minimum: 0, maximum: 1 })
  confidence!: number;
  @ApiProperty({ type: FusionWeightsDto, description: "Each present modality's share of the fused result (they sum to 1)" })
  weights!: FusionWeightsDto;
  @ApiProperty({ example: 0.1, minimum: 0, maximum: 1, description: '0 when the modalities agree, 1 when they contradict each other' })
  disagreement!: number;
}

export class MultimodalAnalysisDto {
  @ApiPropertyOptional({ type: FaceAnalysisDto })
  face?: FaceAnalysisDto;
  @ApiPropertyOptional({ type: VoiceAnalysisDto })
  voice?: VoiceAnalysisDto;
  @ApiPropertyOptional({ type: TextAnalysisDto })
  text?: TextAnalysisDto;
  @ApiProperty({ type: FusedAffectDto })
  fused!: FusedAffectDto;
}

/** The multipart form of analyze (documentation only: the body is read by the multipart reader, not a DTO). */
export const ANALYZE_FORM_SCHEMA = {
  type: 'object' as const,
  properties: {
    image: { type: 'string' as const, format: 'binary', description: 'A JPEG, PNG or WebP picture, up to 10 MB' },
    audio: { type: 'string' as const, format: 'binary', description: 'A WAV recording, up to 30 s' },
    text: { type: 'string' as const, maxLength: 5000, description: 'Chinese or English, up to 5,000 characters' },
  },
  description: 'At least one of image, audio and text',
};
