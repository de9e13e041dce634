import { loadConfig } from '../../core/config/app-config';
import type { JobsService } from '../../core/jobs/jobs.service';
import type { RedisAvailability } from '../../core/jobs/redis-availability.service';
import { CollectionScheduler } from './collection-scheduler';
import type { AiopsCollector } from './collector.service';

const EVERY = 15_000;

/** A worker whose own last collection was 40 s ago, beside a queue whose latest collection finished `queuedAgoMs` ago. */
function watchdog(queuedAgoMs: number | null, redisUp = true) {
  const collect = jest.fn(() => Promise.resolve());
  const collector = { last: { at: new Date(Date.now() - 40_000).toISOString() }, collect } as unknown as AiopsCollector;
  const latest = queuedAgoMs === null ? [] : [{ finishedOn: Date.now() - queuedAgoMs }];
  const queue = { getJobs: () => Promise.resolve(latest), upsertJobScheduler: () => Promise.resolve() };
  const jobs = { queue: () => queue } as unknown as JobsService;
  const redis = { isUp: () => redisUp } as unknown as RedisAvailability;
  return { scheduler: new CollectionScheduler(loadConfig({ NODE_ENV: 'test' }), jobs, collector, redis), collect };
}

describe('CollectionScheduler watchdog', () => {
  it('leaves the collection to the queue while another worker ran it lately', async () => {
    const { scheduler, collect } = watchdog(5_000);
    await scheduler.watch(EVERY);
    expect(collect).not.toHaveBeenCalled();
  });

  it('collects here when no worker has collected for 2.5 intervals, or Redis is down', async () => {
    for (const [queuedAgo, redisUp] of [
      [60_000, true],
      [null, true],
      [5_000, false],
    ] as const) {
      const { scheduler, collect } = watchdog(queuedAgo, redisUp);
      await scheduler.watch(EVERY);
      expect(collect).toHaveBeenCalledTimes(1);
    }
  });
});
