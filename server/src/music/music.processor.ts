import { Processor } from '@nestjs/bullmq';
import { JobProcessor, type JobContext } from '../core/jobs/job-processor';
import { QUEUES } from '../core/jobs/queues';
import type { MusicGenerationResultDto } from './dto/music-generation.dto';
import { MusicGenerationRunner } from './music-generation.runner';
import type { MusicJobData } from './music-request';

/** Thin BullMQ processor: one job = one generation (started by WorkerStarter per ROLE). */
@Processor(QUEUES.musicGeneration, { autorun: false, concurrency: 2 })
export class MusicGenerationProcessor extends JobProcessor<MusicJobData, MusicGenerationResultDto> {
  constructor(private readonly runner: MusicGenerationRunner) {
    super();
  }

  protected run(job: JobContext<MusicJobData>): Promise<MusicGenerationResultDto> {
    return this.runner.run(job);
  }
}
