import { join } from 'node:path';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { LogIndexSetup } from './log-index-setup';
import { LogAggregator, stderrDiagnostics } from './shipper/log-aggregator';
import { ShipperOptions } from './shipper/shipper-options';

/** Shipper settings from the validated environment. */
export function shipperOptionsFromConfig(config: AppConfig): ShipperOptions & { node: string } {
  return {
    node: config.ELASTICSEARCH_URL ?? '',
    username: config.ELASTICSEARCH_USERNAME,
    password: config.ELASTICSEARCH_PASSWORD,
    indexPrefix: config.LOG_INDEX_PREFIX,
    // one spool per process role, so an API and a worker process sharing DATA_DIR never contend for one directory
    spoolDir: join(config.logSpoolDir, config.ROLE),
    batchMaxDocs: config.LOG_BATCH_SIZE,
    batchMaxBytes: config.LOG_BATCH_BYTES,
    batchIntervalMs: config.LOG_FLUSH_INTERVAL_MS,
    spoolMaxBytes: config.LOG_SPOOL_MAX_BYTES,
    spoolSegmentBytes: Math.min(16 * 1024 * 1024, Math.floor(config.LOG_SPOOL_MAX_BYTES / 8)),
    maxInFlight: 2,
    requestTimeoutMs: config.LOG_BULK_TIMEOUT_MS,
    retryBaseMs: 200,
    retryMaxMs: 30_000,
  };
}

/**
 * Owns the process's LogAggregator when ENABLE_LOG_AGGREGATION is on. The core logger adds `destination`
 * as a second pino stream beside stdout, so every line the app logs is also shipped: spooled at once, sent once
 * LogIndexSetup has installed the index template and ILM policy.
 */
@Injectable()
export class LogShipper implements OnApplicationShutdown {
  readonly aggregator: LogAggregator | null = null;
  /** Why shipping is off although it was enabled (spool directory unusable); reported by the health check. */
  readonly startupError: string | null = null;

  constructor(
    private readonly config: AppConfig,
    indexSetup: LogIndexSetup,
  ) {
    if (!config.ENABLE_LOG_AGGREGATION || !config.ELASTICSEARCH_URL) return;
    try {
      this.aggregator = new LogAggregator(shipperOptionsFromConfig(config), { ready: indexSetup.settled });
    } catch (err) {
      // A broken spool must not stop the application: it keeps logging to stdout, and health says why shipping is off.
      this.startupError = `log shipping is disabled: ${(err as Error).message}`;
      stderrDiagnostics('error', this.startupError, { spool: { dir: shipperOptionsFromConfig(config).spoolDir } });
    }
  }

  /** The pino destination, or undefined when shipping is off. */
  get destination(): LogAggregator | undefined {
    return this.aggregator ?? undefined;
  }

  /** Runs after the HTTP server closed, so every request's line is already spooled; what cannot ship in time ships at the next start. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.aggregator) return;
    await this.aggregator.close(Math.min(this.config.SHUTDOWN_GRACE_MS, 5000));
    this.aggregator.release();
  }
}
