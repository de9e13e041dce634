import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { quietRedis, redisOptionsFromUrl } from './redis-connection';

/** Watches the Redis connection so job endpoints can answer 503 at once instead of hanging. */
@Injectable()
export class RedisAvailability implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private readonly client: Redis;
  private up = false;

  constructor(config: AppConfig) {
    this.client = quietRedis({
      ...redisOptionsFromUrl(config.REDIS_URL),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectionName: 'xiaoyu-health',
    });
    this.client.on('ready', () => {
      if (!this.up) this.logger.log('Redis is reachable');
      this.up = true;
    });
    this.client.on('close', () => {
      if (this.up) this.logger.warn('Redis connection lost; job endpoints answer 503 until it returns');
      this.up = false;
    });
  }

  isUp(): boolean {
    return this.up;
  }

  /** Round-trip time in ms, or throws when Redis does not answer within `timeoutMs`. */
  async ping(timeoutMs = 1000): Promise<number> {
    const started = performance.now();
    await withTimeout(this.client.ping(), timeoutMs, 'Redis did not answer PING');
    return Math.round((performance.now() - started) * 10) / 10;
  }

  onApplicationShutdown(): void {
    this.client.disconnect();
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
