import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { ACCOMPANIST_MODES } from '../engine';
import { RECORDING_AUDIO_FORMATS, type RecordingAudioFormat } from '../ensemble-recordings.service';
import { ROOM_CODE_PATTERN, RoomCode } from './ensemble-events.dto';
import { IntegerField } from '../../core/validation/integer-field';

export class OpenRoomDto {
  @ApiProperty({ example: '0b0e8a52-3c9f-4d7e-9a51-6d0f1c2b3a4e' })
  id!: string;
  @ApiProperty({ example: 'K7MZ3Q', description: 'Join code (also the link /ensemble/room/K7MZ3Q)' })
  code!: string;
  @ApiProperty({ example: "mei's room" })
  name!: string;
  @ApiProperty({ example: 120, description: 'BPM' })
  tempo!: number;
  @ApiProperty({ example: 3, description: 'Human members now' })
  members!: number;
  @ApiProperty({ example: 8 })
  capacity!: number;
  @ApiProperty({ enum: ACCOMPANIST_MODES, example: 'accompany' })
  accompanist!: string;
  @ApiProperty({ example: '2026-11-29T12:00:00.000Z' })
  createdAt!: string;
}

export class OpenRoomsDto {
  @ApiProperty({ type: [OpenRoomDto] })
  items!: OpenRoomDto[];
}

export class RoomCodeParamDto {
  @ApiProperty({ example: 'K7MZ3Q' })
  @RoomCode()
  @IsString()
  @Matches(ROOM_CODE_PATTERN, { message: 'code must be a 6-character room code' })
  code!: string;
}

export class RecordingTrackDto {
  @ApiProperty({ example: '3f2a9c1d7e0b' })
  memberId!: string;
  @ApiProperty({ example: 'mei' })
  name!: string;
  @ApiProperty({ example: 0, description: 'MIDI channel in the file (9 = drums)' })
  channel!: number;
  @ApiProperty({ example: 0, description: 'General MIDI program' })
  program!: number;
  @ApiProperty({ example: 42 })
  notes!: number;
}

export const RECORDING_AUDIO_STATES = ['none', 'queued', 'active', 'completed', 'failed'] as const;

export class RecordingDto {
  @ApiProperty({ example: '6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10' })
  id!: string;
  @ApiProperty({ example: '0b0e8a52-3c9f-4d7e-9a51-6d0f1c2b3a4e', description: 'The room session it was recorded in' })
  sessionId!: string;
  @ApiProperty({ example: "mei's room · 2026-11-29 12:03" })
  name!: string;
  @ApiProperty({ example: 42.5 })
  durationSec!: number;
  @ApiProperty({ example: 120 })
  tempo!: number;
  @ApiPropertyOptional({ example: 'A minor', description: 'The key heard in all notes' })
  key?: string;
  @ApiProperty({ type: [RecordingTrackDto] })
  tracks!: RecordingTrackDto[];
  @ApiProperty({ enum: RECORDING_AUDIO_STATES, example: 'none', description: 'Audio render: none until requested' })
  audio!: (typeof RECORDING_AUDIO_STATES)[number];
  @ApiPropertyOptional({ example: 'render worker failed' })
  audioError?: string;
  @ApiProperty({ example: true, description: 'Whether the caller recorded it (and may delete it)' })
  mine!: boolean;
  @ApiProperty({ example: '2026-11-29T12:03:00.000Z' })
  createdAt!: string;
}

export class RecordingsPageDto {
  @ApiProperty({ type: [RecordingDto] })
  items!: RecordingDto[];
  @ApiProperty({ example: 3 })
  total!: number;
  @ApiProperty({ example: 1 })
  page!: number;
  @ApiProperty({ example: 20 })
  pageSize!: number;
}

export class RecordingsQueryDto {
  @IntegerField({ in: 'query', optional: true, min: 1, max: 10000, example: 1, default: 1 })
  page?: number;

  @IntegerField({ in: 'query', optional: true, min: 1, max: 100, example: 20, default: 20 })
  pageSize?: number;
}

export class RecordingAudioStatusDto {
  @ApiProperty({ enum: RECORDING_AUDIO_STATES, example: 'completed' })
  state!: (typeof RECORDING_AUDIO_STATES)[number];
  @ApiPropertyOptional({ example: 'render worker failed' })
  error?: string;
}

export class RecordingAudioQueryDto {
  @ApiPropertyOptional({ enum: RECORDING_AUDIO_FORMATS, example: 'mp3', description: 'mp3 (default) or wav' })
  @IsOptional()
  @IsIn(RECORDING_AUDIO_FORMATS)
  format?: RecordingAudioFormat;

  @ApiPropertyOptional({ example: 1, description: '1: send as an attachment (download)' })
  @IsOptional()
  @Type(() => Number)
  @IsIn([0, 1])
  download?: number;

  @ApiPropertyOptional({ description: 'The access token, for <audio> elements and links that cannot send an Authorization header' })
  @IsOptional()
  @IsString()
  access_token?: string;
}

export class RecordingMidiQueryDto {
  @ApiPropertyOptional({ description: 'The access token, for download links that cannot send an Authorization header' })
  @IsOptional()
  @IsString()
  access_token?: string;
}
