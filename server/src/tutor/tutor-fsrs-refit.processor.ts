import { Processor } from '@nestjs/bullmq';
import { JobProcessor, type JobContext } from '../core/jobs/job-processor';
import type { OwnedJobData } from '../core/jobs/jobs.service';
import { QUEUES } from '../core/jobs/queues';
import type { FsrsFitDto } from './dto/tutor-scheduler.dto';
import { TutorScheduler } from './tutor-scheduler.service';

/** Thin BullMQ processor: one job = one refit of the FSRS weights (started by WorkerStarter per ROLE). */
@Processor(QUEUES.tutorFsrsRefit, { autorun: false, concurrency: 1 })
export class TutorFsrsRefitProcessor extends JobProcessor<OwnedJobData, FsrsFitDto> {
  constructor(private readonly scheduler: TutorScheduler) {
    super();
  }

  protected run(job: JobContext<OwnedJobData>): Promise<FsrsFitDto> {
    return this.scheduler.refit(job);
  }
}
