import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  Min,
  registerDecorator,
  ValidateIf,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';
import { IntegerField } from '../../core/validation/integer-field';
import { EMOTION_NAMES, MAX_DURATION_SEC, MAX_TEMPO, MIN_DURATION_SEC, MIN_TEMPO, resolveEmotionLabel, resolveInstrument } from '../engine';

/** Largest seed a request may give; a random seed is drawn from 0 to this. */
export const MAX_SEED = 2 ** 32 - 1;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** The emotion must be one the composer knows (English or Chinese names and synonyms). */
function IsKnownEmotion(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isKnownEmotion',
      target: target.constructor,
      propertyName,
      options: {
        message: `emotion must be one of: ${EMOTION_NAMES.join(', ')} (English or Chinese names, e.g. 开心)`,
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && resolveEmotionLabel(value) !== undefined },
    });
}

/** valence/arousal may not be combined with a named emotion. */
function AbsentWhenEmotionGiven(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'absentWhenEmotionGiven',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} cannot be combined with emotion: give either emotion or valence and arousal`, ...options },
      validator: { validate: (_: unknown, args: ValidationArguments) => (args.object as { emotion?: unknown }).emotion === undefined },
    });
}

const needsCoordinates = (o: GenerateFromEmotionDto) => o.emotion === undefined || o.valence !== undefined || o.arousal !== undefined;

/** A piece for an emotion: either a named emotion or a point (valence, arousal) — exactly one. */
export class GenerateFromEmotionDto {
  @ApiPropertyOptional({
    example: 'happy',
    description: `One of ${EMOTION_NAMES.join(', ')}; Chinese names (开心, 悲伤, 平静...) are accepted. Omit when giving valence/arousal.`,
  })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @IsKnownEmotion()
  emotion?: string;

  @ApiPropertyOptional({ example: 0.6, minimum: -1, maximum: 1, description: 'Pleasantness, -1 (negative) to 1 (positive); with arousal, instead of emotion' })
  @ValidateIf(needsCoordinates)
  @AbsentWhenEmotionGiven()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'valence must be a number from -1 to 1 (or give emotion instead)' })
  @Min(-1)
  @Max(1)
  valence?: number;

  @ApiPropertyOptional({ example: 0.4, minimum: -1, maximum: 1, description: 'Energy, -1 (calm) to 1 (excited); with valence, instead of emotion' })
  @ValidateIf(needsCoordinates)
  @AbsentWhenEmotionGiven()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'arousal must be a number from -1 to 1 (or give emotion instead)' })
  @Min(-1)
  @Max(1)
  arousal?: number;

  @ApiProperty({ example: 60, minimum: MIN_DURATION_SEC, maximum: MAX_DURATION_SEC, description: 'Length of the piece in seconds' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(MIN_DURATION_SEC)
  @Max(MAX_DURATION_SEC)
  durationSec!: number;

  @IntegerField({
    in: 'body',
    optional: true,
    min: 0,
    max: MAX_SEED,
    example: 42,
    description: 'Same request + seed → the same piece (served from the cache). Random when omitted.',
  })
  seed?: number;

  @IntegerField({ in: 'body', optional: true, min: MIN_TEMPO, max: MAX_TEMPO, example: 96, description: 'Tempo override in quarter-note beats per minute' })
  tempo?: number;

  @ApiPropertyOptional({
    example: [0, 48, 32],
    type: [Number],
    description:
      'General MIDI programs 0–127 for melody, harmony and bass, in that order; a program may also be named ("Violin", "Acoustic Grand Piano", "piano", "strings"); empty: the style’s own',
  })
  // Names become their programs; a name that is none stays as given and is refused naming it.
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) ? (value.length === 0 ? undefined : value.map((v: unknown) => resolveInstrument(v) ?? v)) : value,
  )
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @IsInt({ each: true, message: 'instruments must be General MIDI programs 0–127 or their names ("piano", "Violin", "strings")' })
  @Min(0, { each: true })
  @Max(127, { each: true })
  instruments?: number[];
}
