import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IntegerField } from '../../core/validation/integer-field';
import { MAX_SEED } from '../../music/dto/generate-emotion.dto';
import { MAX_DURATION_SEC, MIN_DURATION_SEC } from '../../music/engine';
import { MultimodalAnalysisDto } from './analysis.dto';

export class SavedImageDto {
  @ApiProperty({ example: '/api/multimodal/analyses/0b0e7d1c-4b7a-4e49-9d7e-0d2f3c1a5b6e/image' })
  url!: string;
  @ApiProperty({ enum: ['jpeg', 'png', 'webp'], example: 'jpeg' })
  type!: 'jpeg' | 'png' | 'webp';
  @ApiProperty({ example: 640 })
  width!: number;
  @ApiProperty({ example: 480 })
  height!: number;
}

export class SavedAudioDto {
  @ApiProperty({ example: '/api/multimodal/analyses/0b0e7d1c-4b7a-4e49-9d7e-0d2f3c1a5b6e/audio' })
  url!: string;
  @ApiProperty({ example: 4.2 })
  durationSec!: number;
}

/** An analysis the user saved: the result as analyze answered it, with the inputs it came from. */
export class SavedAnalysisDto {
  @ApiProperty({ example: '0b0e7d1c-4b7a-4e49-9d7e-0d2f3c1a5b6e' })
  id!: string;
  @ApiProperty({ type: MultimodalAnalysisDto })
  analysis!: MultimodalAnalysisDto;
  @ApiPropertyOptional({ example: 'What a lovely day!' })
  text?: string;
  @ApiPropertyOptional({ type: SavedImageDto, description: 'The picture (fetch with the token; <img> elements may pass ?access_token=)' })
  image?: SavedImageDto;
  @ApiPropertyOptional({ type: SavedAudioDto })
  audio?: SavedAudioDto;
  @ApiProperty({ example: '2026-11-29T12:00:00.000Z' })
  createdAt!: string;
}

export class SavedAnalysisPageDto {
  @ApiProperty({ type: [SavedAnalysisDto] })
  items!: SavedAnalysisDto[];
  @ApiProperty({ example: 3 })
  total!: number;
  @ApiProperty({ example: 1 })
  page!: number;
  @ApiProperty({ example: 20 })
  pageSize!: number;
}

const fromValues = (o: MusicFromMoodDto) => o.analysisId === undefined;

/** A piece for a mood: a saved analysis's fused emotion, or the fused valence and arousal of one not saved (its whole `fused` object may be sent). */
export class MusicFromMoodDto {
  @ApiPropertyOptional({ example: '0b0e7d1c-4b7a-4e49-9d7e-0d2f3c1a5b6e', description: 'A saved analysis; its fused valence/arousal is used' })
  @IsOptional()
  @IsUUID('4')
  analysisId?: string;

  @ApiPropertyOptional({ example: 0.4, minimum: -1, maximum: 1, description: 'The fused valence (when no analysisId)' })
  @ValidateIf(fromValues)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'valence must be a number from -1 to 1 (or give analysisId)' })
  @Min(-1)
  @Max(1)
  valence?: number;

  @ApiPropertyOptional({ example: 0.2, minimum: -1, maximum: 1, description: 'The fused arousal (when no analysisId)' })
  @ValidateIf(fromValues)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'arousal must be a number from -1 to 1 (or give analysisId)' })
  @Min(-1)
  @Max(1)
  arousal?: number;

  @ApiPropertyOptional({ example: 30, minimum: MIN_DURATION_SEC, maximum: MAX_DURATION_SEC, default: 30, description: 'Length of the piece in seconds' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(MIN_DURATION_SEC)
  @Max(MAX_DURATION_SEC)
  durationSec?: number;

  @IntegerField({
    in: 'body',
    optional: true,
    min: 0,
    max: MAX_SEED,
    example: 7,
    description: 'Same mood + seed → the same piece (served from the cache). Random when omitted.',
  })
  seed?: number;

  // The analyze answer's `fused` object may be posted as it is: its other fields are taken and not used.
  @ApiPropertyOptional({ example: 'happy', description: "The fused object's label (not used: the piece follows valence and arousal)" })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  emotion?: string;

  @ApiPropertyOptional({ example: 0.7, description: "The fused object's confidence (not used)" })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  confidence?: number;

  @ApiPropertyOptional({ example: { face: 0.6, text: 0.4 }, description: "The fused object's weights (not used)" })
  @IsOptional()
  @IsObject()
  weights?: Record<string, number>;

  @ApiPropertyOptional({ example: 0.1, description: "The fused object's disagreement (not used)" })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  disagreement?: number;
}
