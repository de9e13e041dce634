import { getHeapStatistics } from 'node:v8';
import type { MetricObjectWithValues, MetricValue, MetricValueWithName, Registry } from 'prom-client';
import { MetricSource, Reading, SERIES_COMPONENTS, WARMUP_SECONDS, WARMUP_SENSITIVE } from './readings';

type Values = (MetricValue<string> | MetricValueWithName<string>)[];

interface Cumulative {
  at: number;
  values: Map<string, number>;
}

function sum(values: Values, predicate: (v: MetricValueWithName<string>) => boolean = () => true): number {
  return (values as MetricValueWithName<string>[]).filter(predicate).reduce((total, v) => total + v.value, 0);
}

/** The p-quantile of a histogram from per-bucket counts of one interval (linear within a bucket, as Prometheus does). */
export function histogramQuantile(q: number, buckets: { le: number; count: number }[]): number | undefined {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let previousLe = 0;
  let previousCount = 0;
  for (const { le, count } of sorted) {
    if (count >= rank) {
      if (!Number.isFinite(le)) return previousLe;
      return previousLe + ((le - previousLe) * (rank - previousCount)) / Math.max(count - previousCount, 1e-9);
    }
    previousLe = le;
    previousCount = count;
  }
  return previousLe;
}

/**
 * Reads the process's own prom-client registry and turns counters into rates over the collection interval (the
 * first read only primes them). Queue counts come from the `queue_jobs` gauge, which itself reads Redis.
 */
export class RegistrySource implements MetricSource {
  readonly name = 'registry';
  private previous?: Cumulative;

  constructor(
    private readonly registry: Registry,
    /** The process's heap limit (this registry is the process's own). */
    private readonly heapLimitBytes = getHeapStatistics().heap_size_limit,
    /** Seconds since the process started (tests set it). */
    private readonly uptimeSeconds: () => number = () => process.uptime(),
  ) {}

  async read(now: number): Promise<Reading[]> {
    const metrics = new Map<string, MetricObjectWithValues<MetricValue<string>>>();
    for (const metric of await this.registry.getMetricsAsJSON()) metrics.set(metric.name, metric);
    const values = (name: string): Values => metrics.get(name)?.values ?? [];
    const readings: Reading[] = [];
    const warmingUp = this.uptimeSeconds() < WARMUP_SECONDS;
    const add = (metric: string, value: number | undefined, labels: Record<string, string> = {}) => {
      if (value === undefined || !Number.isFinite(value)) return;
      const reading: Reading = { metric, labels, value, component: SERIES_COMPONENTS[metric] ?? 'api' };
      if (warmingUp && WARMUP_SENSITIVE.has(metric)) reading.warmingUp = true;
      readings.push(reading);
    };

    const gauge = (name: string) => (metrics.has(name) ? sum(values(name)) : undefined);
    add('eventloop_lag_p99_seconds', gauge('nodejs_eventloop_lag_p99_seconds'));
    add('rss_bytes', gauge('process_resident_memory_bytes'));
    const heapUsed = gauge('nodejs_heap_size_used_bytes');
    add('heap_used_bytes', heapUsed);
    // of the heap limit (--max-old-space-size), not of the heap V8 has reserved so far, which is nearly full all the time
    if (heapUsed !== undefined) add('heap_used_ratio', heapUsed / this.heapLimitBytes);
    add('log_spool_bytes', gauge('log_shipper_spooled_bytes'));
    add('elasticsearch_up', gauge('log_shipper_elasticsearch_up'));
    const pool = values('db_pool_connections') as MetricValueWithName<string>[];
    if (pool.length)
      add(
        'db_pool_waiting',
        sum(pool, (v) => v.labels.state === 'waiting'),
      );
    for (const v of values('queue_jobs') as MetricValueWithName<string>[]) {
      if (String(v.labels.queue).startsWith('aiops-')) continue;
      if (v.labels.state === 'waiting') add('queue_waiting', v.value, { queue: String(v.labels.queue) });
      if (v.labels.state === 'active') add('queue_active', v.value, { queue: String(v.labels.queue) });
    }

    // cumulative values, turned into rates against the previous read
    const current = new Map<string, number>();
    const http = values('http_request_duration_seconds') as MetricValueWithName<string>[];
    const own = (v: MetricValueWithName<string>) => !String(v.labels.route ?? '').startsWith('/api/aiops') && v.labels.route !== '/api/metrics';
    current.set(
      'http.count',
      sum(http, (v) => v.metricName === 'http_request_duration_seconds_count' && own(v)),
    );
    current.set(
      'http.errors',
      sum(http, (v) => v.metricName === 'http_request_duration_seconds_count' && own(v) && String(v.labels.status).startsWith('5')),
    );
    for (const v of http) {
      if (v.metricName !== 'http_request_duration_seconds_bucket' || !own(v)) continue;
      const key = `http.le.${v.labels.le}`;
      current.set(key, (current.get(key) ?? 0) + v.value);
    }
    current.set('cpu', sum(values('process_cpu_seconds_total')));
    if (metrics.has('process_resident_memory_bytes')) current.set('rss', sum(values('process_resident_memory_bytes')));
    current.set(
      'gc',
      sum(values('nodejs_gc_duration_seconds'), (v) => v.metricName === 'nodejs_gc_duration_seconds_sum'),
    );
    current.set('bulk.failures', sum(values('log_shipper_bulk_failures_total')));
    for (const v of values('queue_jobs') as MetricValueWithName<string>[]) {
      if (String(v.labels.queue).startsWith('aiops-')) continue;
      if (v.labels.state === 'failed' || v.labels.state === 'completed') current.set(`queue.${v.labels.state}.${v.labels.queue}`, v.value);
    }

    const previous = this.previous;
    this.previous = { at: now, values: current };
    if (!previous) return readings;
    const seconds = (now - previous.at) / 1000;
    if (seconds <= 0) return readings;
    const delta = (key: string) => {
      const before = previous.values.get(key);
      const after = current.get(key);
      // a counter that went down was reset (process restart, queue cleaned): count from zero
      return before === undefined || after === undefined ? undefined : after >= before ? after - before : after;
    };
    const requests = delta('http.count') ?? 0;
    add('http_request_rate', requests / seconds);
    add('http_error_ratio', requests > 0 ? (delta('http.errors') ?? 0) / requests : 0);
    const buckets = [...current.keys()]
      .filter((k) => k.startsWith('http.le.'))
      .map((k) => ({ le: k === 'http.le.+Inf' ? Infinity : Number(k.slice(8)), count: delta(k) ?? 0 }));
    add('http_latency_p95_seconds', histogramQuantile(0.95, buckets) ?? 0);
    const cpu = delta('cpu');
    if (cpu !== undefined) add('cpu_seconds_rate', cpu / seconds);
    const rssBefore = previous.values.get('rss');
    const rssNow = current.get('rss');
    if (rssBefore !== undefined && rssNow !== undefined) add('rss_growth_bytes_per_second', (rssNow - rssBefore) / seconds);
    const gc = delta('gc');
    if (gc !== undefined) add('gc_seconds_rate', gc / seconds);
    const bulk = delta('bulk.failures');
    if (metrics.has('log_shipper_bulk_failures_total') && bulk !== undefined) add('log_bulk_failure_rate', bulk / seconds);
    for (const key of current.keys()) {
      const match = /^queue\.(failed|completed)\.(.+)$/.exec(key);
      const d = match ? delta(key) : undefined;
      if (match && d !== undefined) add(`queue_${match[1]}_rate`, d / seconds, { queue: match[2] });
    }
    return readings;
  }
}
