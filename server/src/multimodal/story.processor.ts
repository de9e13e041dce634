import { Processor } from '@nestjs/bullmq';
import { JobProcessor, type JobContext } from '../core/jobs/job-processor';
import { QUEUES } from '../core/jobs/queues';
import type { StoryResultDto } from './dto/story.dto';
import { StoryRunner, type StoryJobData } from './story.runner';

/** Thin BullMQ processor: one job = one story set to music (started by WorkerStarter per ROLE). */
@Processor(QUEUES.multimodalStory, { autorun: false, concurrency: 1 })
export class StoryProcessor extends JobProcessor<StoryJobData, StoryResultDto> {
  constructor(private readonly runner: StoryRunner) {
    super();
  }

  protected run(job: JobContext<StoryJobData>): Promise<StoryResultDto> {
    return this.runner.run(job);
  }
}
