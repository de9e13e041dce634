import { Client, errors } from '@elastic/elasticsearch';
import { Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { hashOf, ilmPolicyBody, indexTemplateBody, policyName, templateName } from './engine/log-index';
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
  toLogEntry,
} from './engine/log-query';
import { indexPattern } from './shipper/log-record';

/** Elasticsearch is not configured, or did not answer. The API maps it to 503 problem+json. */
export class LogStoreUnavailableError extends Error {}

export interface LogSearchResult {
  total: number;
  page: number;
  size: number;
  hits: LogEntry[];
}

const QUERY_TIMEOUT_MS = 10_000;
/** Injection token for a ready-made client (tests use @elastic/elasticsearch-mock). */
export const LOG_STORE_CLIENT = Symbol('LOG_STORE_CLIENT');

/**
 * The log store: index template + ILM policy installation, and the queries behind the log explorer.
 * Wraps the official client; the shipper has its own client (no retries) so the two never share back-pressure.
 */
@Injectable()
export class ElasticsearchClient implements OnModuleDestroy {
  private readonly client: Client | null;
  private readonly prefix: string;
  private readonly retentionDays: number;
  private setupDone = false;
  private readonly ownsClient: boolean;

  constructor(config: AppConfig, @Optional() @Inject(LOG_STORE_CLIENT) client?: Client) {
    this.prefix = config.LOG_INDEX_PREFIX;
    this.retentionDays = config.LOG_RETENTION_DAYS;
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

  async ping(): Promise<boolean> {
    if (!this.client) return false;
    try {
      await this.client.info();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Installs the ILM policy and the index template unless the installed ones carry the same content hash.
   * Safe to call at every start and from every replica. Returns what it changed.
   */
  async ensureIndexSetup(): Promise<{ policy: 'created' | 'updated' | 'unchanged'; template: 'created' | 'updated' | 'unchanged' }> {
    const client = this.require();
    return this.call(async () => {
      const policyBody = ilmPolicyBody(this.retentionDays);
      const policyId = policyName(this.prefix);
      const existingPolicy = await client.ilm.getLifecycle({ name: policyId }, { ignore: [404] });
      const installedPolicy = (existingPolicy as Record<string, { policy?: { _meta?: { hash?: string } } }>)[policyId];
      let policy: 'created' | 'updated' | 'unchanged' = 'unchanged';
      if (installedPolicy?.policy?._meta?.hash !== policyBody.policy._meta.hash) {
        await client.ilm.putLifecycle({ name: policyId, policy: policyBody.policy as never });
        policy = installedPolicy ? 'updated' : 'created';
      }
      const templateBody = indexTemplateBody(this.prefix);
      const templateId = templateName(this.prefix);
      const existingTemplate = await client.indices.getIndexTemplate({ name: templateId }, { ignore: [404] });
      const installed = (existingTemplate as { index_templates?: Array<{ index_template?: { _meta?: { hash?: string } } }> }).index_templates?.[0];
      let template: 'created' | 'updated' | 'unchanged' = 'unchanged';
      if (installed?.index_template?._meta?.hash !== templateBody._meta.hash) {
        await client.indices.putIndexTemplate({ name: templateId, ...(templateBody as unknown as Record<string, unknown>) });
        template = installed ? 'updated' : 'created';
      }
      this.setupDone = true;
      return { policy, template };
    });
  }

  get isSetUp(): boolean {
    return this.setupDone;
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
    return readStats(res as never, { ...resolveRange(filter), interval });
  }

  /** Documents at or after `after` (ISO), oldest first (the live tail polls this). */
  async tail(filter: LogFilter, after: string): Promise<LogEntry[]> {
    const client = this.require();
    const res = await this.call(() =>
      client.search({ index: this.indexPattern, ignore_unavailable: true, allow_no_indices: true, ...(buildTailBody(filter, after) as object) }),
    );
    return res.hits.hits.map((h) => toLogEntry(h));
  }

  async onModuleDestroy(): Promise<void> {
    if (this.ownsClient) await this.client?.close();
  }

  /** The definitions' hashes (for health details). */
  definitionHashes(): { policy: string; template: string } {
    return { policy: hashOf(ilmPolicyBody(this.retentionDays).policy), template: indexTemplateBody(this.prefix)._meta.hash };
  }

  private require(): Client {
    if (!this.client) throw new LogStoreUnavailableError('Log search is not configured: set ELASTICSEARCH_URL.');
    return this.client;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof errors.ResponseError && err.statusCode !== undefined && err.statusCode < 500 && err.statusCode !== 429) throw err;
      if (err instanceof errors.ElasticsearchClientError) {
        throw new LogStoreUnavailableError(`Elasticsearch is not reachable: ${err.message}`);
      }
      throw err;
    }
  }
}
