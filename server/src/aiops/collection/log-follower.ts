import { LogPatternMonitor, type LogPatternEvent } from '../engine';

/** One log record reduced to what template mining needs. */
export interface FollowedLine {
  at: number;
  level: string;
  logger: string;
  message: string;
}

/** Which component a log line speaks for, by its logger name. */
export function componentOfLogger(logger: string): string {
  const name = logger.toLowerCase();
  if (name.includes('redis')) return 'redis';
  if (name.includes('database') || name.includes('postgres') || name.includes('kysely')) return 'postgres';
  if (name.includes('shipper') || name.includes('elastic')) return 'elasticsearch';
  if (name.includes('job') || name.includes('worker') || name.includes('processor')) return 'worker';
  return 'api';
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** An ECS JSON line → a followed line; undefined for anything else. */
export function parseEcsLine(line: string): FollowedLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const record = JSON.parse(line) as Record<string, unknown>;
    const message = typeof record.message === 'string' ? record.message : typeof record.msg === 'string' ? record.msg : undefined;
    if (!message?.trim()) return undefined;
    const log = typeof record.log === 'object' && record.log !== null ? (record.log as { level?: unknown; logger?: unknown }) : {};
    const at = Date.parse(text(record['@timestamp']));
    const level = text(record['log.level'] ?? log.level) || 'info';
    const logger = text(record['log.logger'] ?? record.context ?? log.logger);
    return { at: Number.isFinite(at) ? at : Date.now(), level, logger, message };
  } catch {
    return undefined;
  }
}

export interface PatternCount {
  id: string;
  template: string;
  component: string;
  level: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  bucket: number;
}

/**
 * Follows a log stream into the online template miner: per-template counts per minute, and the monitor's events
 * (a new template, a burst, a template that went silent). Lines are buffered between collections, at most
 * `maxBuffered` (the rest are counted as dropped: a log storm must not grow memory without bound).
 */
export class LogFollower {
  readonly monitor = new LogPatternMonitor();
  private buffer: FollowedLine[] = [];
  private readonly meta = new Map<string, { component: string; level: string }>();
  dropped = 0;

  constructor(private readonly maxBuffered = 50_000) {}

  /** Accepts one raw line (ECS JSON); cheap when it is not one. */
  push(raw: string): void {
    for (const line of raw.split('\n')) {
      if (!line) continue;
      if (this.buffer.length >= this.maxBuffered) {
        this.dropped++;
        continue;
      }
      const parsed = parseEcsLine(line);
      if (parsed) this.buffer.push(parsed);
    }
  }

  pushLine(line: FollowedLine): void {
    if (this.buffer.length >= this.maxBuffered) this.dropped++;
    else this.buffer.push(line);
  }

  /**
   * Mines what arrived since the last call; returns the per-template counts (by minute) and the monitor's events. A
   * template absorbed by a more general one during the batch counts under the general one.
   */
  drain(now: number): { counts: PatternCount[]; events: (LogPatternEvent & { component: string; level: string })[] } {
    const lines = this.buffer;
    this.buffer = [];
    const observed: { id: string; line: FollowedLine }[] = [];
    for (const line of lines) {
      const { templateId } = this.monitor.observe(line.at, line.message);
      if (!this.meta.has(templateId)) this.meta.set(templateId, { component: componentOfLogger(line.logger), level: line.level });
      observed.push({ id: templateId, line });
    }
    const counts = new Map<string, PatternCount>();
    for (const { id: observedId, line } of observed) {
      const { id, template } = this.monitor.current(observedId);
      const bucket = Math.floor(line.at / 60_000) * 60_000;
      const key = `${id}|${bucket}`;
      const entry = counts.get(key);
      if (entry) {
        entry.count++;
        entry.firstSeen = Math.min(entry.firstSeen, line.at);
        entry.lastSeen = Math.max(entry.lastSeen, line.at);
      } else {
        const meta = this.meta.get(id) ?? this.meta.get(observedId)!;
        counts.set(key, { id, template, component: meta.component, level: meta.level, count: 1, firstSeen: line.at, lastSeen: line.at, bucket });
      }
    }
    const events = this.monitor.advance(now).map((event) => ({ ...event, ...(this.meta.get(event.templateId) ?? { component: 'api', level: 'info' }) }));
    return { counts: [...counts.values()], events };
  }
}
