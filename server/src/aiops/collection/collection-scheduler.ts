import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../core/config/app-config';
import { JobsService } from '../../core/jobs/jobs.service';
import { QUEUES } from '../../core/jobs/queues';
import { AiopsCollector } from './collector.service';

export const COLLECT_SCHEDULER_ID = 'aiops-collect';

/**
 * In the worker role: a BullMQ job scheduler runs one collection every AIOPS_COLLECT_INTERVAL_MS (one run per
 * interval however many workers there are). A local watchdog collects directly when the queue has not delivered for
 * 2.5 intervals, since that is exactly what happens while Redis is down, and Redis down must still be observed.
 */
@Injectable()
export class CollectionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AiopsCollector');
  private watchdog?: NodeJS.Timeout;
  private readonly startedAt = Date.now();

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly collector: AiopsCollector,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.AIOPS_COLLECT || !this.config.runsWorkers) return;
    const every = this.config.AIOPS_COLLECT_INTERVAL_MS;
    try {
      await this.jobs
        .queue(QUEUES.aiopsCollect)
        .upsertJobScheduler(COLLECT_SCHEDULER_ID, { every }, { name: 'collect', data: { userId: 'aiops' }, opts: { removeOnComplete: 50, removeOnFail: 50 } });
    } catch (error) {
      this.logger.warn(`Collection scheduler not registered (${(error as Error).message}); the watchdog collects meanwhile`);
    }
    this.watchdog = setInterval(() => this.check(every), every);
    this.watchdog.unref();
  }

  onApplicationShutdown(): void {
    if (this.watchdog) clearInterval(this.watchdog);
  }

  private check(every: number): void {
    const last = this.collector.last ? Date.parse(this.collector.last.at) : this.startedAt;
    if (Date.now() - last < 2.5 * every) return;
    this.collector.collect().catch((error: Error) => this.logger.warn(`Watchdog collection failed: ${error.message}`));
  }
}
