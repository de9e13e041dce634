import { Injectable } from '@nestjs/common';
import { statfsSync } from 'node:fs';
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { AppConfig } from '../core/config/app-config';
import { AiopsRepository, SeriesRow } from './aiops.repository';
import { forecast, type ForecastResult } from './engine';

/** A capacity series: which limit exhausts it, from which side. */
export interface CapacitySpec {
  metric: string;
  direction: 'rising' | 'falling';
  limit: (series: SeriesRow, context: { diskTotalBytes?: number }) => number | undefined;
  unit: string;
}

export interface SeriesForecast {
  series: SeriesRow;
  spec: CapacitySpec;
  limit?: number;
  result: ForecastResult;
}

const HISTORY_MS = 7 * 86_400_000;
const MIN_SAMPLES = 30;

/** Predictive maintenance: a trend/seasonal forecast with interval and time to exhaustion for each capacity signal. */
@Injectable()
export class ForecastsService {
  readonly capacity: CapacitySpec[];

  constructor(
    private readonly repo: AiopsRepository,
    private readonly config: AppConfig,
  ) {
    this.capacity = [
      { metric: 'disk_free_bytes', direction: 'falling', unit: 'bytes', limit: (_s, c) => (c.diskTotalBytes ? c.diskTotalBytes * 0.05 : undefined) },
      { metric: 'log_spool_bytes', direction: 'rising', unit: 'bytes', limit: () => config.LOG_SPOOL_MAX_BYTES },
      { metric: 'heap_used_bytes', direction: 'rising', unit: 'bytes', limit: () => getHeapStatistics().heap_size_limit },
      { metric: 'rss_bytes', direction: 'rising', unit: 'bytes', limit: () => totalmem() },
      { metric: 'queue_waiting', direction: 'rising', unit: 'jobs', limit: () => 1000 },
      { metric: 'db_size_bytes', direction: 'rising', unit: 'bytes', limit: () => undefined },
    ];
  }

  /** Every capacity series with enough history, forecast `horizonMs` ahead. */
  async forecasts(now: Date, horizonMs = 86_400_000): Promise<SeriesForecast[]> {
    const out: SeriesForecast[] = [];
    const context = { diskTotalBytes: diskTotal(this.config.dataDir) };
    for (const spec of this.capacity) {
      for (const series of await this.repo.listSeries(spec.metric)) {
        const samples = await this.repo.samples(series.id, new Date(now.getTime() - HISTORY_MS), now, 5000);
        if (samples.length < MIN_SAMPLES) continue;
        const limit = spec.limit(series, context);
        try {
          const result = forecast(
            samples.map((s) => ({ timestamp: s.ts.getTime(), value: s.value })),
            { horizonMs, direction: spec.direction, ...(limit !== undefined ? { limit } : {}), warnWithinMs: 86_400_000 },
          );
          out.push({ series, spec, limit, result });
        } catch {
          // a flat or too irregular history has no forecast yet
        }
      }
    }
    return out;
  }
}

function diskTotal(dir: string): number | undefined {
  try {
    const stats = statfsSync(dir);
    return stats.blocks * stats.bsize;
  } catch {
    return undefined;
  }
}
