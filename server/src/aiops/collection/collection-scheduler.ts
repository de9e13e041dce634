import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../core/config/app-config';
import { JobsService } from '../../core/jobs/jobs.service';
import { QUEUES } from '../../core/jobs/queues';
import { RedisAvailability, withTimeout } from '../../core/jobs/redis-availability.service';
import { AiopsCollector } from './collector.service';

export const COLLECT_SCHEDULER_ID = 'aiops-collect';

/**
 * In the worker role: a BullMQ job scheduler runs one collection every AIOPS_COLLECT_INTERVAL_MS (one run per
 * interval however many workers there are). A local watchdog collects directly when the queue has not delivered for
 * 2.5 intervals, since that is exactly what happens while Redis is down, and Redis down must still be observed. With
 * several workers, another one may have run the last collections: while Redis answers, the watchdog reads the queue's
 * latest finished collection, not only this process's own.
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
    private readonly redis: RedisAvailability,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.AIOPS_COLLECT || !this.config.runsWorkers) return;
    const every = this.config.AIOPS_COLLECT_INTERVAL_MS;
    await this.schedule(every);
    this.watchdog = setInterval(() => void this.watch(every).catch((error: Error) => this.logger.warn(`Watchdog: ${error.message}`)), every);
    this.watchdog.unref();
  }

  /** Registers (again) the job scheduler; a Redis that came back without its data has lost it. */
  private async schedule(every: number): Promise<void> {
    try {
      await this.jobs
        .queue(QUEUES.aiopsCollect)
        .upsertJobScheduler(COLLECT_SCHEDULER_ID, { every }, { name: 'collect', data: { userId: 'aiops' }, opts: { removeOnComplete: 50, removeOnFail: 50 } });
    } catch (error) {
      this.logger.warn(`Collection scheduler not registered (${(error as Error).message}); the watchdog collects meanwhile`);
    }
  }

  onApplicationShutdown(): void {
    if (this.watchdog) clearInterval(this.watchdog);
  }

  /** The watchdog's tick: collects here when no worker has collected for 2.5 intervals. */
  async watch(every: number): Promise<void> {
    const own = this.collector.last ? Date.parse(this.collector.last.at) : this.startedAt;
    if (Date.now() - own < 2.5 * every) return;
    if (this.redis.isUp() && Date.now() - (await this.lastQueuedCollection()) < 2.5 * every) return;
    this.collector.collect().catch((error: Error) => this.logger.warn(`Watchdog collection failed: ${error.message}`));
    if (this.redis.isUp()) this.schedule(every).catch(() => undefined);
  }

  /** When the latest collection run through the queue (by any worker) finished; 0 when unknown. */
  private async lastQueuedCollection(): Promise<number> {
    try {
      const [latest] = await withTimeout(this.jobs.queue(QUEUES.aiopsCollect).getJobs(['completed'], 0, 0, false), 2000, 'the queue did not answer');
      return latest?.finishedOn ?? 0;
    } catch {
      return 0;
    }
  }
}
