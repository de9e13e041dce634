import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const JOB_STATES = ['queued', 'active', 'completed', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export class JobProgressDto {
  @ApiProperty({ example: 40, minimum: 0, maximum: 100 })
  percent!: number;

  @ApiProperty({ example: 'rendering', description: 'Name of the current stage' })
  stage!: string;
}

/** Answer to every job submission: 202 Accepted. */
export class JobAcceptedDto {
  @ApiProperty({ example: '6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10' })
  id!: string;

  @ApiProperty({ example: 'music-generation' })
  queue!: string;

  @ApiProperty({ enum: JOB_STATES, example: 'queued' })
  state!: JobState;

  @ApiProperty({ example: '/api/music/generation/6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10/status' })
  statusUrl!: string;

  @ApiPropertyOptional({
    example: '/api/jobs/music-generation/6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10/events',
    description: 'Server-Sent Events stream of JobStatus; absent when the work is already complete (a cached result)',
  })
  eventsUrl?: string;
}

/** The one job-status shape every feature answers with. */
export class JobStatusDto<TResult = unknown> {
  @ApiProperty({ example: '6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10' })
  id!: string;

  @ApiProperty({ example: 'music-generation' })
  queue!: string;

  @ApiProperty({ enum: JOB_STATES, example: 'active' })
  state!: JobState;

  @ApiProperty({ type: JobProgressDto })
  progress!: JobProgressDto;

  @ApiPropertyOptional({ description: 'Present when completed', type: 'object', additionalProperties: true })
  result?: TResult;

  @ApiPropertyOptional({
    example: '/api/jobs/music-generation/6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10/events',
    description: 'Present while queued or active: the Server-Sent Events stream that follows this job',
  })
  eventsUrl?: string;

  @ApiPropertyOptional({ example: 'Rendering failed: out of memory', description: 'Present when failed' })
  error?: string;

  @ApiProperty({ example: '2026-11-28T12:00:00.000Z' })
  createdAt!: string;

  @ApiPropertyOptional({ example: '2026-11-28T12:00:04.000Z' })
  finishedAt?: string;
}
