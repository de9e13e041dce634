import { randomBytes } from 'node:crypto';

/**
 * Turns pino output lines into bulk records: the exact two NDJSON lines
 * (`{"create":{"_index":…,"_id":…}}` + the ECS document) that are spooled and later sent.
 * Spooling the finished bulk text means a replay sends byte-identical requests with the same `_id`.
 */

/** pino's numeric levels → ECS `log.level` names. */
const PINO_LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

const TIMESTAMP_KEY = '"@timestamp":"';

/** The daily index a document belongs to: `${prefix}-logs-YYYY.MM.DD` (UTC date of @timestamp). */
export function dailyIndexName(prefix: string, isoTimestamp: string): string {
  return `${prefix}-logs-${isoTimestamp.slice(0, 4)}.${isoTimestamp.slice(5, 7)}.${isoTimestamp.slice(8, 10)}`;
}

/** Index pattern covering every daily log index of a prefix. */
export function indexPattern(prefix: string): string {
  return `${prefix}-logs-*`;
}

/**
 * Ensures a log line is an ECS JSON object with `@timestamp`. Lines from the core logger already are
 * (ecs-pino-format) and pass through untouched; plain pino lines (`time`, numeric `level`, `msg`) are mapped;
 * anything else is wrapped as a message.
 * Returns the document text (single line) and its @timestamp.
 */
export function toEcsDocument(line: string, now: () => Date = () => new Date()): { doc: string; timestamp: string } {
  const at = line.indexOf(TIMESTAMP_KEY);
  if (at >= 0 && line.charCodeAt(0) === 123 /* { */) {
    const start = at + TIMESTAMP_KEY.length;
    const timestamp = line.slice(start, line.indexOf('"', start));
    if (timestamp.length >= 10 && !Number.isNaN(Date.parse(timestamp))) return { doc: line, timestamp };
  }
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const timestamp = now().toISOString();
    return { doc: JSON.stringify({ '@timestamp': timestamp, 'log.level': 'info', message: line }), timestamp };
  }
  const obj = value as Record<string, unknown>;
  const ts = obj['@timestamp'] ?? obj.time;
  const date = typeof ts === 'string' || typeof ts === 'number' ? new Date(ts) : now();
  const timestamp = Number.isNaN(date.getTime()) ? now().toISOString() : date.toISOString();
  const { time: _time, level, msg, '@timestamp': _ts, ...rest } = obj;
  const out: Record<string, unknown> = { '@timestamp': timestamp };
  if (typeof level === 'number') out['log.level'] = PINO_LEVELS[level] ?? String(level);
  else if (typeof level === 'string') out['log.level'] = level;
  if (msg !== undefined && rest.message === undefined) out.message = msg;
  return { doc: JSON.stringify(Object.assign(out, rest)), timestamp };
}

/**
 * Issues deterministic document ids: a random boot id per shipper instance plus a sequence number.
 * The id is fixed when the line is handed to the shipper and stored with it in the spool, so every
 * retry or replay of that line carries the same `_id`.
 */
export class DocumentIdSequence {
  private readonly bootId = randomBytes(9).toString('base64url');
  private seq = 0;

  next(): string {
    this.seq += 1;
    return this.bootId + this.seq.toString(36);
  }
}

/** Builds the spooled bulk record (two NDJSON lines, trailing newline) for one log line. */
export function toBulkRecord(line: string, id: string, indexPrefix: string): string {
  const { doc, timestamp } = toEcsDocument(line);
  return `{"create":{"_index":"${dailyIndexName(indexPrefix, timestamp)}","_id":"${id}"}}\n${doc}\n`;
}

/** Splits a chunk handed to the destination into single lines (pino writes one line per call, but be safe). */
export function splitLines(chunk: string): string[] {
  const trimmed = chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk;
  if (trimmed.indexOf('\n') < 0) return trimmed.length ? [trimmed] : [];
  return trimmed.split('\n').filter((l) => l.length > 0);
}
