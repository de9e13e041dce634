import { Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly, AuthUser, CurrentUser } from '../core/auth/auth.decorators';
import { ProblemDto } from '../core/errors/problem.dto';
import { JobAcceptedDto } from '../core/jobs/dto/job.dto';
import { TutorSchedulerDto } from './dto/tutor-scheduler.dto';
import { TutorScheduler } from './tutor-scheduler.service';

@ApiTags('tutor')
@ApiBearerAuth()
@AdminOnly()
@ApiResponse({ status: 401, type: ProblemDto, description: 'Missing or expired access token' })
@ApiResponse({ status: 403, type: ProblemDto, description: 'Not an admin' })
@Controller('tutor/scheduler')
export class TutorSchedulerController {
  constructor(private readonly scheduler: TutorScheduler) {}

  @Get()
  @ApiOperation({ summary: 'The FSRS weights reviews are scheduled with, the reviews logged so far and the latest refits' })
  @ApiOkResponse({ type: TutorSchedulerDto })
  overview(): Promise<TutorSchedulerDto> {
    return this.scheduler.overview();
  }

  @Post('refit')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: "Refit the FSRS weights from every learner's attempts (a job); taken only if they predict held-out cards better than the weights in use",
  })
  @ApiAcceptedResponse({
    type: JobAcceptedDto,
    description:
      'Queued; follow statusUrl or eventsUrl (stages: reading reviews, fitting, judging, refitting on every card, storing). The result is the refit (FsrsFitDto)',
  })
  @ApiResponse({ status: 503, type: ProblemDto, description: 'Queue unavailable (Retry-After)' })
  refit(@CurrentUser() user: AuthUser): Promise<JobAcceptedDto> {
    return this.scheduler.submitRefit(user);
  }
}
