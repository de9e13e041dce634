import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../core/metrics/metrics.service';

/** The music module's Prometheus series: generations by provider and outcome, and how long they took. */
@Injectable()
export class MusicMetrics {
  private readonly generations: Counter<'provider' | 'outcome'>;
  private readonly duration: Histogram<'provider'>;

  constructor(metrics: MetricsService) {
    this.generations = new Counter({
      name: 'music_generations_total',
      help: 'Music generations by provider and outcome (ok, failed, cached)',
      labelNames: ['provider', 'outcome'] as const,
      registers: [metrics.registry],
    });
    this.duration = new Histogram({
      name: 'music_generation_seconds',
      help: 'Time from job start to stored files, by provider',
      labelNames: ['provider'] as const,
      buckets: [0.5, 1, 2, 4, 8, 16, 32, 64, 128],
      registers: [metrics.registry],
    });
  }

  /** A request answered with an earlier generation's files. */
  cached(provider: string): void {
    this.generations.inc({ provider, outcome: 'cached' });
  }

  /** A job that stored its piece after `seconds`. */
  completed(provider: string, seconds: number): void {
    this.generations.inc({ provider, outcome: 'ok' });
    this.duration.observe({ provider }, seconds);
  }

  /** A job that failed (`provider` is 'none' when no provider was reached). */
  failed(provider: string): void {
    this.generations.inc({ provider, outcome: 'failed' });
  }
}
