import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsDateTime, IsNotAfter } from '../../core/validation/date-time';
import { IntegerField, MAX_PAGE } from '../../core/validation/integer-field';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** `level=warn,error` and `level=warn&level=error` both become ['warn', 'error']. */
const toList = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : (Array.isArray(value) ? value : [value])
        .flatMap((v) => String(v).split(','))
        .map((v) => v.trim())
        .filter(Boolean);

/** Filters shared by search, stats and the live tail. */
export class LogFilterQueryDto {
  @ApiPropertyOptional({ description: 'Log levels (comma-separated or repeated)', example: ['warn', 'error'], isArray: true, enum: LOG_LEVELS })
  @Transform(toList)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(6)
  @IsIn(LOG_LEVELS, { each: true })
  level?: string[];

  @ApiPropertyOptional({
    description: 'Free text over message and error fields (simple_query_string: "quoted phrases", -exclusions, OR with |)',
    example: 'timeout -health',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Request id (x-request-id)', example: '5f1d7c2e-8a9b-4c3d-9e0f-1a2b3c4d5e6f' })
  @IsOptional()
  @IsString()
  @Matches(/^[\w.:-]{1,128}$/, { message: 'requestId must be a request id' })
  requestId?: string;

  @ApiPropertyOptional({ description: 'Route template', example: '/api/music/generation/:id/status' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  route?: string;

  @ApiPropertyOptional({ description: 'User id', example: '0b6f4a52-7d8e-4f4b-9a58-2f4c1e9b7d10' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  userId?: string;
}

/** The live tail's query: the filters, and the token an EventSource cannot send as a header. */
export class LogTailQueryDto extends LogFilterQueryDto {
  @ApiPropertyOptional({ description: 'The access token, for EventSource, which cannot send an Authorization header' })
  @IsOptional()
  @IsString()
  access_token?: string;
}

export class LogStatsQueryDto extends LogFilterQueryDto {
  @ApiPropertyOptional({ description: 'Start of the time range (ISO 8601); default: one hour before `to`', example: '2026-11-28T17:00:00.000Z' })
  @IsOptional()
  @IsDateTime()
  @IsNotAfter('to')
  from?: string;

  @ApiPropertyOptional({ description: 'End of the time range (ISO 8601); default: now', example: '2026-11-28T18:00:00.000Z' })
  @IsOptional()
  @IsDateTime()
  to?: string;
}

export class LogSearchQueryDto extends LogStatsQueryDto {
  @IntegerField({
    in: 'query',
    optional: true,
    min: 1,
    max: MAX_PAGE,
    description: 'Page number (1-based); page × size is capped at 10,000',
    example: 1,
    default: 1,
  })
  page: number = 1;

  @IntegerField({ in: 'query', optional: true, min: 1, max: 500, description: 'Results per page', example: 50, default: 50 })
  size: number = 50;
}

export class LogEntryDto {
  @ApiProperty({ example: 'mV3f0cQxS1b4a7' }) id!: string;
  @ApiProperty({ example: 'xiaoyu-ai-logs-2026.11.28' }) index!: string;
  @ApiProperty({ example: '2026-11-28T17:59:58.123Z' }) timestamp!: string;
  @ApiProperty({ example: 'info', nullable: true, type: String }) level!: string | null;
  @ApiProperty({ example: 'GET /api/music/tracks/42 200', nullable: true, type: String }) message!: string | null;
  @ApiProperty({ example: '5f1d7c2e-8a9b-4c3d-9e0f-1a2b3c4d5e6f', nullable: true, type: String }) requestId!: string | null;
  @ApiProperty({ example: '/api/music/tracks/:id', nullable: true, type: String }) route!: string | null;
  @ApiProperty({ example: '0b6f4a52-7d8e-4f4b-9a58-2f4c1e9b7d10', nullable: true, type: String }) userId!: string | null;
  @ApiProperty({ example: 200, nullable: true, type: Number }) statusCode!: number | null;
  @ApiProperty({ example: 12.5, nullable: true, type: Number, description: 'Request duration in milliseconds' }) durationMs!: number | null;
  @ApiProperty({
    description: 'The whole ECS document',
    type: 'object',
    additionalProperties: true,
    example: { '@timestamp': '2026-11-28T17:59:58.123Z', 'log.level': 'info', message: 'GET /api/music/tracks/42 200' },
  })
  source!: Record<string, unknown>;
}

export class LogSearchResponseDto {
  @ApiProperty({ example: 1234 }) total!: number;
  @ApiProperty({ example: 1 }) page!: number;
  @ApiProperty({ example: 50 }) size!: number;
  @ApiProperty({ type: [LogEntryDto] }) hits!: LogEntryDto[];
  @ApiProperty({
    description: 'The same query in Kibana Discover (null when KIBANA_URL is unset)',
    nullable: true,
    type: String,
    example: 'http://localhost:5601/app/discover#/?_g=(time:(from:now-1h,to:now))',
  })
  kibanaUrl!: string | null;
}

export class LevelCountDto {
  @ApiProperty({ example: 'error' }) level!: string;
  @ApiProperty({ example: 12 }) count!: number;
}

export class HistogramBucketDto {
  @ApiProperty({ example: '2026-11-28T17:00:00.000Z' }) timestamp!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { info: 120, warn: 3, error: 1 } }) counts!: Record<string, number>;
}

export class TopErrorDto {
  @ApiProperty({ example: 'Unhandled error: connect ECONNREFUSED 127.0.0.1:6379' }) message!: string;
  @ApiProperty({ example: 7 }) count!: number;
}

export class RouteLatencyDto {
  @ApiProperty({ example: '/api/music/generation' }) route!: string;
  @ApiProperty({ example: 512 }) count!: number;
  @ApiProperty({ example: 18.2, nullable: true, type: Number }) p50Ms!: number | null;
  @ApiProperty({ example: 95.4, nullable: true, type: Number }) p95Ms!: number | null;
  @ApiProperty({ example: 310.7, nullable: true, type: Number }) p99Ms!: number | null;
}

export class LogStatsResponseDto {
  @ApiProperty({ example: '1m', description: 'Histogram bucket width' }) interval!: string;
  @ApiProperty({ example: '2026-11-28T17:00:00.000Z' }) from!: string;
  @ApiProperty({ example: '2026-11-28T18:00:00.000Z' }) to!: string;
  @ApiProperty({ example: 1234 }) total!: number;
  @ApiProperty({ type: [LevelCountDto] }) byLevel!: LevelCountDto[];
  @ApiProperty({ type: [HistogramBucketDto] }) histogram!: HistogramBucketDto[];
  @ApiProperty({ type: [TopErrorDto] }) topErrors!: TopErrorDto[];
  @ApiProperty({ type: [RouteLatencyDto] }) latencyByRoute!: RouteLatencyDto[];
}

export class LogsSettingsDto {
  @ApiProperty({ description: 'Log search is available (ELASTICSEARCH_URL set)', example: true }) searchConfigured!: boolean;
  @ApiProperty({ description: 'This replica ships its logs (ENABLE_LOG_AGGREGATION)', example: true }) shipping!: boolean;
  @ApiProperty({ example: 'xiaoyu-ai-logs-*' }) indexPattern!: string;
  @ApiProperty({ nullable: true, type: String, example: 'http://localhost:5601' }) kibanaUrl!: string | null;
}
