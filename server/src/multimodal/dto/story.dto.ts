import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { JOB_STATES, JobState, JobStatusDto } from '../../core/jobs/dto/job.dto';
import { ARC_SHAPES, VOICE_EMOTIONS, type ArcShape } from '../engine/types';
import { IntegerField } from '../../core/validation/integer-field';

export const MAX_STORY_CHARS = 20_000;
export const MAX_TITLE_CHARS = 120;
export const MAX_STORY_SEED = 2 ** 31 - 1;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A story to set to music: Chinese or English, up to 20,000 characters. */
export class CreateStoryDto {
  @ApiProperty({
    example: 'The village was poor and grey. One spring a girl found a seed of gold... At last the whole valley bloomed.',
    maxLength: MAX_STORY_CHARS,
    description: 'The story, Chinese or English; blank lines or paragraphs help it find its scenes',
  })
  @IsString()
  @Matches(/\S/, { message: 'text must not be empty' })
  @MaxLength(MAX_STORY_CHARS, { message: `text must be at most ${MAX_STORY_CHARS} characters` })
  text!: string;

  @ApiPropertyOptional({ example: 'The golden seed', maxLength: MAX_TITLE_CHARS, description: 'Defaults to the first words of the story' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TITLE_CHARS)
  title?: string;

  @IntegerField({
    in: 'body',
    optional: true,
    min: 0,
    max: MAX_STORY_SEED,
    example: 7,
    description: 'Same story and seed → the same piece. Random when omitted.',
  })
  seed?: number;
}

export class StorySceneDto {
  @ApiProperty({ example: 0 })
  index!: number;
  @ApiProperty({ example: 0, description: 'Offset of the scene’s first character in the story text (UTF-16 code units, as JavaScript strings count)' })
  start!: number;
  @ApiProperty({ example: 412, description: 'Offset just after the scene’s last character' })
  end!: number;
  @ApiProperty({ example: 'The village was poor and grey…', description: 'The scene’s opening words' })
  excerpt!: string;
  @ApiProperty({ enum: VOICE_EMOTIONS, example: 'sad' })
  emotion!: string;
  @ApiProperty({ example: -0.4, minimum: -1, maximum: 1, description: 'Valence read from the scene’s text' })
  valence!: number;
  @ApiProperty({ example: -0.1, minimum: -1, maximum: 1 })
  arousal!: number;
  @ApiProperty({ example: -0.35, minimum: -1, maximum: 1, description: 'Valence of the smoothed arc at this scene (what the music follows)' })
  arcValence!: number;
  @ApiProperty({ example: -0.05, minimum: -1, maximum: 1 })
  arcArousal!: number;
}

export class StoryTimelineEntryDto {
  @ApiProperty({ example: 0, description: 'The scene this stretch of audio plays' })
  scene!: number;
  @ApiProperty({ example: 0 })
  startSec!: number;
  @ApiProperty({ example: 24.5 })
  endSec!: number;
  @ApiProperty({ example: 'D minor', description: 'Key of the section' })
  key!: string;
  @ApiProperty({ example: 84, description: 'Tempo of the section (BPM)' })
  tempo!: number;
  @ApiPropertyOptional({ type: [String], example: ['cello', 'piano'], description: 'Instruments of the section' })
  instruments?: string[];
}

export class StoryArcDto {
  @ApiProperty({ enum: ARC_SHAPES, example: 'man-in-a-hole', description: 'The closest of the six story shapes (Reagan et al. 2016)' })
  shape!: ArcShape;
  @ApiProperty({ example: 0.82, minimum: 0, maximum: 1, description: 'How well that shape fits the arc' })
  fit!: number;
  @ApiProperty({ type: [Number], example: [-0.1, -0.5, -0.3, 0.4], description: 'Smoothed valence per scene' })
  valence!: number[];
  @ApiProperty({ type: [Number], example: [0.1, 0.3, 0.2, 0.5], description: 'Smoothed arousal per scene' })
  arousal!: number[];
}

/** A story set to music: its scenes, the emotion arc and shape, the piece and where each scene plays. */
export class StoryResultDto {
  @ApiProperty({ example: '5d0c6a8e-2f54-4a8b-9b7d-1b9c7f0b3a21' })
  storyId!: string;
  @ApiProperty({ enum: ['en', 'zh'], example: 'en' })
  language!: 'en' | 'zh';
  @ApiProperty({ type: [StorySceneDto] })
  scenes!: StorySceneDto[];
  @ApiProperty({ type: StoryArcDto })
  arc!: StoryArcDto;
  @ApiProperty({ type: [StoryTimelineEntryDto], description: 'Every scene’s time in the audio, in order' })
  timeline!: StoryTimelineEntryDto[];
  @ApiProperty({ example: 96.4 })
  durationSec!: number;
  @ApiProperty({ example: '/api/multimodal/stories/5d0c6a8e-2f54-4a8b-9b7d-1b9c7f0b3a21/audio?format=mp3' })
  audioUrl!: string;
  @ApiProperty({ example: '/api/multimodal/stories/5d0c6a8e-2f54-4a8b-9b7d-1b9c7f0b3a21/midi' })
  midiUrl!: string;
  @ApiProperty({ type: [String], example: ['The arc falls into a hole and climbs out: man in a hole.'] })
  explanation!: string[];
}

/** The job-status shape of a story, with its title (and its text, for highlighting the scenes). */
export class StoryStatusDto extends JobStatusDto<StoryResultDto> {
  @ApiProperty({ example: 'The golden seed' })
  title!: string;
  @ApiPropertyOptional({ description: 'The story text (detail only, not in the history list)' })
  text?: string;
  @ApiPropertyOptional({ type: StoryResultDto })
  declare result?: StoryResultDto;
}

export class StorySummaryDto {
  @ApiProperty({ example: '5d0c6a8e-2f54-4a8b-9b7d-1b9c7f0b3a21' })
  id!: string;
  @ApiProperty({ example: 'The golden seed' })
  title!: string;
  @ApiProperty({ enum: JOB_STATES, example: 'completed' })
  state!: JobState;
  @ApiPropertyOptional({ enum: ARC_SHAPES, example: 'man-in-a-hole' })
  shape?: ArcShape;
  @ApiPropertyOptional({ example: 96.4 })
  durationSec?: number;
  @ApiPropertyOptional({ example: 6 })
  scenes?: number;
  @ApiPropertyOptional({ example: '/api/jobs/multimodal-story/5d0c6a8e-2f54-4a8b-9b7d-1b9c7f0b3a21/events' })
  eventsUrl?: string;
  @ApiPropertyOptional({ example: 'Rendering failed' })
  error?: string;
  @ApiProperty({ example: '2026-11-29T12:00:00.000Z' })
  createdAt!: string;
  @ApiPropertyOptional({ example: '2026-11-29T12:00:40.000Z' })
  finishedAt?: string;
}

export class StoryHistoryPageDto {
  @ApiProperty({ type: [StorySummaryDto] })
  items!: StorySummaryDto[];
  @ApiProperty({ example: 2 })
  total!: number;
  @ApiProperty({ example: 1 })
  page!: number;
  @ApiProperty({ example: 20 })
  pageSize!: number;
}
