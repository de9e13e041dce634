import { Controller, Get, MessageEvent, Query, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { AdminOnly, AllowQueryToken, TokenExpiresAt } from '../core/auth/auth.decorators';
import { ProblemDto } from '../core/errors/problem.dto';
import { LogSearchQueryDto, LogSearchResponseDto, LogsSettingsDto, LogStatsQueryDto, LogStatsResponseDto, LogTailQueryDto } from './dto/log-query.dto';
import { LogsService } from './logs.service';

@ApiTags('logs')
@ApiBearerAuth()
@AdminOnly()
@ApiResponse({ status: 401, type: ProblemDto, description: 'Missing or expired access token' })
@ApiResponse({ status: 403, type: ProblemDto, description: 'Not an admin' })
@Controller('logs')
export class LogsController {
  constructor(private readonly logs: LogsService) {}

  @Get()
  @ApiOperation({ summary: 'Search the aggregated logs of every replica (admin)' })
  @ApiOkResponse({ type: LogSearchResponseDto })
  @ApiResponse({ status: 503, description: 'Elasticsearch is not configured or not reachable (problem+json)' })
  search(@Query() query: LogSearchQueryDto): Promise<LogSearchResponseDto> {
    return this.logs.search(query);
  }

  @Get('stats')
  @ApiOperation({ summary: 'Log counts by level over time, top error messages, latency percentiles by route (admin)' })
  @ApiOkResponse({ type: LogStatsResponseDto })
  @ApiResponse({ status: 503, description: 'Elasticsearch is not configured or not reachable (problem+json)' })
  stats(@Query() query: LogStatsQueryDto): Promise<LogStatsResponseDto> {
    return this.logs.stats(query);
  }

  @Get('settings')
  @ApiOperation({ summary: 'Whether log search and shipping are on, and the Kibana URL (admin)' })
  @ApiOkResponse({ type: LogsSettingsDto })
  settings(): LogsSettingsDto {
    return this.logs.settings();
  }

  @Sse('tail')
  @AllowQueryToken()
  @ApiOperation({ summary: 'Live tail as Server-Sent Events: a `log` event per new document (token may be passed as ?access_token=)' })
  @ApiProduces('text/event-stream')
  @ApiResponse({
    status: 200,
    description:
      'A `log` event carrying a LogEntry per new document (one indexed up to 30 s late too). While Elasticsearch does not answer, `unavailable` events carrying `{ detail }`, and the stream keeps polling. The stream ends when the access token it was opened with expires (EventSource reconnects; the client does so with a fresh token).',
  })
  @ApiResponse({ status: 503, description: 'Elasticsearch is not configured (problem+json)' })
  tail(@Query() query: LogTailQueryDto, @TokenExpiresAt() tokenExpiresAt: number): Observable<MessageEvent> {
    return this.logs.tail(query, tokenExpiresAt);
  }
}
