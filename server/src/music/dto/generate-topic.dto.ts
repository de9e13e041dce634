import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsNumber, IsString, Max, MaxLength, Min } from 'class-validator';
import { IntegerField } from '../../core/validation/integer-field';
import { MAX_DURATION_SEC, MIN_DURATION_SEC } from '../engine';
import { MAX_SEED } from './generate-emotion.dto';

export const MAX_TOPIC_LENGTH = 500;

/** A piece for a free-text topic (Chinese or English), analysed into an emotion and style. */
export class GenerateFromTopicDto {
  @ApiProperty({ example: '雨夜里的思念 — a rainy night, missing someone far away', maxLength: MAX_TOPIC_LENGTH })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty({ message: 'topic must not be empty' })
  @MaxLength(MAX_TOPIC_LENGTH)
  topic!: string;

  @ApiProperty({ example: 45, minimum: MIN_DURATION_SEC, maximum: MAX_DURATION_SEC })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(MIN_DURATION_SEC)
  @Max(MAX_DURATION_SEC)
  durationSec!: number;

  @IntegerField({ in: 'body', optional: true, min: 0, max: MAX_SEED, example: 7, description: 'Same request + seed → the same piece. Random when omitted.' })
  seed?: number;
}
