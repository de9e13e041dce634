import { Processor } from '@nestjs/bullmq';
import { JobProcessor } from '../core/jobs/job-processor';
import type { OwnedJobData } from '../core/jobs/jobs.service';
import { QUEUES } from '../core/jobs/queues';
import { AiopsCollector, CollectionReport } from './collection/collector.service';

/** The repeatable collection job (worker role): one collection per run. */
@Processor(QUEUES.aiopsCollect, { autorun: false })
export class AiopsCollectProcessor extends JobProcessor<OwnedJobData, CollectionReport> {
  constructor(private readonly collector: AiopsCollector) {
    super();
  }

  protected run(): Promise<CollectionReport> {
    return this.collector.collect();
  }
}
