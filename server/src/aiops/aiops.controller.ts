import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, AuthUser, CurrentUser } from '../core/auth/auth.decorators';
import { ProblemDto } from '../core/errors/problem.dto';
import { AiopsService } from './aiops.service';
import {
  AiopsStatusDto,
  AlertDto,
  AlertListQueryDto,
  AuditQueryDto,
  CollectionReportDto,
  CreateSilenceDto,
  FixAuditDto,
  ForecastDto,
  ForecastQueryDto,
  IncidentDetailDto,
  IncidentListQueryDto,
  IncidentSummaryDto,
  LogPatternDto,
  NarrativeDto,
  SeriesDataDto,
  SeriesInfoDto,
  SeriesQueryDto,
  SilenceDto,
  SilenceListQueryDto,
  TimeRangeQueryDto,
} from './dto/aiops.dto';

@ApiTags('aiops')
@ApiBearerAuth()
@AdminOnly()
@ApiResponse({ status: 401, type: ProblemDto, description: 'Missing or expired access token' })
@ApiResponse({ status: 403, type: ProblemDto, description: 'Not an admin' })
@Controller('aiops')
export class AiopsController {
  constructor(private readonly aiops: AiopsService) {}

  @Get('status')
  @ApiOperation({ summary: 'Whether this process collects, from which source, and its last collection' })
  @ApiOkResponse({ type: AiopsStatusDto })
  status(): Promise<AiopsStatusDto> {
    return this.aiops.status();
  }

  @Post('collect')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Run one collection in this process now (normally the worker runs one every AIOPS_COLLECT_INTERVAL_MS)' })
  @ApiOkResponse({ type: CollectionReportDto })
  collect(): Promise<CollectionReportDto> {
    return this.aiops.collectNow();
  }

  @Get('incidents')
  @ApiOperation({ summary: 'Incidents, newest first, with severity, state and the cause ranked first' })
  @ApiOkResponse({ type: [IncidentSummaryDto] })
  incidents(@Query() query: IncidentListQueryDto): Promise<IncidentSummaryDto[]> {
    return this.aiops.incidents(query.state, query.limit);
  }

  @Get('incidents/:id')
  @ApiOperation({ summary: 'One incident: diagnosis, ranked causes with evidence, signals, alerts, ranked fixes and the audit of its fixes' })
  @ApiOkResponse({ type: IncidentDetailDto })
  @ApiResponse({ status: 404, type: ProblemDto, description: 'Unknown incident' })
  incident(@Param('id') id: string): Promise<IncidentDetailDto> {
    return this.aiops.incident(id);
  }

  @Post('incidents/:id/acknowledge')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Acknowledge an incident (someone is on it)' })
  @ApiOkResponse({ type: IncidentSummaryDto })
  @ApiResponse({ status: 404, type: ProblemDto })
  @ApiResponse({ status: 409, type: ProblemDto, description: 'Already resolved' })
  acknowledge(@Param('id') id: string, @CurrentUser() user: AuthUser): Promise<IncidentSummaryDto> {
    return this.aiops.acknowledge(id, user);
  }

  @Post('incidents/:id/resolve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Resolve an incident by hand' })
  @ApiOkResponse({ type: IncidentSummaryDto })
  @ApiResponse({ status: 404, type: ProblemDto })
  resolve(@Param('id') id: string, @CurrentUser() user: AuthUser): Promise<IncidentSummaryDto> {
    return this.aiops.resolve(id, user);
  }

  @Post('incidents/:id/narrative')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'A narrative of the incident by the optional language model (null without one)' })
  @ApiOkResponse({ type: NarrativeDto })
  @ApiResponse({ status: 404, type: ProblemDto })
  narrative(@Param('id') id: string): Promise<NarrativeDto> {
    return this.aiops.narrative(id);
  }

  @Post('incidents/:id/fixes/:fixId/dry-run')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'What the fix would change, without changing anything (audited); required before execute' })
  @ApiOkResponse({ type: FixAuditDto })
  @ApiResponse({ status: 404, type: ProblemDto, description: 'Unknown incident or fix' })
  @ApiResponse({ status: 409, type: ProblemDto, description: 'The fix cannot run now (its preconditions do not hold) or is a runbook only' })
  @ApiResponse({ status: 503, type: ProblemDto, description: 'What the fix would change could not be read (a dependency did not answer); audited as failed' })
  dryRun(@Param('id') id: string, @Param('fixId') fixId: string, @CurrentUser() user: AuthUser): Promise<FixAuditDto> {
    return this.aiops.dryRun(id, fixId, user);
  }

  @Post('incidents/:id/fixes/:fixId/execute')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Apply the fix (after a dry run in the last 15 minutes); audited with who, what, when and the result' })
  @ApiOkResponse({ type: FixAuditDto, description: 'The audit entry (outcome succeeded or failed)' })
  @ApiResponse({ status: 404, type: ProblemDto, description: 'Unknown incident or fix' })
  @ApiResponse({
    status: 409,
    type: ProblemDto,
    description: 'No unused dry run first, the preconditions no longer hold, or the action is being applied right now',
  })
  @ApiResponse({ status: 429, type: ProblemDto, description: 'The action ran AIOPS_FIX_RATE_LIMIT times in the last hour' })
  execute(@Param('id') id: string, @Param('fixId') fixId: string, @CurrentUser() user: AuthUser): Promise<FixAuditDto> {
    return this.aiops.execute(id, fixId, user);
  }

  @Get('fixes/audit')
  @ApiOperation({ summary: 'The fix audit: every dry run, execution and revert, newest first' })
  @ApiOkResponse({ type: [FixAuditDto] })
  audit(@Query() query: AuditQueryDto): Promise<FixAuditDto[]> {
    return this.aiops.audit(query.incidentId, query.limit);
  }

  @Post('fixes/audit/:auditId/revert')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Undo an applied reversible fix (resume a paused queue, scale back)' })
  @ApiOkResponse({ type: FixAuditDto })
  @ApiResponse({ status: 404, type: ProblemDto })
  @ApiResponse({ status: 409, type: ProblemDto, description: 'Not an applied reversible fix, already reverted, or the undo cannot run' })
  revert(@Param('auditId') auditId: string, @CurrentUser() user: AuthUser): Promise<FixAuditDto> {
    return this.aiops.revert(auditId, user);
  }

  @Get('alerts')
  @ApiOperation({ summary: 'Alerts (threshold, anomaly, forecast, log, health), newest first' })
  @ApiOkResponse({ type: [AlertDto] })
  alerts(@Query() query: AlertListQueryDto): Promise<AlertDto[]> {
    return this.aiops.alerts(query.state, query.limit);
  }

  @Get('silences')
  @ApiOperation({ summary: 'Silences (active ones, or all with ?all=true)' })
  @ApiOkResponse({ type: [SilenceDto] })
  silences(@Query() query: SilenceListQueryDto): Promise<SilenceDto[]> {
    return this.aiops.silences(query.all ?? false);
  }

  @Post('silences')
  @ApiOperation({ summary: 'Silence matching alerts for a while (they are recorded but neither notified nor grouped into incidents)' })
  @ApiResponse({ status: 201, type: SilenceDto })
  @ApiResponse({ status: 400, type: ProblemDto })
  createSilence(@Body() body: CreateSilenceDto, @CurrentUser() user: AuthUser): Promise<SilenceDto> {
    return this.aiops.createSilence(body, user);
  }

  @Delete('silences/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End a silence now' })
  @ApiNoContentResponse()
  @ApiResponse({ status: 404, type: ProblemDto })
  expireSilence(@Param('id') id: string): Promise<void> {
    return this.aiops.expireSilence(id);
  }

  @Get('forecasts')
  @ApiOperation({ summary: 'Capacity forecasts (disk, log spool, heap, RSS, queue backlog, database size) with interval and time to exhaustion' })
  @ApiOkResponse({ type: [ForecastDto] })
  forecasts(@Query() query: ForecastQueryDto): Promise<ForecastDto[]> {
    return this.aiops.forecasts(query.horizonHours);
  }

  @Get('series')
  @ApiOperation({ summary: 'Every stored series (metric, labels, component, last value and anomaly score)' })
  @ApiOkResponse({ type: [SeriesInfoDto] })
  series(): Promise<SeriesInfoDto[]> {
    return this.aiops.seriesList();
  }

  @Get('series/query')
  @ApiOperation({ summary: 'Samples with anomaly scores of the series of a metric (optionally filtered by labels) in a time range' })
  @ApiOkResponse({ type: [SeriesDataDto] })
  @ApiResponse({ status: 400, type: ProblemDto })
  seriesQuery(@Query() query: SeriesQueryDto): Promise<SeriesDataDto[]> {
    return this.aiops.seriesQuery(query.metric, query.labels, query.from, query.to);
  }

  @Get('logs/patterns')
  @ApiOperation({ summary: 'Log patterns seen in a time range with counts per minute; new, bursting and silent ones marked' })
  @ApiOkResponse({ type: [LogPatternDto] })
  logPatterns(@Query() query: TimeRangeQueryDto): Promise<LogPatternDto[]> {
    return this.aiops.logPatterns(query.from, query.to);
  }
}
