import { Injectable, MessageEvent } from '@nestjs/common';
import { Observable } from 'rxjs';
import { AppConfig } from '../core/config/app-config';
import { ServiceUnavailableProblem } from '../core/errors/problem';
import { pollingEventStream } from '../core/http/server-sent-events';
import { LogShipper } from '../core/logging/log-shipper';
import {
  LogFilterQueryDto,
  LogSearchQueryDto,
  LogSearchResponseDto,
  LogsSettingsDto,
  LogStatsQueryDto,
  LogStatsResponseDto,
  LogTailQueryDto,
} from './dto/log-query.dto';
import { ElasticsearchClient, LogStoreUnavailableError } from './elasticsearch.client';
import { kibanaDiscoverUrl } from './engine/kibana-link';
import { LogEntry, LogFilter, resolveRange } from './engine/log-query';
import { ShutdownSignal } from '../core/http/shutdown-signal';

const TAIL_POLL_MS = 2000;
const TAIL_MAX_BACKOFF_MS = 20_000;

function toFilter(query: LogFilterQueryDto & { from?: string; to?: string }): LogFilter {
  return { from: query.from, to: query.to, levels: query.level, q: query.q, requestId: query.requestId, route: query.route, userId: query.userId };
}

/** The log explorer's use cases: search, stats, settings and the live tail over the shipped logs. */
@Injectable()
export class LogsService {
  constructor(
    private readonly config: AppConfig,
    private readonly store: ElasticsearchClient,
    private readonly shipper: LogShipper,
    private readonly shutdown: ShutdownSignal,
  ) {}

  settings(): LogsSettingsDto {
    return {
      searchConfigured: this.store.isConfigured,
      shipping: this.shipper.aggregator !== null,
      indexPattern: this.store.indexPattern,
      kibanaUrl: this.config.KIBANA_URL ?? null,
    };
  }

  async search(query: LogSearchQueryDto): Promise<LogSearchResponseDto> {
    const filter = toFilter(query);
    const result = await this.guard(() => this.store.search(filter, { page: query.page, size: query.size }));
    const kibanaUrl = this.config.KIBANA_URL ? kibanaDiscoverUrl(this.config.KIBANA_URL, filter, resolveRange(filter)) : null;
    return { ...result, kibanaUrl };
  }

  stats(query: LogStatsQueryDto): Promise<LogStatsResponseDto> {
    return this.guard(() => this.store.stats(toFilter(query)));
  }

  /** Live tail as SSE `log` events: polls Elasticsearch for documents newer than the last one sent. */
  tail(query: LogTailQueryDto): Observable<MessageEvent> {
    if (!this.store.isConfigured) throw this.unavailable(new LogStoreUnavailableError('Log search is not configured: set ELASTICSEARCH_URL.'));
    const filter = toFilter(query);
    let after = new Date().toISOString();
    // documents already sent that carry the `after` timestamp: the next read (gte `after`) returns them again
    let seenAtBoundary = new Set<string>();
    const unseen = (entries: LogEntry[]): LogEntry[] => {
      const fresh = entries.filter((entry) => !seenAtBoundary.has(entry.id));
      if (entries.length > 0) {
        const last = entries[entries.length - 1].timestamp;
        const atLast = entries.filter((e) => e.timestamp === last).map((e) => e.id);
        seenAtBoundary = last === after ? new Set([...seenAtBoundary, ...atLast]) : new Set(atLast);
        after = last;
      }
      return fresh;
    };
    return pollingEventStream({
      read: async () => unseen(await this.store.tail(filter, after)),
      events: (entries) => entries.map((entry) => ({ type: 'log', id: entry.id, data: entry })),
      intervalMs: TAIL_POLL_MS,
      maxBackoffMs: TAIL_MAX_BACKOFF_MS,
      endOn: this.shutdown.signal,
    });
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof LogStoreUnavailableError) throw this.unavailable(err);
      throw err;
    }
  }

  private unavailable(err: LogStoreUnavailableError): ServiceUnavailableProblem {
    return new ServiceUnavailableProblem(err.message, 30);
  }
}
