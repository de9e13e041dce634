import type { Database } from '../db/database';
import type { JobsService } from '../jobs/jobs.service';
import { QUEUE_NAMES } from '../jobs/queues';
import type { RedisAvailability } from '../jobs/redis-availability.service';
import { MetricsService, QUEUE_COUNTS_TIMEOUT_MS } from './metrics.service';

function metricsWith(getJobCounts: (queue: string) => Promise<Record<string, number>>): MetricsService {
  const jobs = { queue: (name: string) => ({ getJobCounts: () => getJobCounts(name) }) } as unknown as JobsService;
  const service = new MetricsService(jobs, { isUp: () => true } as RedisAvailability, {} as Database);
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
    expect(Date.now() - started).toBeLessThan(QUEUE_COUNTS_TIMEOUT_MS + 2000);
    expect(text).not.toMatch(/queue_jobs\{/);
  });
});
