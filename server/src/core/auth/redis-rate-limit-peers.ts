import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { closeRedis, quietRedis, redisOptionsFromUrl } from '../jobs/redis-connection';
import type { RateLimitPeers, WindowReport } from './fixed-window-counter';

/**
 * The replicas' shared rate-limit counts: one Redis counter per key and window (under QUEUE_PREFIX, so deployments
 * sharing a Redis stay apart), kept for two windows. Commands fail at once while Redis is away (no offline queue): the
 * counter then counts per replica and reports later.
 */
@Injectable()
export class RedisRateLimitPeers implements RateLimitPeers, OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(config: AppConfig) {
    // The counter logs a failed report.
    this.redis = quietRedis({ ...redisOptionsFromUrl(config.REDIS_URL), enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.prefix = `${config.QUEUE_PREFIX}:rate-limit:`;
  }

  async report(reports: WindowReport[]): Promise<number[]> {
    const pipeline = this.redis.pipeline();
    for (const { key, window, windowMs, hits } of reports) {
      const redisKey = `${this.prefix}${key}:${window}`;
      pipeline.incrby(redisKey, hits).pexpire(redisKey, 2 * windowMs);
    }
    const results = (await pipeline.exec()) ?? [];
    return reports.map((_, i) => {
      const [error, total] = results[2 * i] ?? [new Error('no reply')];
      if (error) throw error;
      return Number(total);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }
}
