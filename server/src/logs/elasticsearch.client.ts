import { Client, errors } from '@elastic/elasticsearch';
import { OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import {
  buildSearchBody,
  buildStatsBody,
  buildTailBody,
  LogEntry,
  LogFilter,
  LogPage,
  LogStats,
  readStats,
  resolveRange,
  TailRange,
  toLogEntry,
} from './engine/log-query';
import { indexPattern } from '../core/logging/shipper/log-record';

/** Elasticsearch is not configured, or did not answer. The API maps it to 503 problem+json. */
export class LogStoreUnavailableError extends Error {}

export interface LogSearchResult {
  total: number;
  page: number;
  size: number;
  hits: LogEntry[];
}

const QUERY_TIMEOUT_MS = 10_000;

/**
 * The queries behind the log explorer, over the indices the core's log shipper writes. Wraps the official client;
 * the shipper has its own client (no retries) so the two never share back-pressure.
 * LogsModule provides it through a factory; `client` is a ready-made client (unit tests pass @elastic/elasticsearch-mock).
 */
export class ElasticsearchClient implements OnApplicationShutdown {
  private readonly client: Client | null;
  private readonly prefix: string;
  private readonly ownsClient: boolean;

  constructor(config: AppConfig, client?: Client) {
    this.prefix = config.LOG_INDEX_PREFIX;
    this.ownsClient = !client;
    this.client =
      client ??
      (config.ELASTICSEARCH_URL
        ? new Client({
            node: config.ELASTICSEARCH_URL,
            auth: config.ELASTICSEARCH_USERNAME ? { username: config.ELASTICSEARCH_USERNAME, password: config.ELASTICSEARCH_PASSWORD ?? '' } : undefined,
            requestTimeout: QUERY_TIMEOUT_MS,
            maxRetries: 1,
          })
        : null);
  }

  get isConfigured(): boolean {
    return this.client !== null;
  }

  get indexPattern(): string {
    return indexPattern(this.prefix);
  }

  async search(filter: LogFilter, page: LogPage): Promise<LogSearchResult> {
    const client = this.require();
    const body = buildSearchBody(filter, page);
    const res = await this.call(() => client.search({ index: this.indexPattern, ignore_unavailable: true, allow_no_indices: true, ...(body as object) }));
    const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
    return { total, page: page.page, size: body.size, hits: res.hits.hits.map((h) => toLogEntry(h)) };
  }

  async stats(filter: LogFilter): Promise<LogStats> {
    const client = this.require();
    const { interval, body } = buildStatsBody(filter);
    const res = await this.call(() => client.search({ index: this.indexPattern, ignore_unavailable: true, allow_no_indices: true, ...(body as object) }));
    return readStats(res, { ...resolveRange(filter), interval });
  }

  /** Documents at or after `after` (ISO), oldest first (the live tail polls this). */
  /** One page (`from`, `size`) of the documents in the range, oldest first. */
  async tail(filter: LogFilter, range: TailRange, from = 0, size = 200): Promise<LogEntry[]> {
    const client = this.require();
    const res = await this.call(() =>
      client.search({ index: this.indexPattern, ignore_unavailable: true, allow_no_indices: true, ...(buildTailBody(filter, range, from, size) as object) }),
    );
    return res.hits.hits.map((h) => toLogEntry(h));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.ownsClient) await this.client?.close();
  }

  private require(): Client {
    if (!this.client) throw new LogStoreUnavailableError('Log search is not configured: set ELASTICSEARCH_URL.');
    return this.client;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      // Credentials refused or no search API at that address: the store is misconfigured, not the request wrong.
      if (err instanceof errors.ResponseError && [401, 403, 404, 405].includes(err.statusCode ?? 0)) {
        throw new LogStoreUnavailableError(`Elasticsearch refused the search (HTTP ${err.statusCode}): check ELASTICSEARCH_URL and its credentials.`);
      }
      if (err instanceof errors.ResponseError && err.statusCode !== undefined && err.statusCode < 500 && err.statusCode !== 429) throw err;
      if (err instanceof errors.ElasticsearchClientError) {
        throw new LogStoreUnavailableError(`Elasticsearch is not reachable: ${err.message}`);
      }
      throw err;
    }
  }
}
