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
/**
 * How far back each poll of the tail also looks: replicas ship in batches (every second, with retries) and
 * Elasticsearch makes documents searchable on its refresh, so a line can become visible after newer ones were sent.
 */
const TAIL_LOOKBACK_MS = 30_000;
/** Documents one poll reads at most (pages of TAIL_PAGE_SIZE): about 1,000 lines a second at one poll every 2 s. */
const TAIL_PAGE_SIZE = 200;
const TAIL_MAX_PAGES = 10;

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

  /**
   * Live tail as SSE `log` events. Each poll reads, page by page (any number of lines in one millisecond get
   * through), first the documents from the newest one sent on, then with what is left of its budget those of the
   * TAIL_LOOKBACK_MS before it, and sends the ones not sent yet: a line indexed late is sent too, and never at the
   * cost of new ones. Ends at `endsAtMs`, when the caller's token expires: checked once at the start, the stream
   * would otherwise outlive the token, and a revoked admin's access with it.
   */
  tail(query: LogTailQueryDto, endsAtMs: number): Observable<MessageEvent> {
    if (!this.store.isConfigured) throw this.unavailable(new LogStoreUnavailableError('Log search is not configured: set ELASTICSEARCH_URL.'));
    const filter = toFilter(query);
    const cursor = new TailCursor(Date.now());
    const read = async (): Promise<LogEntry[]> => {
      const newest = new Date(cursor.newest).toISOString();
      const lookback = new Date(cursor.since(TAIL_LOOKBACK_MS)).toISOString();
      const fresh: LogEntry[] = [];
      let pages = 0;
      for (const range of [{ since: newest }, { since: lookback, before: newest }]) {
        for (let page = 0; pages < TAIL_MAX_PAGES; page += 1, pages += 1) {
          const entries = await this.store.tail(filter, range, page * TAIL_PAGE_SIZE, TAIL_PAGE_SIZE);
          fresh.push(...cursor.unsent(entries));
          if (entries.length < TAIL_PAGE_SIZE) break;
        }
      }
      cursor.forgetBefore(TAIL_LOOKBACK_MS);
      return fresh;
    };
    return pollingEventStream({
      read,
      events: (entries) => entries.map((entry) => ({ type: 'log', id: entry.id, data: entry })),
      intervalMs: TAIL_POLL_MS,
      maxBackoffMs: TAIL_MAX_BACKOFF_MS,
      endOn: AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(Math.max(0, endsAtMs - Date.now()))]),
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

/**
 * What a tail has sent: the newest timestamp, and the ids sent within the lookback window before it. It sends what
 * happens from `start` (when the stream opened) on.
 */
class TailCursor {
  private readonly sent = new Map<string, number>();
  /** The newest timestamp sent (ms), or the start. */
  newest: number;

  constructor(private readonly start: number) {
    this.newest = start;
  }

  /** Where the next read starts. */
  since(lookbackMs: number): number {
    return Math.max(this.start, this.newest - lookbackMs);
  }

  /** The entries not sent yet, now counted as sent. */
  unsent(entries: LogEntry[]): LogEntry[] {
    const fresh = entries.filter((entry) => !this.sent.has(entry.id));
    for (const entry of fresh) {
      const at = Date.parse(entry.timestamp);
      this.sent.set(entry.id, at);
      if (at > this.newest) this.newest = at;
    }
    return fresh;
  }

  /** Ids older than the window can no longer come back from a read: forgotten, so that the set stays bounded. */
  forgetBefore(lookbackMs: number): void {
    const oldest = this.since(lookbackMs);
    for (const [id, at] of this.sent) if (at < oldest) this.sent.delete(id);
  }
}
