/**
 * Builds Elasticsearch query DSL for the log explorer, and reads the answers back. Pure: no client, no Nest.
 */

export interface LogFilter {
  /** ISO-8601 start (inclusive); default: `to` minus 1 hour. */
  from?: string;
  /** ISO-8601 end (inclusive); default: now. */
  to?: string;
  /** ECS levels (info, warn, error…). */
  levels?: string[];
  /** Free text (simple_query_string over message and error fields). */
  q?: string;
  requestId?: string;
  route?: string;
  userId?: string;
}

export interface LogPage {
  page: number;
  size: number;
}

export interface LogEntry {
  id: string;
  index: string;
  timestamp: string;
  level: string | null;
  message: string | null;
  requestId: string | null;
  route: string | null;
  userId: string | null;
  statusCode: number | null;
  durationMs: number | null;
  source: Record<string, unknown>;
}

/** Elasticsearch refuses from+size beyond index.max_result_window (10,000). */
export const MAX_RESULT_WINDOW = 10_000;
const DEFAULT_RANGE_MS = 60 * 60 * 1000;
const DAY_MS = 864e5;
/** Histogram intervals (fixed_interval), smallest first; the first giving ≤ 120 buckets wins. */
const INTERVALS: Array<[string, number]> = [
  ['1s', 1e3],
  ['5s', 5e3],
  ['10s', 1e4],
  ['30s', 3e4],
  ['1m', 6e4],
  ['5m', 3e5],
  ['10m', 6e5],
  ['30m', 18e5],
  ['1h', 36e5],
  ['3h', 108e5],
  ['12h', 432e5],
  ['1d', DAY_MS],
  ['7d', 7 * DAY_MS],
];
const MAX_BUCKETS = 120;

export function resolveRange(filter: LogFilter, now = new Date()): { from: string; to: string } {
  const to = filter.to ? new Date(filter.to) : now;
  const from = filter.from ? new Date(filter.from) : new Date(to.getTime() - DEFAULT_RANGE_MS);
  return { from: from.toISOString(), to: to.toISOString() };
}

export function buildFilterQuery(filter: LogFilter, now = new Date()): Record<string, unknown> {
  const { from, to } = resolveRange(filter, now);
  const must: unknown[] = [{ range: { '@timestamp': { gte: from, lte: to, format: 'strict_date_optional_time' } } }];
  if (filter.levels?.length) must.push({ terms: { 'log.level': filter.levels } });
  if (filter.requestId) {
    must.push({ bool: { should: [{ term: { 'http.request.id': filter.requestId } }, { term: { reqId: filter.requestId } }], minimum_should_match: 1 } });
  }
  if (filter.route) must.push({ term: { 'http.route': filter.route } });
  if (filter.userId) must.push({ term: { 'user.id': filter.userId } });
  if (filter.q?.trim()) must.push(freeTextQuery(filter.q.trim()));
  return { bool: { filter: must } };
}

/** The free-text part of a search (`q`): simple_query_string over the message and error fields, every word required. */
export function freeTextQuery(q: string): Record<string, unknown> {
  return {
    simple_query_string: {
      query: q,
      fields: ['message^2', 'error.message', 'error.type', 'url.path', 'http.route'],
      default_operator: 'and',
      lenient: true,
    },
  };
}

export function buildSearchBody(filter: LogFilter, page: LogPage, now = new Date()) {
  const size = Math.max(1, Math.min(page.size, 500));
  const from = Math.min(Math.max(0, (page.page - 1) * size), MAX_RESULT_WINDOW - size);
  return {
    query: buildFilterQuery(filter, now),
    sort: [{ '@timestamp': { order: 'desc' } }],
    from,
    size,
    track_total_hits: true,
  };
}

/** A span of the tail's read: from `since` (ISO) on, and before `before` when given. */
export interface TailRange {
  since: string;
  before?: string;
}

/** The tail's read: the documents in the range, oldest first so the stream stays in order, one page of them. */
export function buildTailBody(filter: LogFilter, range: TailRange, from = 0, size = 200) {
  const query = buildFilterQuery({ ...filter, from: range.since, to: undefined });
  const bool = (query as { bool: { filter: Array<Record<string, unknown>> } }).bool;
  bool.filter[0] = { range: { '@timestamp': { gte: range.since, ...(range.before ? { lt: range.before } : {}), format: 'strict_date_optional_time' } } };
  return { query, sort: [{ '@timestamp': { order: 'asc' } }], from, size };
}

/** The histogram's interval: the smallest listed one giving ≤ 120 buckets, else whole days (years of logs stay 120 buckets, under Elasticsearch's bucket limit). */
export function histogramInterval(from: string, to: string): string {
  const span = Math.max(1, Date.parse(to) - Date.parse(from));
  const listed = INTERVALS.find(([, ms]) => span / ms <= MAX_BUCKETS);
  return listed ? listed[0] : `${Math.ceil(span / MAX_BUCKETS / DAY_MS)}d`;
}

export function buildStatsBody(filter: LogFilter, now = new Date()) {
  const { from, to } = resolveRange(filter, now);
  const interval = histogramInterval(from, to);
  return {
    interval,
    body: {
      size: 0,
      query: buildFilterQuery(filter, now),
      aggs: {
        over_time: {
          date_histogram: { field: '@timestamp', fixed_interval: interval, min_doc_count: 0, extended_bounds: { min: from, max: to } },
          aggs: { levels: { terms: { field: 'log.level', size: 10 } } },
        },
        levels: { terms: { field: 'log.level', size: 10 } },
        top_errors: {
          filter: { terms: { 'log.level': ['error', 'fatal'] } },
          aggs: { messages: { terms: { field: 'message.keyword', size: 10 } } },
        },
        routes: {
          terms: { field: 'http.route', size: 20, order: { _count: 'desc' } },
          aggs: { latency: { percentiles: { field: 'event.duration', percents: [50, 95, 99] } } },
        },
      },
    },
  };
}

interface Bucket {
  key: string | number;
  key_as_string?: string;
  doc_count: number;
  [sub: string]: unknown;
}

export interface LogStats {
  interval: string;
  from: string;
  to: string;
  total: number;
  byLevel: Array<{ level: string; count: number }>;
  histogram: Array<{ timestamp: string; counts: Record<string, number> }>;
  topErrors: Array<{ message: string; count: number }>;
  latencyByRoute: Array<{ route: string; count: number; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null }>;
}

const NS_PER_MS = 1e6;
const buckets = (agg: unknown): Bucket[] => (agg as { buckets?: Bucket[] } | undefined)?.buckets ?? [];

export function readStats(
  response: { hits?: { total?: { value?: number } | number }; aggregations?: Record<string, unknown> },
  range: { from: string; to: string; interval: string },
): LogStats {
  const aggs = response.aggregations ?? {};
  const total = typeof response.hits?.total === 'number' ? response.hits.total : (response.hits?.total?.value ?? 0);
  const pct = (values: Record<string, number | null> | undefined, p: string) => {
    const v = values?.[p];
    return typeof v === 'number' ? Math.round((v / NS_PER_MS) * 100) / 100 : null;
  };
  return {
    ...range,
    total,
    byLevel: buckets(aggs.levels).map((b) => ({ level: String(b.key), count: b.doc_count })),
    histogram: buckets(aggs.over_time).map((b) => ({
      timestamp: b.key_as_string ?? new Date(Number(b.key)).toISOString(),
      counts: Object.fromEntries(buckets(b.levels).map((l) => [String(l.key), l.doc_count])),
    })),
    topErrors: buckets((aggs.top_errors as Record<string, unknown> | undefined)?.messages).map((b) => ({ message: String(b.key), count: b.doc_count })),
    latencyByRoute: buckets(aggs.routes).map((b) => {
      const values = (b.latency as { values?: Record<string, number | null> } | undefined)?.values;
      return { route: String(b.key), count: b.doc_count, p50Ms: pct(values, '50.0'), p95Ms: pct(values, '95.0'), p99Ms: pct(values, '99.0') };
    }),
  };
}

/** Reads a field given either as a dotted key (`log.level`, as ecs-pino-format writes) or as nested objects. */
export function field(source: Record<string, unknown>, dotted: string): unknown {
  if (dotted in source) return source[dotted];
  let cur: unknown = source;
  for (const part of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function toLogEntry(hit: { _id?: string; _index: string; _source?: unknown }): LogEntry {
  const s = (hit._source ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const duration = field(s, 'event.duration');
  const status = field(s, 'http.response.status_code');
  return {
    id: hit._id ?? '',
    index: hit._index,
    timestamp: str(s['@timestamp']) ?? '',
    level: str(field(s, 'log.level')),
    message: str(s.message),
    requestId: str(field(s, 'http.request.id')) ?? str(s.reqId),
    route: str(field(s, 'http.route')),
    userId: str(field(s, 'user.id')),
    statusCode: typeof status === 'number' ? status : null,
    durationMs: typeof duration === 'number' ? Math.round((duration / NS_PER_MS) * 100) / 100 : null,
    source: s,
  };
}
