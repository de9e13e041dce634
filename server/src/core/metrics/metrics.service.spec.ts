import type { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import type { Database } from '../db/database';
import { JobsService } from '../jobs/jobs.service';
import { QUEUE_NAMES } from '../jobs/queues';
import type { RedisAvailability } from '../jobs/redis-availability.service';
import { MetricsService } from './metrics.service';

function metricsWith(getJobCounts: (queue: string) => Promise<Record<string, number>>): MetricsService {
  const moduleRef = {
    get: (token: string) => ({ getJobCounts: () => getJobCounts(token.replace(/^BullQueue_/, '')) }) as unknown as Queue,
  } as unknown as ModuleRef;
  const redis = { isUp: () => true } as RedisAvailability;
  const service = new MetricsService(new JobsService(moduleRef, redis), redis, {} as Database);
  service.onModuleInit();
  return service;
}

describe('MetricsService queue_jobs', () => {
  it('reports every queue’s jobs by state', async () => {
    const metrics = metricsWith((queue) => Promise.resolve({ waiting: queue === 'music-generation' ? 3 : 0, active: 1, completed: 0, failed: 0, delayed: 0 }));
    const text = await metrics.registry.getSingleMetricAsString('queue_jobs');
    expect(text).toContain('queue_jobs{queue="music-generation",state="waiting"} 3');
    for (const queue of QUEUE_NAMES) expect(text).toContain(`queue_jobs{queue="${queue}",state="active"} 1`);
  });

  it('answers without queue values, in bounded time, when Redis stops answering mid-scrape', async () => {
    const metrics = metricsWith(() => new Promise(() => undefined)); // a command held while ioredis reconnects
    const started = Date.now();
    const text = await metrics.registry.getSingleMetricAsString('queue_jobs');
    expect(Date.now() - started).toBeLessThan(6000); // the queue timeout (3 s) with room for a loaded machine
    expect(text).not.toMatch(/queue_jobs\{/);
  }, 15_000);
});
