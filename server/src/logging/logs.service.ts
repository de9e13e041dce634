import { Injectable, Logger, MessageEvent, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Observable } from 'rxjs';
import { AppConfig } from '../core/config/app-config';
import { ServiceUnavailableProblem } from '../core/errors/problem';
import { HealthRegistry } from '../core/health/health.registry';
import { MetricsService } from '../core/metrics/metrics.service';
import { LogSearchQueryDto, LogSearchResponseDto, LogsSettingsDto, LogStatsQueryDto, LogStatsResponseDto, LogTailQueryDto } from './dto/log-query.dto';
import { ElasticsearchClient, LogStoreUnavailableError } from './elasticsearch.client';
import { kibanaDiscoverUrl } from './engine/kibana-link';
import { LogEntry, LogFilter, resolveRange } from './engine/log-query';
import { LogShipper } from './log-shipper';
import { registerShipperMetrics } from './log-shipper.metrics';

const SETUP_RETRY_MS = 30_000;
const TAIL_POLL_MS = 2000;

function toFilter(query: LogTailQueryDto & { from?: string; to?: string }): LogFilter {
  return { from: query.from, to: query.to, levels: query.level, q: query.q, requestId: query.requestId, route: query.route, userId: query.userId };
}

/** The log explorer's use cases, plus wiring the shipper into metrics and health. */
@Injectable()
export class LogsService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LogsService.name);
  private setupTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly store: ElasticsearchClient,
    private readonly shipper: LogShipper,
    private readonly metrics: MetricsService,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    const aggregator = this.shipper.aggregator;
    const startupError = this.shipper.startupError;
    if (startupError) this.health.register('log-shipping', async () => ({ up: false, details: { message: startupError } }));
    if (!aggregator) return;
    registerShipperMetrics(this.metrics.registry, aggregator);
    // Up unless the spool is full and lines are being dropped: an Elasticsearch outage alone is absorbed by the spool
    // and must not take replicas out of service.
    this.health.register('log-shipping', async () => {
      const stats = aggregator.stats();
      const full = stats.spooledBytes >= aggregator.options.spoolMaxBytes * 0.98;
      return {
        up: !full,
        details: {
          elasticsearch: stats.elasticsearchReachable ? 'reachable' : 'unreachable',
          replaying: stats.replaying,
          pendingBytes: stats.pendingBytes,
          spooledBytes: stats.spooledBytes,
          dropped: stats.dropped,
          ...(stats.lastError ? { lastError: stats.lastError } : {}),
        },
      };
    });
  }

  /** Installs the index template and ILM policy in the background; retried until Elasticsearch answers. */
  onApplicationBootstrap(): void {
    if (!this.store.isConfigured) return;
    const attempt = () => {
      this.setupTimer = null;
      this.store.ensureIndexSetup().then(
        (result) => this.logger.log({ elasticsearch: result }, 'log index template and ILM policy are in place'),
        (err: unknown) => {
          this.logger.warn({ err }, `log index setup failed; retrying in ${SETUP_RETRY_MS / 1000}s`);
          this.setupTimer = setTimeout(attempt, SETUP_RETRY_MS);
          this.setupTimer.unref();
        },
      );
    };
    attempt();
  }

  onModuleDestroy(): void {
    if (this.setupTimer) clearTimeout(this.setupTimer);
  }

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
  async tail(query: LogTailQueryDto): Promise<Observable<MessageEvent>> {
    if (!this.store.isConfigured) throw this.unavailable(new LogStoreUnavailableError('Log search is not configured: set ELASTICSEARCH_URL.'));
    const filter = toFilter(query);
    return new Observable<MessageEvent>((subscriber) => {
      let after = new Date().toISOString();
      let seenAtBoundary = new Set<string>();
      let timer: NodeJS.Timeout | undefined;
      let closed = false;
      const poll = () => {
        this.store.tail(filter, after).then(
          (entries: LogEntry[]) => {
            for (const entry of entries) {
              if (seenAtBoundary.has(entry.id)) continue;
              subscriber.next({ type: 'log', id: entry.id, data: entry });
            }
            if (entries.length > 0) {
              const last = entries[entries.length - 1].timestamp;
              const atLast = entries.filter((e) => e.timestamp === last).map((e) => e.id);
              seenAtBoundary = last === after ? new Set([...seenAtBoundary, ...atLast]) : new Set(atLast);
              after = last;
            }
            if (!closed) timer = setTimeout(poll, TAIL_POLL_MS);
          },
          (err: unknown) => {
            subscriber.next({ type: 'unavailable', data: { detail: err instanceof Error ? err.message : 'unavailable' } });
            if (!closed) timer = setTimeout(poll, TAIL_POLL_MS * 5);
          },
        );
      };
      poll();
      return () => {
        closed = true;
        clearTimeout(timer);
      };
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
