import { Controller, Get, MessageEvent, NotFoundException, Param, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { AllowQueryToken, AuthUser, CurrentUser } from '../auth/auth.decorators';
import { pollingEventStream } from '../http/server-sent-events';
import { ProblemDto } from '../errors/problem.dto';
import { UuidParam } from '../validation/uuid-param';
import { QUEUE_NAMES } from './queues';
import { JobStatusDto } from './dto/job.dto';
import { JobsService } from './jobs.service';
import { ShutdownSignal } from '../http/shutdown-signal';

const POLL_MS = 500;

const ApiQueueParam = () => ApiParam({ name: 'queue', enum: [...QUEUE_NAMES], description: 'The queue the job was submitted to' });
const MAX_BACKOFF_MS = 5000;

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly shutdown: ShutdownSignal,
  ) {}

  @Get(':queue/:id')
  @ApiOperation({ summary: 'Status of any job you submitted' })
  @ApiQueueParam()
  @ApiResponse({ status: 200, type: JobStatusDto })
  @ApiResponse({ status: 404, type: ProblemDto, description: 'No such queue, or no job of yours with this id' })
  @ApiResponse({ status: 503, type: ProblemDto, description: 'The queue does not answer (Retry-After)' })
  status(@Param('queue') queue: string, @UuidParam('id') id: string, @CurrentUser() user: AuthUser): Promise<JobStatusDto> {
    return this.jobs.status(queue, id, user);
  }

  @Sse(':queue/:id/events')
  @AllowQueryToken()
  @ApiOperation({ summary: 'Live job status as Server-Sent Events (token may be passed as ?access_token=)' })
  @ApiQueueParam()
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 404, type: ProblemDto, description: 'No such queue, or no job of yours with this id' })
  @ApiResponse({ status: 503, type: ProblemDto, description: 'The queue does not answer (Retry-After)' })
  @ApiResponse({
    status: 200,
    description:
      'A `status` event with a JobStatus each time it changes; ends after completed/failed, or when the job is removed (the reconnect then gets 404). While the queue does not answer, ' +
      '`unavailable` events carrying `{ detail }`, and the stream keeps polling.',
  })
  async events(@Param('queue') queue: string, @UuidParam('id') id: string, @CurrentUser() user: AuthUser): Promise<Observable<MessageEvent>> {
    // read once before the stream opens, so an unknown job or a queue that is down is an HTTP answer (404/503)
    const first = await this.jobs.status(queue, id, user);
    return pollingEventStream({
      first,
      read: () => this.jobs.status(queue, id, user),
      events: (status) => [{ type: 'status', data: status }],
      isFinal: (status) => status.state === 'completed' || status.state === 'failed',
      // The job was deleted or cancelled while followed.
      isGone: (error) => error instanceof NotFoundException,
      skipUnchanged: true,
      intervalMs: POLL_MS,
      maxBackoffMs: MAX_BACKOFF_MS,
      endOn: this.shutdown.signal,
    });
  }
}
