import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { JOB_STATES, JobState, JobStatusDto } from '../../core/jobs/dto/job.dto';
import { IntegerField, MAX_PAGE } from '../../core/validation/integer-field';

export const AUDIO_FORMATS = ['mp3', 'wav'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];
export const ANALYSERS = ['language-model', 'built-in'] as const;
export type TopicAnalyser = (typeof ANALYSERS)[number];

export class MasteringDto {
  @ApiProperty({ example: -31.2, description: 'Integrated loudness of the raw render (LUFS, ITU-R BS.1770-4)' })
  inputLufs!: number;
  @ApiProperty({ example: -16, description: 'Integrated loudness of the delivered audio (LUFS)' })
  outputLufs!: number;
  @ApiProperty({ example: 15.2, description: 'Gain applied before the limiter (dB)' })
  gainDb!: number;
  @ApiProperty({ example: 0.8, description: 'Deepest limiter gain reduction (dB)' })
  limiterMaxReductionDb!: number;
  @ApiProperty({ example: -1.2, description: '4× oversampled true peak (dBTP)' })
  truePeakDb!: number;
  @ApiProperty({ example: -1.5, description: 'Highest sample (dBFS)' })
  samplePeakDb!: number;
}

/** What a completed generation produced; `result` of its job status. */
export class MusicGenerationResultDto {
  @ApiProperty({ example: '6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10' })
  generationId!: string;

  @ApiProperty({ example: 'built-in', description: 'Which music provider produced the audio (built-in, neural, music-api)' })
  provider!: string;

  @ApiPropertyOptional({ enum: ANALYSERS, example: 'built-in', description: 'Topic requests: who read the topic' })
  analyser?: TopicAnalyser;

  @ApiProperty({ example: 'happy' })
  emotion!: string;
  @ApiProperty({ example: 0.8 })
  valence!: number;
  @ApiProperty({ example: 0.5 })
  arousal!: number;
  @ApiProperty({ example: 'G' })
  key!: string;
  @ApiProperty({ example: 'major' })
  mode!: string;
  @ApiProperty({ example: 128 })
  tempo!: number;
  @ApiProperty({ example: 61.5, description: 'Length of the audio in seconds' })
  durationSec!: number;
  @ApiProperty({ example: 20240601 })
  seed!: number;

  @ApiProperty({ type: [String], example: ['Happy: major mode, fast tempo (128 BPM) and bright timbres.'] })
  explanation!: string[];

  @ApiProperty({ example: false, description: 'True when an identical earlier request was reused' })
  fromCache!: boolean;

  @ApiProperty({ enum: AUDIO_FORMATS, isArray: true, example: ['mp3', 'wav'] })
  formats!: AudioFormat[];

  @ApiProperty({ example: true, description: 'MIDI and the note list exist (built-in composer only)' })
  hasMidi!: boolean;

  @ApiProperty({ type: MasteringDto })
  mastering!: MasteringDto;

  @ApiProperty({ example: '/api/music/generation/6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10/audio?format=mp3' })
  audioUrl!: string;
  @ApiPropertyOptional({ example: '/api/music/generation/6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10/midi' })
  midiUrl?: string;
  @ApiProperty({ example: '/api/music/generation/6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10/plan' })
  planUrl!: string;
  @ApiPropertyOptional({ example: '/api/music/generation/6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10/notes' })
  notesUrl?: string;
}

/** The core job-status shape with the music result. */
export class MusicGenerationStatusDto extends JobStatusDto<MusicGenerationResultDto> {
  @ApiPropertyOptional({ type: MusicGenerationResultDto, description: 'Present when completed' })
  declare result?: MusicGenerationResultDto;
}

export class AudioQueryDto {
  @ApiPropertyOptional({ enum: AUDIO_FORMATS, example: 'mp3', description: 'mp3 (default, for streaming) or wav' })
  @IsOptional()
  @IsIn(AUDIO_FORMATS)
  format?: AudioFormat;

  @IntegerField({ in: 'query', optional: true, min: 0, max: 1, example: 1, description: '1: send as an attachment (download)' })
  download?: number;

  @ApiPropertyOptional({ description: 'The access token, for <audio> elements and links that cannot send an Authorization header' })
  @IsOptional()
  @IsString()
  access_token?: string;
}

export class HistoryQueryDto {
  @IntegerField({ in: 'query', optional: true, min: 1, max: MAX_PAGE, example: 1, default: 1 })
  page?: number;

  @IntegerField({ in: 'query', optional: true, min: 1, max: 100, example: 20, default: 20 })
  pageSize?: number;
}

export class MusicGenerationSummaryDto {
  @ApiProperty({ example: '6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10' })
  id!: string;
  @ApiProperty({ enum: ['emotion', 'topic'], example: 'emotion' })
  kind!: 'emotion' | 'topic';
  @ApiProperty({ enum: JOB_STATES, example: 'completed' })
  state!: JobState;
  @ApiProperty({ example: 'happy · 60 s', description: 'Short human label of the request' })
  label!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { emotion: 'happy', durationSec: 60, seed: 42 } })
  request!: Record<string, unknown>;
  @ApiProperty({ example: 42 })
  seed!: number;
  @ApiProperty({ example: false })
  fromCache!: boolean;
  @ApiPropertyOptional({
    example: '/api/jobs/music-generation/6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10/events',
    description: 'Present while queued or active: the Server-Sent Events stream that follows it',
  })
  eventsUrl?: string;
  @ApiPropertyOptional({ type: MusicGenerationResultDto })
  result?: MusicGenerationResultDto;
  @ApiPropertyOptional({ example: 'Rendering failed' })
  error?: string;
  @ApiProperty({ example: '2026-11-28T12:00:00.000Z' })
  createdAt!: string;
  @ApiPropertyOptional({ example: '2026-11-28T12:00:02.000Z' })
  finishedAt?: string;
}

export class MusicHistoryPageDto {
  @ApiProperty({ type: [MusicGenerationSummaryDto] })
  items!: MusicGenerationSummaryDto[];
  @ApiProperty({ example: 3 })
  total!: number;
  @ApiProperty({ example: 1 })
  page!: number;
  @ApiProperty({ example: 20 })
  pageSize!: number;
}

export class NoteEventDto {
  @ApiProperty({ example: 0 }) track!: number;
  @ApiProperty({ example: 0, description: 'MIDI channel; 9 = drums' }) channel!: number;
  @ApiProperty({ example: 0 }) program!: number;
  @ApiProperty({ example: 67, description: 'MIDI pitch' }) pitch!: number;
  @ApiProperty({ example: 1.25 }) startSec!: number;
  @ApiProperty({ example: 0.5 }) durationSec!: number;
  @ApiProperty({ example: 88 }) velocity!: number;
}

export class NoteTrackDto {
  @ApiProperty({ example: 0 }) index!: number;
  @ApiProperty({ example: 'Melody (Acoustic Grand Piano)' }) name!: string;
  @ApiProperty({ enum: ['melody', 'harmony', 'bass', 'drums'], example: 'melody' }) role!: string;
  @ApiProperty({ example: 0 }) channel!: number;
  @ApiProperty({ example: 0 }) program!: number;
}

/** The piece as notes, for a piano roll. */
export class MusicNotesDto {
  @ApiProperty({ example: 60 }) durationSec!: number;
  @ApiProperty({ example: 120 }) tempo!: number;
  @ApiProperty({ type: [Number], example: [4, 4] }) meter!: number[];
  @ApiProperty({ type: [NoteTrackDto] }) tracks!: NoteTrackDto[];
  @ApiProperty({ type: [NoteEventDto] }) notes!: NoteEventDto[];
}

export class ProviderAttemptDto {
  @ApiProperty({ example: 'neural' }) provider!: string;
  @ApiProperty({ enum: ['ok', 'failed', 'skipped'], example: 'failed' }) outcome!: 'ok' | 'failed' | 'skipped';
  @ApiPropertyOptional({ example: 'timed out after 60000 ms' }) reason?: string;
}

/** The stored plan document: the composer's plan (explained) and how the piece was made. */
export class MusicPlanDocumentDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'MusicPlan of the composition engine (key, mode, tempo, sections, instruments, explanation...)',
  })
  plan!: Record<string, unknown>;
  @ApiProperty({ type: [String], example: ['Happy: major mode, fast tempo.'] })
  explanation!: string[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Topic requests: the TopicAnalysis used' })
  analysis?: Record<string, unknown>;
  @ApiPropertyOptional({ enum: ANALYSERS, example: 'built-in' })
  analyser?: TopicAnalyser;
  @ApiProperty({ example: 'built-in' })
  provider!: string;
  @ApiProperty({ type: [ProviderAttemptDto] })
  attempts!: ProviderAttemptDto[];
  @ApiProperty({ example: 42 })
  seed!: number;
  @ApiProperty({ type: MasteringDto })
  mastering!: MasteringDto;
}
