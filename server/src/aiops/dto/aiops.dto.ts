import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsDateTime, IsNotAfter } from '../../core/validation/date-time';
import { IntegerField } from '../../core/validation/integer-field';

const SEVERITIES = ['critical', 'warning', 'info'] as const;
const INCIDENT_STATES = ['firing', 'acknowledged', 'resolved'] as const;
/** 'true'/'1'/'yes' → true, 'false'/'0'/'no' → false; anything else stays a string, which @IsBoolean() refuses. */
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const text = value.toLowerCase();
  return ['1', 'true', 'yes'].includes(text) ? true : ['0', 'false', 'no'].includes(text) ? false : value;
};

// --- queries ---

export class IncidentListQueryDto {
  @ApiPropertyOptional({ enum: INCIDENT_STATES })
  @IsOptional()
  @IsIn(INCIDENT_STATES)
  state?: (typeof INCIDENT_STATES)[number];

  @IntegerField({ in: 'query', optional: true, min: 1, max: 500, default: 100 })
  limit?: number;
}

export class AlertListQueryDto {
  @ApiPropertyOptional({ enum: ['firing', 'resolved'] })
  @IsOptional()
  @IsIn(['firing', 'resolved'])
  state?: 'firing' | 'resolved';

  @IntegerField({ in: 'query', optional: true, min: 1, max: 1000, default: 200 })
  limit?: number;
}

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'Only the entries of this incident' })
  @IsOptional()
  @IsString()
  incidentId?: string;

  @IntegerField({ in: 'query', optional: true, min: 1, max: 1000, default: 200 })
  limit?: number;
}

export class SilenceListQueryDto {
  @ApiPropertyOptional({ description: 'Include expired silences', default: false })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  all?: boolean;
}

export class TimeRangeQueryDto {
  @ApiPropertyOptional({ example: '2026-11-29T10:00:00Z', description: 'Start (default: 1 hour before `to`)' })
  @IsOptional()
  @IsDateTime()
  @IsNotAfter('to')
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-29T11:00:00Z', description: 'End (default: now)' })
  @IsOptional()
  @IsDateTime()
  to?: string;
}

export class SeriesQueryDto extends TimeRangeQueryDto {
  @ApiProperty({ example: 'http_latency_p95_seconds' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  metric!: string;

  @ApiPropertyOptional({ example: 'queue=music-generation', description: 'Label filters, comma-separated name=value pairs' })
  @IsOptional()
  @Matches(/^([A-Za-z_][\w]*=[^,=]*)(,[A-Za-z_][\w]*=[^,=]*)*$/, { message: 'labels must be name=value pairs separated by commas' })
  labels?: string;
}

export class ForecastQueryDto {
  @IntegerField({ in: 'query', optional: true, min: 1, max: 720, default: 24, description: 'Forecast horizon (hours)' })
  horizonHours?: number;
}

export class CreateSilenceDto {
  @ApiProperty({
    example: { name: 'queue-backlog', component: 'queue' },
    description: 'Fields an alert must all match: name, component, severity, source, or any label (e.g. queue)',
  })
  @IsObject()
  matchers!: Record<string, string>;

  @ApiProperty({ example: 'Planned Redis maintenance' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  comment!: string;

  @IntegerField({ in: 'body', min: 1, max: 10080, example: 60, description: 'How long the silence lasts from now (minutes)' })
  durationMinutes!: number;
}

// --- responses ---

export class CollectionReportDto {
  @ApiProperty() at!: string;
  @ApiProperty() durationMs!: number;
  @ApiProperty({ example: 'registry' }) source!: string;
  @ApiProperty() readings!: number;
  @ApiProperty() logLines!: number;
  @ApiProperty() alerts!: number;
  @ApiProperty() incidentsOpened!: number;
  @ApiProperty() incidentsResolved!: number;
  @ApiProperty() automaticFixes!: number;
  @ApiProperty({ type: [String] }) errors!: string[];
}

export class AiopsStatusDto {
  @ApiProperty({ description: 'Whether this process collects (worker role and AIOPS_COLLECT)' })
  collecting!: boolean;

  @ApiProperty({ example: 15000 })
  intervalMs!: number;

  @ApiProperty({ example: 'registry', description: 'registry (own process) or prometheus (PROMETHEUS_URL)' })
  source!: string;

  @ApiProperty({ description: 'Series stored' })
  series!: number;

  @ApiPropertyOptional({ type: CollectionReportDto, nullable: true, description: 'The last collection of this process, if it collects' })
  last!: CollectionReportDto | null;
}

export class CauseEvidenceDto {
  @ApiProperty() signalId!: string;
  @ApiProperty({ enum: ['metric', 'log', 'health'] }) kind!: string;
  @ApiProperty({ description: 'epoch ms' }) start!: number;
  @ApiProperty() strength!: number;
  @ApiProperty({ description: 'ms before the other components (negative: after)' }) leadMs!: number;
  @ApiPropertyOptional() description?: string;
}

export class RankedCauseDto {
  @ApiProperty({ example: 'redis' }) component!: string;
  @ApiProperty({ description: 'Share of the ranking (causes sum to 1)' }) score!: number;
  @ApiProperty() anomaly!: number;
  @ApiProperty({ description: 'epoch ms' }) firstSeen!: number;
  @ApiProperty({ type: [CauseEvidenceDto] }) evidence!: CauseEvidenceDto[];
  @ApiProperty({ type: [String], description: 'Anomalous components that depend on it' }) explains!: string[];
  @ApiProperty() why!: string;
}

export class SignalDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['metric', 'log', 'health'] }) kind!: string;
  @ApiProperty() component!: string;
  @ApiProperty() start!: number;
  @ApiPropertyOptional() end?: number;
  @ApiProperty() strength!: number;
  @ApiPropertyOptional() description?: string;
}

export class IncidentSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: string;
  @ApiProperty({ enum: INCIDENT_STATES }) state!: string;
  @ApiProperty({ type: [String] }) components!: string[];
  @ApiPropertyOptional({ type: String, nullable: true, example: 'redis', description: 'The cause ranked first' }) topCause!: string | null;
  @ApiProperty() startedAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) acknowledgedAt!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) acknowledgedBy!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) resolvedAt!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) resolvedBy!: string | null;
}

export class AlertDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['threshold', 'anomaly', 'forecast', 'log', 'health'] }) source!: string;
  @ApiProperty({ example: 'redis-down' }) name!: string;
  @ApiProperty() component!: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: string;
  @ApiProperty({ enum: ['firing', 'resolved'] }) state!: string;
  @ApiProperty() summary!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) labels!: Record<string, string>;
  @ApiPropertyOptional({ type: Number, nullable: true }) value!: number | null;
  @ApiProperty() strength!: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The silence that mutes it' }) silencedBy!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) incidentId!: string | null;
  @ApiProperty() startsAt!: string;
  @ApiProperty() lastSeenAt!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) endsAt!: string | null;
}

export class FixDto {
  @ApiProperty({ example: 'pause-queue:music-generation' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() why!: string;
  @ApiProperty({ enum: ['low', 'medium', 'high'] }) risk!: string;
  @ApiProperty({ type: [String] }) runbook!: string[];
  @ApiProperty({ description: 'The cause it addresses' }) component!: string;
  @ApiPropertyOptional({ description: 'The executable action; absent for a runbook-only fix' }) action?: string;
  @ApiPropertyOptional() target?: string;
  @ApiProperty({ description: 'The policy (AIOPS_AUTO_FIXES) runs it without approval' }) automatic!: boolean;
  @ApiProperty() reversible!: boolean;
  @ApiProperty({ description: 'Ranking score' }) score!: number;
  @ApiProperty({ description: 'Whether its preconditions hold now' }) available!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Why it cannot run now' }) blockedReason!: string | null;
}

export class FixChangeDto {
  @ApiProperty({ example: 'pause queue' }) what!: string;
  @ApiProperty({ example: 'music-generation' }) target!: string;
  @ApiPropertyOptional() from?: unknown;
  @ApiPropertyOptional() to?: unknown;
}

export class FixAuditDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) incidentId!: string | null;
  @ApiProperty() fixId!: string;
  @ApiProperty({ enum: ['dry-run', 'execute', 'revert'] }) mode!: string;
  @ApiProperty({ description: 'User id, or aiops-policy' }) actor!: string;
  @ApiProperty({ description: "The user's email when they acted, or aiops-policy", example: 'admin@example.com' }) actorName!: string;
  @ApiProperty() automatic!: boolean;
  @ApiProperty({ enum: ['planned', 'succeeded', 'failed', 'refused'] }) outcome!: string;
  @ApiProperty() detail!: string;
  @ApiProperty({ type: [FixChangeDto] }) changes!: FixChangeDto[];
  @ApiProperty({ description: 'An applied fix that can be reverted' }) revertible!: boolean;
  @ApiProperty() createdAt!: string;
}

export class IncidentDetailDto extends IncidentSummaryDto {
  @ApiProperty({ description: 'What is wrong, in words' }) diagnosis!: string;
  @ApiProperty({ type: [RankedCauseDto] }) causes!: RankedCauseDto[];
  @ApiProperty({ type: [SignalDto] }) signals!: SignalDto[];
  @ApiProperty({ type: [AlertDto] }) alerts!: AlertDto[];
  @ApiProperty({ type: [FixDto], description: 'Ranked fixes' }) fixes!: FixDto[];
  @ApiProperty({ type: [FixAuditDto] }) audit!: FixAuditDto[];
  @ApiProperty({ type: [String], description: 'Series keys of the metric signals, for charts (GET /api/aiops/series/query)' })
  series!: string[];
}

export class NarrativeDto {
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null when no language model is configured or it failed' }) narrative!: string | null;
}

export class SilenceDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) matchers!: Record<string, string>;
  @ApiProperty() comment!: string;
  @ApiProperty() createdBy!: string;
  @ApiProperty() startsAt!: string;
  @ApiProperty() endsAt!: string;
  @ApiProperty() active!: boolean;
}

export class SeriesInfoDto {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'queue_waiting{queue="music-generation"}' }) key!: string;
  @ApiProperty() metric!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) labels!: Record<string, string>;
  @ApiProperty() component!: string;
  @ApiPropertyOptional({ type: Number, nullable: true }) lastValue!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) lastScore!: number | null;
  @ApiPropertyOptional({ type: String, nullable: true }) lastAt!: string | null;
}

export class SeriesPointDto {
  @ApiProperty({ description: 'epoch ms' }) t!: number;
  @ApiProperty() value!: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Anomaly score 0..1' }) score!: number | null;
}

export class SeriesDataDto extends SeriesInfoDto {
  @ApiProperty({ description: 'Scores at or above this are anomalous' }) threshold!: number;
  @ApiProperty({ type: [SeriesPointDto] }) points!: SeriesPointDto[];
}

export class ForecastPointDto {
  @ApiProperty() t!: number;
  @ApiProperty() mean!: number;
  @ApiProperty() lower!: number;
  @ApiProperty() upper!: number;
}

export class ForecastDto {
  @ApiProperty() key!: string;
  @ApiProperty() metric!: string;
  @ApiProperty() component!: string;
  @ApiProperty({ example: 'bytes' }) unit!: string;
  @ApiProperty({ enum: ['rising', 'falling'] }) direction!: string;
  @ApiPropertyOptional({ type: Number, nullable: true }) limit!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) lastValue!: number | null;
  @ApiProperty({ description: 'Trend per hour in the series unit' }) trendPerHour!: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Expected time to exhaustion (ms), null when not within the search horizon' })
  timeToExhaustionMs!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Pessimistic crossing time (epoch ms)' }) earliest!: number | null;
  @ApiProperty({ description: 'The earliest crossing is within a day (or the limit is passed)' }) alert!: boolean;
  @ApiProperty({ type: [ForecastPointDto] }) points!: ForecastPointDto[];
}

export class LogPatternCountDto {
  @ApiProperty() bucket!: string;
  @ApiProperty() count!: number;
}

export class LogPatternDto {
  @ApiProperty() id!: string;
  @ApiProperty() template!: string;
  @ApiProperty() component!: string;
  @ApiProperty() level!: string;
  @ApiProperty() total!: number;
  @ApiProperty() firstSeen!: string;
  @ApiProperty() lastSeen!: string;
  @ApiProperty({
    enum: ['new', 'bursting', 'silent', 'steady'],
    description: 'new: first seen in the range; bursting/silent: the monitor’s last event within it',
  })
  status!: string;
  @ApiProperty({ type: [LogPatternCountDto], description: 'Counts per minute in the range' }) counts!: LogPatternCountDto[];
}
