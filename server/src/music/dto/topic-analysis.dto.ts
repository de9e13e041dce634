import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { EMOTION_NAMES, STYLE_NAMES, type EmotionName } from '../engine';

/** What the language model must answer for a topic (validated before the planner sees it). */
export class TopicAnalysisDto {
  @ApiProperty({ example: -0.4, minimum: -1, maximum: 1 })
  @IsNumber()
  @Min(-1)
  @Max(1)
  valence!: number;

  @ApiProperty({ example: -0.3, minimum: -1, maximum: 1 })
  @IsNumber()
  @Min(-1)
  @Max(1)
  arousal!: number;

  @ApiProperty({ example: 'sad', enum: EMOTION_NAMES })
  @IsIn(EMOTION_NAMES as readonly string[])
  emotion!: EmotionName;

  @ApiPropertyOptional({ example: 'ballad', enum: STYLE_NAMES })
  @IsOptional()
  @IsIn(STYLE_NAMES)
  style?: string;

  @ApiPropertyOptional({ example: 72, minimum: 40, maximum: 220 })
  @IsOptional()
  @IsInt()
  @Min(40)
  @Max(220)
  tempoHint?: number;

  @ApiPropertyOptional({ example: [0, 48, 32], type: [Number] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(127, { each: true })
  instruments?: number[];

  @ApiProperty({ example: ['rain', 'night', 'longing'], type: [String] })
  @IsArray()
  @ArrayMaxSize(12)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  keywords!: string[];
}
