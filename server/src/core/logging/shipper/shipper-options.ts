/**
 * Tunables of the log shipper, in one table. Defaults follow Elastic's bulk guidance
 * ("start with 5–15 MB per bulk request and a few thousand documents, then measure"),
 * scaled down for log lines of a few hundred bytes so a quiet replica still ships within a second.
 */
export interface ShipperOptions {
  /** Elasticsearch base URL, e.g. http://localhost:9200 (the bulk endpoint is `${node}/_bulk`). */
  node: string;
  username?: string;
  password?: string;
  /** Daily indices are `${indexPrefix}-logs-YYYY.MM.DD`, chosen from each document's @timestamp. */
  indexPrefix: string;
  /** Directory of the write-ahead spool (segment files, checkpoint, dead-letter file). */
  spoolDir: string;
  /** Flush a batch when it holds this many documents. */
  batchMaxDocs: number;
  /** Flush a batch when it holds this many bytes of NDJSON. */
  batchMaxBytes: number;
  /** Flush a non-empty batch at the latest this long after its first document arrived (ms). */
  batchIntervalMs: number;
  /** Hard cap of the spool on disk; a document that would exceed it is dropped (and counted, loudly). */
  spoolMaxBytes: number;
  /** Size at which the active spool segment is sealed and a new one started. */
  spoolSegmentBytes: number;
  /** Bulk requests in flight at once (Elasticsearch indexes one while the next is prepared). */
  maxInFlight: number;
  /** Timeout of one bulk request (ms); a timed-out batch is retried (409 on replay = already stored). */
  requestTimeoutMs: number;
  /** First retry delay (ms); doubles per attempt, with full jitter. */
  retryBaseMs: number;
  /** Largest retry delay (ms). */
  retryMaxMs: number;
}

export const SHIPPER_DEFAULTS: Omit<ShipperOptions, 'node' | 'spoolDir'> = {
  indexPrefix: 'xiaoyu-ai',
  batchMaxDocs: 1000,
  batchMaxBytes: 5 * 1024 * 1024,
  batchIntervalMs: 1000,
  spoolMaxBytes: 1024 * 1024 * 1024,
  spoolSegmentBytes: 16 * 1024 * 1024,
  maxInFlight: 2,
  requestTimeoutMs: 30_000,
  retryBaseMs: 200,
  retryMaxMs: 30_000,
};

/** "Full jitter" exponential backoff (AWS architecture blog): uniform in [0, min(max, base·2^attempt)]. */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.max(1, Math.round(ceiling * random()));
}
