import { Client } from '@elastic/elasticsearch';
import { setMaxListeners } from 'node:events';
import { BulkEndpointTransport, BulkRequestError, BulkSender } from './bulk-sender';
import { DocumentIdSequence, splitLines, toBulkRecord } from './log-record';
import { LogSpool, SpoolPosition } from './log-spool';
import { backoffDelayMs, SHIPPER_DEFAULTS, ShipperOptions } from './shipper-options';

export interface ShipperStats {
  /** Lines handed to the shipper. */
  received: number;
  /** Documents Elasticsearch confirmed (201, or 409 = stored by an earlier attempt). */
  shipped: number;
  /** Of `shipped`, how many were confirmed by a 409 on replay. */
  alreadyStored: number;
  /** Document sends that failed and were scheduled again. */
  retried: number;
  /** Documents refused as malformed (400), written to the dead-letter file. */
  deadLettered: number;
  /** Lines lost because the spool cap was hit or the disk refused the write. */
  dropped: number;
  /** True from the first lost line until a line is spooled again (one episode of loss). */
  dropping: boolean;
  bulkRequests: number;
  bulkFailures: number;
  /** Lines written after `release()` (end of shutdown); they went to stdout only. */
  afterRelease: number;
  /** Bytes of spool files on disk. */
  spooledBytes: number;
  /** Bytes handed over but not yet acknowledged by Elasticsearch. */
  pendingBytes: number;
  /** True while a backlog (an outage, or a previous process's spool) is being sent as fast as possible. */
  replaying: boolean;
  /** True until the destination is ready for the first bulk (`ready`); lines are only spooled until then. */
  awaitingReady: boolean;
  elasticsearchReachable: boolean;
  lastError: string | null;
  lastShippedAt: string | null;
}

/** Where the shipper reports its own trouble: never back into the log stream it ships (that could loop). */
export type ShipperDiagnostics = (level: 'warn' | 'error' | 'info', message: string, fields?: Record<string, unknown>) => void;

interface Batch {
  count: number;
  /** the records joined: sent as is on the first attempt */
  body: string | Buffer;
  records: () => string[];
  end: SpoolPosition;
}

interface InFlightBatch {
  end: SpoolPosition;
  done: boolean;
  /** false when the shipper stopped before every record was settled */
  delivered: boolean;
  promise: Promise<void>;
}

/** ECS line on stderr: stdout collectors still see it, and it never re-enters this shipper. */
export const stderrDiagnostics: ShipperDiagnostics = (level, message, fields) => {
  process.stderr.write(`${JSON.stringify({ '@timestamp': new Date().toISOString(), 'log.level': level, 'log.logger': 'log-shipper', message, ...fields })}\n`);
};

function before(a: SpoolPosition, b: SpoolPosition): boolean {
  return a.segment < b.segment || (a.segment === b.segment && a.offset < b.offset);
}

/**
 * A pino destination (`write(line)`) that ships every line to Elasticsearch with the bulk API and loses none:
 * each line gets a deterministic `_id`, is appended to the write-ahead spool before `write` returns, and is sent
 * with `create`, so replays after timeouts, crashes or restarts are answered 409 instead of duplicating.
 * The spool is the only queue: `write` keeps nothing in memory (no long-lived strings for the GC to promote);
 * the sender reads batches back, mostly from the page cache, and sends the raw bytes as the bulk body.
 * Up to `maxInFlight` bulk requests are in flight; the spool checkpoint only advances over a contiguous run of
 * fully delivered batches, so a crash replays (and gets 409s for) at most those batches.
 * `write` never throws and never waits on the network.
 */
export class LogAggregator {
  readonly options: ShipperOptions;
  private readonly spool: LogSpool;
  private readonly sender: BulkSender;
  private readonly ids = new DocumentIdSequence();
  private readonly diagnostics: ShipperDiagnostics;
  private readonly ownClient: Client | null;

  /** Lines written since the sender last caught up with the spool, and when the first of them came. */
  private unsentCount = 0;
  private unsentBytes = 0;
  private firstUnsentAt = 0;
  private replaying = false;
  /** the next record to send */
  private spoolCursor: SpoolPosition;
  private acked: SpoolPosition;

  private wake: (() => void) | null = null;
  private flushRequested = 0;
  private stopping = false;
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private readonly waiters: Array<{ target: SpoolPosition; resolve: () => void }> = [];
  private released = false;
  /** Lines lost since the spool last took one; 0 when not dropping. */
  private droppedInEpisode = 0;
  private awaitingReady = false;

  private readonly counters = {
    received: 0,
    shipped: 0,
    alreadyStored: 0,
    retried: 0,
    deadLettered: 0,
    dropped: 0,
    bulkRequests: 0,
    bulkFailures: 0,
    afterRelease: 0,
  };
  private reachable = true;
  private lastError: string | null = null;
  private lastShippedAt: number | null = null;

  /**
   * `deps.ready` holds the first bulk request until it resolves (the app passes "index template and ILM policy
   * installed", so no daily index is created with dynamic mappings); it retries on its own and never rejects.
   */
  constructor(
    options: Partial<ShipperOptions> & Pick<ShipperOptions, 'node' | 'spoolDir'>,
    deps: { client?: Client; diagnostics?: ShipperDiagnostics; ready?: Promise<unknown> } = {},
  ) {
    this.options = { ...SHIPPER_DEFAULTS, ...options };
    this.diagnostics = deps.diagnostics ?? stderrDiagnostics;
    const o = this.options;
    // the spool first: if it cannot be opened, nothing else has been started
    this.spool = new LogSpool(o.spoolDir, o.spoolSegmentBytes, o.spoolMaxBytes);
    const start = this.spool.open();
    this.ownClient = deps.client
      ? null
      : new Client({
          node: o.node,
          auth: o.username ? { username: o.username, password: o.password ?? '' } : undefined,
          maxRetries: 0,
          requestTimeout: o.requestTimeoutMs,
          Transport: BulkEndpointTransport,
        });
    this.sender = new BulkSender((deps.client ?? this.ownClient) as Client, o.requestTimeoutMs);
    this.acked = start;
    this.spoolCursor = start;
    if (this.spool.bytesAfter(start) > 0) {
      this.replaying = true;
      this.diagnostics('info', 'log shipper found unshipped logs in the spool; replaying them first', {
        spool: { dir: o.spoolDir, pending_bytes: this.spool.bytesAfter(start) },
      });
    }
    setMaxListeners(0, this.abort.signal); // every in-flight request and backoff pause listens for shutdown
    this.loop = this.run(deps.ready);
  }

  /** The pino destination entry point. Synchronous, never throws. */
  write(chunk: string | Buffer): boolean {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    for (const line of splitLines(text)) this.accept(line);
    return true;
  }

  /** Resolves once everything handed over so far is acknowledged; false if `timeoutMs` passed first. */
  flush(timeoutMs = 30_000): Promise<boolean> {
    const target = this.spool.end();
    if (!this.pendingBefore(target)) return Promise.resolve(true);
    this.flushRequested += 1;
    this.wake?.();
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        this.flushRequested -= 1;
        resolve(false);
      }, timeoutMs);
      const waiter = {
        target,
        resolve: () => {
          clearTimeout(timer);
          this.flushRequested -= 1;
          resolve(true);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * Graceful shutdown: ships what it can within `timeoutMs`, then stops the sender. Whatever is not acknowledged
   * stays in the spool and is shipped by the next process. Lines written after close are still spooled.
   */
  async close(timeoutMs = 10_000): Promise<boolean> {
    const done = await this.flush(timeoutMs);
    this.stopping = true;
    this.abort.abort();
    this.wake?.();
    await this.loop;
    await this.ownClient?.close().catch(() => undefined);
    return done;
  }

  /** Releases the spool files and lock (tests and child processes; the app leaves them to process exit). */
  release(): void {
    this.released = true;
    this.spool.close();
  }

  stats(): ShipperStats {
    return {
      ...this.counters,
      dropping: this.droppedInEpisode > 0,
      awaitingReady: this.awaitingReady,
      spooledBytes: this.spool.bytes,
      pendingBytes: this.spool.bytesAfter(this.acked),
      replaying: this.replaying,
      elasticsearchReachable: this.reachable,
      lastError: this.lastError,
      lastShippedAt: this.lastShippedAt ? new Date(this.lastShippedAt).toISOString() : null,
    };
  }

  get spoolDir(): string {
    return this.spool.dir;
  }

  get deadLetterPath(): string {
    return this.spool.deadLetterPath;
  }

  private accept(line: string): void {
    if (this.released) {
      this.counters.afterRelease += 1; // the last lines of a shutdown: stdout only
      return;
    }
    this.counters.received += 1;
    let bytes = 0;
    let end: SpoolPosition | null;
    try {
      const record = toBulkRecord(line, this.ids.next(), this.options.indexPrefix);
      bytes = Buffer.byteLength(record);
      end = this.spool.append(record, bytes);
    } catch {
      end = null;
    }
    if (!end) {
      this.recordDrop();
      return;
    }
    if (this.droppedInEpisode > 0) this.endDropEpisode();
    // The spool is the queue: nothing is kept in memory, the sender reads batches back (from the page cache).
    this.unsentCount += 1;
    this.unsentBytes += bytes;
    if (this.unsentCount === 1) {
      this.firstUnsentAt = Date.now();
      this.wake?.();
    } else if (
      this.unsentCount === this.options.batchMaxDocs ||
      (this.unsentBytes >= this.options.batchMaxBytes && this.unsentBytes - bytes < this.options.batchMaxBytes)
    ) {
      this.wake?.();
    }
  }

  /** Counts a lost line; the first of an episode is reported, the rest only counted (stderr stays readable). */
  private recordDrop(): void {
    this.counters.dropped += 1;
    this.droppedInEpisode += 1;
    if (this.droppedInEpisode > 1) return;
    this.diagnostics('error', 'LOG SHIPPER IS DROPPING LOGS: the spool is full or unwritable (Elasticsearch unreachable for too long, or the disk full?)', {
      spool: { dir: this.options.spoolDir, bytes: this.spool.bytes, max_bytes: this.options.spoolMaxBytes, refused_because: this.spool.lastRefusal },
      shipper: { dropped_total: this.counters.dropped },
    });
  }

  private endDropEpisode(): void {
    this.diagnostics('warn', 'log shipper spools again; lines were lost while it could not', {
      spool: { dir: this.options.spoolDir, bytes: this.spool.bytes },
      shipper: { dropped_in_episode: this.droppedInEpisode, dropped_total: this.counters.dropped },
    });
    this.droppedInEpisode = 0;
  }

  private async run(ready: Promise<unknown> | undefined): Promise<void> {
    if (ready) await this.untilReady(ready);
    const inFlight: InFlightBatch[] = [];
    const busy = () => inFlight.filter((b) => !b.done).length;
    while (!this.stopping) {
      if (busy() >= this.options.maxInFlight) {
        await Promise.race(inFlight.filter((b) => !b.done).map((b) => b.promise));
        continue;
      }
      let batch: Batch | null;
      try {
        batch = await this.nextBatch();
      } catch (err) {
        this.diagnostics('error', 'log shipper could not read its spool', { error: { message: (err as Error).message } });
        await this.sleep(this.options.retryMaxMs);
        continue;
      }
      if (!batch) {
        if (!this.stopping && this.spool.bytesAfter(this.spoolCursor) > 0) await this.sleep(50); // not readable yet: do not spin
        continue;
      }
      const entry: InFlightBatch = { end: batch.end, done: false, delivered: false, promise: Promise.resolve() };
      entry.promise = this.deliver(batch).then((delivered) => {
        entry.done = true;
        entry.delivered = delivered;
        this.advance(inFlight);
      });
      inFlight.push(entry);
    }
    await Promise.all(inFlight.map((b) => b.promise));
  }

  /** Holds the first bulk until the destination is prepared; lines only spool meanwhile (lossless, like an outage). */
  private async untilReady(ready: Promise<unknown>): Promise<void> {
    this.awaitingReady = true;
    const stopped = new Promise<void>((resolve) => this.abort.signal.addEventListener('abort', () => resolve(), { once: true }));
    // a `ready` that rejected will never be ready: keep the lines spooled until shutdown
    await Promise.race([ready.catch(() => stopped), stopped]);
    this.awaitingReady = false;
  }

  /** Acknowledges the leading run of delivered batches (the checkpoint only moves over a contiguous prefix). */
  private advance(inFlight: InFlightBatch[]): void {
    let last: SpoolPosition | null = null;
    while (inFlight.length > 0 && inFlight[0].done && inFlight[0].delivered) last = inFlight.shift()!.end;
    if (!last) return;
    this.acked = last;
    try {
      this.spool.ack(last);
    } catch (err) {
      this.diagnostics('warn', 'log shipper could not write its spool checkpoint', { error: { message: (err as Error).message } });
    }
    this.resolveWaiters();
  }

  private async nextBatch(): Promise<Batch | null> {
    const o = this.options;
    await this.waitForBatch();
    if (this.stopping) return null;
    const read = await this.spool.read(this.spoolCursor, o.batchMaxBytes, o.batchMaxDocs);
    if (read.skippedBytes > 0) {
      this.diagnostics('warn', 'log shipper skipped a torn record at the end of a spool segment (write interrupted by a crash)', {
        spool: { skipped_bytes: read.skippedBytes },
      });
    }
    this.spoolCursor = read.next;
    this.unsentCount = Math.max(0, this.unsentCount - read.count);
    this.unsentBytes = Math.max(0, this.unsentBytes - read.body.length);
    if (!before(this.spoolCursor, this.spool.end())) {
      // caught up with the writer
      this.unsentCount = 0;
      this.unsentBytes = 0;
      this.replaying = false;
    } else {
      this.firstUnsentAt = Date.now();
      if (this.spool.bytesAfter(this.spoolCursor) >= o.batchMaxBytes) this.replaying = true;
    }
    if (read.count === 0) return null;
    return { count: read.count, body: read.body, records: read.records, end: read.next };
  }

  /** Waits until a batch is due: full (documents or bytes), its first line is `batchIntervalMs` old, a flush, or a backlog. */
  private async waitForBatch(): Promise<void> {
    const o = this.options;
    for (;;) {
      if (this.stopping) return;
      const pending = this.spool.bytesAfter(this.spoolCursor);
      if (pending > 0) {
        if (this.replaying || pending >= o.batchMaxBytes || this.unsentCount >= o.batchMaxDocs || this.flushRequested > 0) return;
        const due = this.unsentCount === 0 ? 0 : this.firstUnsentAt + o.batchIntervalMs - Date.now();
        if (due <= 0) return;
        await this.waitForWake(due);
      } else {
        await this.waitForWake(undefined);
      }
    }
  }

  private waitForWake(timeoutMs: number | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer) clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      if (timeoutMs !== undefined) timer = setTimeout(done, timeoutMs);
      this.wake = done;
    });
  }

  /** Delivers every record of a batch (retrying failures) unless the shipper stops first; returns false when stopped. */
  private async deliver(batch: Pick<Batch, 'count' | 'body' | 'records'>): Promise<boolean> {
    let body = batch.body;
    let count = batch.count;
    /** null while the whole batch is pending (records are decoded only when a retry needs single ones) */
    let pending: string[] | null = null;
    const recordsOf = () => pending ?? batch.records();
    let attempt = 0;
    while (count > 0) {
      if (this.stopping) return false;
      let failed: string[] = [];
      try {
        this.counters.bulkRequests += 1;
        const results = await this.sender.send(body, count, this.abort.signal);
        let stored = 0;
        let failedIdx: number[] | null = null;
        let rejected: Array<[number, unknown]> | null = null;
        results.forEach((result, i) => {
          if (result.outcome === 'stored') stored += 1;
          else if (result.outcome === 'already-stored') {
            stored += 1;
            this.counters.alreadyStored += 1;
          } else if (result.outcome === 'reject') (rejected ??= []).push([i, result.error]);
          else (failedIdx ??= []).push(i);
        });
        this.counters.shipped += stored;
        this.lastShippedAt = Date.now();
        this.reachable = true;
        if (rejected || failedIdx) {
          const records = recordsOf();
          for (const [i, error] of (rejected ?? []) as Array<[number, unknown]>) this.deadLetter(records[i], error);
          failed = ((failedIdx ?? []) as number[]).map((i) => records[i]);
          if (failed.length > 0) {
            this.lastError = `${failed.length} of ${count} bulk items failed (e.g. HTTP ${results.find((r) => r.outcome === 'retry')?.status})`;
          }
        }
      } catch (err) {
        this.counters.bulkFailures += 1;
        this.lastError = (err as Error).message;
        if (this.stopping) return false;
        if (err instanceof BulkRequestError && err.splittable) {
          // Elasticsearch refused the request as a whole (malformed or too large): bisect down to the culprit
          const records = recordsOf();
          if (records.length === 1) {
            this.deadLetter(records[0], { status: err.status, reason: err.message });
            return true;
          }
          const mid = Math.ceil(records.length / 2);
          const half = (part: string[]) => ({ count: part.length, body: part.join(''), records: () => part });
          return (await this.deliver(half(records.slice(0, mid)))) && this.deliver(half(records.slice(mid)));
        }
        this.reachable = false;
        // the whole request failed (down, timeout, 429/5xx): resend the same body after a pause
        this.counters.retried += count;
        attempt += 1;
        await this.sleep(backoffDelayMs(attempt, this.options.retryBaseMs, this.options.retryMaxMs));
        continue;
      }
      if (failed.length > 0) {
        this.counters.retried += failed.length;
        attempt += 1;
        await this.sleep(backoffDelayMs(attempt, this.options.retryBaseMs, this.options.retryMaxMs));
        pending = failed;
        body = failed.join('');
      }
      count = failed.length;
    }
    return true;
  }

  private deadLetter(record: string, reason: unknown): void {
    this.counters.deadLettered += 1;
    try {
      this.spool.deadLetter(record, reason);
    } catch (err) {
      this.diagnostics('error', 'log shipper could not write the dead-letter file', { error: { message: (err as Error).message } });
    }
    this.diagnostics('warn', 'Elasticsearch refused a log document as malformed; it went to the dead-letter file', {
      spool: { dead_letter: this.spool.deadLetterPath },
      error: { message: typeof reason === 'string' ? reason : JSON.stringify(reason ?? null) },
    });
  }

  /** Whether bytes written before `target` are still unacknowledged. */
  private pendingBefore(target: SpoolPosition): boolean {
    return before(this.acked, target) && this.spool.bytesAfter(this.acked) > this.spool.bytesAfter(target);
  }

  private resolveWaiters(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (!this.pendingBefore(this.waiters[i].target)) {
        const [w] = this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(finish, ms);
      const signal = this.abort.signal;
      function finish(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        resolve();
      }
      signal.addEventListener('abort', finish);
    });
  }
}
