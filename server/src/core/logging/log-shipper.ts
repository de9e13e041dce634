import { join } from 'node:path';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { LogIndexSetup } from './log-index-setup';
import { LogAggregator, stderrDiagnostics } from './shipper/log-aggregator';
import { splitLines } from './shipper/log-record';
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

/** Reopening a spool that could not be opened at start: after 1 s, doubling up to once a minute. */
const SPOOL_REOPEN_FIRST_MS = 1000;
const SPOOL_REOPEN_MAX_MS = 60_000;

/**
 * Owns the process's LogAggregator when ENABLE_LOG_AGGREGATION is on. The core logger adds `destination`
 * as a second pino stream beside stdout, so every line the app logs is also shipped: spooled at once, sent once
 * LogIndexSetup has installed the index template and ILM policy. A spool that cannot be opened at start (a full
 * disk, a directory still locked by a process shutting down) does not stop the application: it keeps logging to
 * stdout, health says why shipping is off, and the spool is opened again until it works; the lines logged
 * meanwhile are on stdout only.
 */
@Injectable()
export class LogShipper implements OnApplicationShutdown {
  /** ENABLE_LOG_AGGREGATION with an ELASTICSEARCH_URL: lines are meant to be shipped (whether or not the spool is open yet). */
  readonly enabled: boolean;
  private opened: LogAggregator | null = null;
  private openError: string | null = null;
  private linesNotShipped = 0;
  private reopenTimer: NodeJS.Timeout | null = null;
  private readonly destinationStream = {
    write: (chunk: string | Buffer): boolean => {
      if (this.opened) return this.opened.write(chunk);
      this.linesNotShipped += splitLines(typeof chunk === 'string' ? chunk : chunk.toString('utf8')).length;
      return true;
    },
  };

  constructor(
    private readonly config: AppConfig,
    private readonly indexSetup: LogIndexSetup,
  ) {
    this.enabled = config.ENABLE_LOG_AGGREGATION && Boolean(config.ELASTICSEARCH_URL);
    if (this.enabled) this.open(SPOOL_REOPEN_FIRST_MS);
  }

  get aggregator(): LogAggregator | null {
    return this.opened;
  }

  /** Why shipping is off although it is enabled (the spool could not be opened yet); reported by the health check. */
  get spoolError(): string | null {
    return this.openError;
  }

  /** Lines logged while the spool could not be opened: they went to stdout only. */
  get notShipped(): number {
    return this.linesNotShipped;
  }

  /** The pino destination, or undefined when shipping is off. */
  get destination(): { write(chunk: string | Buffer): boolean } | undefined {
    return this.enabled ? this.destinationStream : undefined;
  }

  /** Runs after the HTTP server closed, so every request's line is already spooled; what cannot ship in time ships at the next start. */
  async onApplicationShutdown(): Promise<void> {
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reopenTimer = null;
    if (!this.opened) return;
    await this.opened.close(Math.min(this.config.SHUTDOWN_GRACE_MS, 5000));
    this.opened.release();
  }

  private open(nextDelayMs: number): void {
    const options = shipperOptionsFromConfig(this.config);
    const spoolDir = options.spoolDir;
    try {
      this.opened = new LogAggregator(options, { ready: this.indexSetup.settled });
    } catch (err) {
      const message = `log shipping is off until the spool can be opened: ${(err as Error).message}`;
      // said once per reason, not at every attempt
      if (message !== this.openError) stderrDiagnostics('error', message, { spool: { dir: spoolDir, retry_in_ms: nextDelayMs } });
      this.openError = message;
      this.reopenTimer = setTimeout(() => this.open(Math.min(nextDelayMs * 2, SPOOL_REOPEN_MAX_MS)), nextDelayMs).unref();
      return;
    }
    this.reopenTimer = null;
    if (this.openError) {
      stderrDiagnostics('warn', 'log shipping started: the spool is open', { spool: { dir: spoolDir, lines_not_shipped: this.linesNotShipped } });
      this.openError = null;
    }
  }
}
