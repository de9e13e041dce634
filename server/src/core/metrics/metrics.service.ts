import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { DATABASE, type Database, databasePool } from '../db/database';
import { JobsService } from '../jobs/jobs.service';
import { QUEUE_NAMES } from '../jobs/queues';
import { RedisAvailability } from '../jobs/redis-availability.service';

const QUEUE_STATES = ['waiting', 'active', 'completed', 'failed', 'delayed'] as const;

/** The process's Prometheus registry; features register their own collectors on `registry`. */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(
    private readonly jobs: JobsService,
    private readonly redis: RedisAvailability,
    @Inject(DATABASE) private readonly db: Database,
  ) {}

  onModuleInit(): void {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
    const jobs = this.jobs;
    const redis = this.redis;
    new Gauge({
      name: 'queue_jobs',
      help: 'BullMQ jobs per queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        if (!redis.isUp()) return;
        // Each read is bounded (JobsService.counts): a Redis cut mid-read would otherwise hold the scrape, and the AIOps
        // collection that reads this registry, until ioredis gives up on the command (over a minute). No answer: no values.
        const counts = await Promise.all(QUEUE_NAMES.map((name) => jobs.counts(name, ...QUEUE_STATES))).catch(() => []);
        counts.forEach((queueCounts, i) => {
          for (const state of QUEUE_STATES) this.set({ queue: QUEUE_NAMES[i], state }, queueCounts[state] ?? 0);
        });
      },
    });
    this.registerPoolMetrics();
  }

  /** The PostgreSQL pool's saturation (embedded PGlite has no pool): a query waiting for a connection is its first sign. */
  private registerPoolMetrics(): void {
    const pool = databasePool(this.db);
    if (!pool) return;
    new Gauge({
      name: 'db_pool_connections',
      help: 'PostgreSQL pool connections by state (in_use, idle), and queries waiting for one (waiting)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const { inUse, idle, waiting } = pool.state();
        this.set({ state: 'in_use' }, inUse);
        this.set({ state: 'idle' }, idle);
        this.set({ state: 'waiting' }, waiting);
      },
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }
}
