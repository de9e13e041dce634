import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { sql } from 'kysely';
import { AppConfig } from '../config/app-config';
import { DATABASE, Database } from '../db/database';
import { RedisAvailability } from '../jobs/redis-availability.service';
import { HealthRegistry } from './health.registry';

/**
 * Registers the platform's own dependencies: the database and Redis. Redis does not count for readiness: every replica
 * shares it, so an outage would take them all out of the Service at once, while without it a replica still serves
 * sign-in and everything stored in the database (job endpoints answer 503 with Retry-After).
 */
@Injectable()
export class CoreHealthChecks implements OnModuleInit {
  constructor(
    private readonly registry: HealthRegistry,
    @Inject(DATABASE) private readonly db: Database,
    private readonly redis: RedisAvailability,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const engine = this.config.DATABASE_URL ? 'postgresql' : 'pglite';
    this.registry.register('database', async () => {
      const started = performance.now();
      await sql`select 1`.execute(this.db);
      return { up: true, details: { engine, latencyMs: Math.round(performance.now() - started) } };
    });
    this.registry.register(
      'redis',
      async () => {
        if (!this.redis.isUp()) return { up: false, details: { message: 'Redis cannot be reached' } };
        return { up: true, details: { latencyMs: await this.redis.ping() } };
      },
      { readiness: false },
    );
  }
}
