import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { QUEUES } from '../core/jobs/queues';
import type { MusicGenerationResultDto } from './dto/music-generation.dto';
import { MusicGenerationService, type MusicJobData } from './music.service';

/** Thin BullMQ processor: one job = one generation (started by WorkerStarter per ROLE). */
@Processor(QUEUES.musicGeneration, { autorun: false, concurrency: 2 })
export class MusicGenerationProcessor extends WorkerHost {
  constructor(private readonly music: MusicGenerationService) {
    super();
  }

  process(job: Job<MusicJobData>): Promise<MusicGenerationResultDto> {
    return this.music.runJob(String(job.id), job.data, (progress) => job.updateProgress(progress));
  }
}
