import { Client, errors } from '@elastic/elasticsearch';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ilmPolicyBody, indexTemplateBody, policyName, templateName } from './shipper/log-index';

/** What start-up did to one definition. */
export type DefinitionChange = 'created' | 'updated' | 'unchanged';

const SETUP_RETRY_MS = 30_000;
const SETUP_TIMEOUT_MS = 10_000;

/**
 * Whether a failed setup was answered by an endpoint that will not do it: not Elasticsearch (a bare `_bulk`
 * endpoint, which the shipper still speaks to), or a 4xx other than 408/429 (no such API, a user without
 * `manage_index_templates`). Retrying cannot help; the shipper goes on without the definitions. Anything else
 * (unreachable, timeouts, 5xx) is retried, and the shipper waits, as its bulks would fail too.
 */
export function refusedForGood(err: unknown): boolean {
  if (err instanceof errors.ProductNotSupportedError) return true;
  if (!(err instanceof errors.ResponseError)) return false;
  const status = err.statusCode ?? 0;
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * Installs the ILM policy and the index template unless the installed ones carry the same content hash.
 * Safe to call at every start and from every replica. Returns what it changed.
 */
export async function installLogIndex(
  client: Client,
  prefix: string,
  retentionDays: number,
): Promise<{ policy: DefinitionChange; template: DefinitionChange }> {
  const policyBody = ilmPolicyBody(retentionDays);
  const policyId = policyName(prefix);
  const existingPolicy = await client.ilm.getLifecycle({ name: policyId }, { ignore: [404] });
  const installedPolicy = existingPolicy[policyId] as { policy?: { _meta?: { hash?: string } } } | undefined;
  let policy: DefinitionChange = 'unchanged';
  if (installedPolicy?.policy?._meta?.hash !== policyBody.policy._meta.hash) {
    await client.ilm.putLifecycle({ name: policyId, policy: policyBody.policy });
    policy = installedPolicy ? 'updated' : 'created';
  }
  const templateBody = indexTemplateBody(prefix);
  const templateId = templateName(prefix);
  const existingTemplate = await client.indices.getIndexTemplate({ name: templateId }, { ignore: [404] });
  const installed = (existingTemplate as { index_templates?: Array<{ index_template?: { _meta?: { hash?: string } } }> }).index_templates?.[0];
  let template: DefinitionChange = 'unchanged';
  if (installed?.index_template?._meta?.hash !== templateBody._meta.hash) {
    await client.indices.putIndexTemplate({ name: templateId, ...(templateBody as unknown as Record<string, unknown>) });
    template = installed ? 'updated' : 'created';
  }
  return { policy, template };
}

/**
 * Puts the index template and ILM policy of the log indices in place at start, in the background, retried every
 * 30 s until Elasticsearch answers. It runs whenever ELASTICSEARCH_URL is set, shipping on or off: lines that
 * reach the same daily indices through Filebeat and Logstash need the same mappings and retention. The shipper
 * waits for `settled` before its first bulk: a daily index created before the template keeps dynamic mappings.
 */
@Injectable()
export class LogIndexSetup implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LogIndexSetup.name);
  private client: Client | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private settle: () => void = () => undefined;
  /**
   * Resolves once the template and policy are in place, or the endpoint refused them for good (refusedForGood);
   * never rejects (other failures are retried).
   */
  readonly settled = new Promise<void>((resolve) => (this.settle = resolve));

  constructor(private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    const { ELASTICSEARCH_URL: node, ELASTICSEARCH_USERNAME: username, ELASTICSEARCH_PASSWORD: password } = this.config;
    if (!node) return;
    this.client = new Client({
      node,
      auth: username ? { username, password: password ?? '' } : undefined,
      requestTimeout: SETUP_TIMEOUT_MS,
      maxRetries: 0,
    });
    this.attempt(this.client);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.release();
  }

  private attempt(client: Client): void {
    this.retryTimer = null;
    installLogIndex(client, this.config.LOG_INDEX_PREFIX, this.config.LOG_RETENTION_DAYS)
      .then(
        async (result) => {
          this.logger.log({ elasticsearch: result }, 'log index template and ILM policy are in place');
          this.settle();
          await this.release();
        },
        async (err: unknown) => {
          // shut down meanwhile: the client was closed under the request
          if (this.client !== client) return;
          if (refusedForGood(err)) {
            this.logger.warn(
              { err },
              'the log endpoint refused the index template and ILM policy; logs are shipped without them (dynamic mappings, no retention)',
            );
            this.settle();
            await this.release();
            return;
          }
          this.logger.warn({ err }, `log index setup failed; retrying in ${SETUP_RETRY_MS / 1000}s`);
          this.retryTimer = setTimeout(() => this.attempt(client), SETUP_RETRY_MS);
          this.retryTimer.unref();
        },
      )
      .catch((err: unknown) => this.logger.error({ err }, 'log index setup could not finish'));
  }

  /** The client is needed only until the definitions are in place. */
  private async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.close();
  }
}
