import { Controller, Get, MessageEvent, Param, ParseUUIDPipe, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { AllowQueryToken, AuthUser, CurrentUser } from '../auth/auth.decorators';
import { JobStatusDto } from './dto/job.dto';
import { JobsService } from './jobs.service';

const POLL_MS = 500;

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get(':queue/:id')
  @ApiOperation({ summary: 'Status of any job you submitted' })
  @ApiResponse({ status: 200, type: JobStatusDto })
  status(@Param('queue') queue: string, @Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser): Promise<JobStatusDto> {
    return this.jobs.status(queue, id, user);
  }

  @Sse(':queue/:id/events')
  @AllowQueryToken()
  @ApiOperation({ summary: 'Live job status as Server-Sent Events (token may be passed as ?access_token=)' })
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 200, description: 'A `status` event with a JobStatus each time it changes; ends after completed/failed' })
  async events(@Param('queue') queue: string, @Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser): Promise<Observable<MessageEvent>> {
    const first = await this.jobs.status(queue, id, user);
    return new Observable<MessageEvent>((subscriber) => {
      let last = '';
      let timer: NodeJS.Timeout | undefined;
      const emit = (status: JobStatusDto) => {
        const json = JSON.stringify(status);
        if (json !== last) subscriber.next({ type: 'status', data: status });
        last = json;
        if (status.state === 'completed' || status.state === 'failed') subscriber.complete();
        else timer = setTimeout(poll, POLL_MS);
      };
      const poll = () => {
        this.jobs.status(queue, id, user).then(emit, (error: unknown) => {
          subscriber.next({ type: 'error', data: { detail: error instanceof Error ? error.message : 'unavailable' } });
          timer = setTimeout(poll, POLL_MS * 4);
        });
      };
      emit(first);
      return () => clearTimeout(timer);
    });
  }
}
