import { MetricSource, Reading, SERIES_COMPONENTS, WARMUP_SECONDS } from './readings';

/** Keeps only the series of replicas that started at least WARMUP_SECONDS ago. */
const WARMED_UP = `and on (instance, job) (time() - process_start_time_seconds > ${WARMUP_SECONDS})`;

/** The PromQL behind each series when a Prometheus server scrapes every replica (`PROMETHEUS_URL`). */
export const PROMQL: { metric: string; query: string; labels?: string[] }[] = [
  { metric: 'http_request_rate', query: 'sum(rate(http_request_duration_seconds_count{route!~"/api/(aiops|metrics).*"}[1m]))' },
  {
    metric: 'http_error_ratio',
    query:
      'sum(rate(http_request_duration_seconds_count{status=~"5..",route!~"/api/(aiops|metrics).*"}[1m])) / clamp_min(sum(rate(http_request_duration_seconds_count{route!~"/api/(aiops|metrics).*"}[1m])), 1e-9)',
  },
  {
    metric: 'http_latency_p95_seconds',
    query: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{route!~"/api/(aiops|metrics).*"}[1m])))',
  },
  { metric: 'cpu_seconds_rate', query: 'sum(rate(process_cpu_seconds_total[1m]))' },
  // replicas in their first two minutes (WARMUP_SECONDS: startup work, a rollout, a scale-up) are left out
  { metric: 'eventloop_lag_p99_seconds', query: `max(nodejs_eventloop_lag_p99_seconds ${WARMED_UP})` },
  { metric: 'heap_used_bytes', query: 'max(nodejs_heap_size_used_bytes)' },
  { metric: 'rss_bytes', query: 'max(process_resident_memory_bytes)' },
  { metric: 'rss_growth_bytes_per_second', query: `max(deriv(process_resident_memory_bytes[1m]) ${WARMED_UP})` },
  { metric: 'gc_seconds_rate', query: `max(rate(nodejs_gc_duration_seconds_sum[1m]) ${WARMED_UP})` },
  { metric: 'queue_waiting', query: 'max by (queue) (queue_jobs{state="waiting"})', labels: ['queue'] },
  { metric: 'queue_active', query: 'max by (queue) (queue_jobs{state="active"})', labels: ['queue'] },
  { metric: 'queue_failed_rate', query: 'max by (queue) (deriv(queue_jobs{state="failed"}[2m]))', labels: ['queue'] },
  { metric: 'queue_completed_rate', query: 'max by (queue) (deriv(queue_jobs{state="completed"}[2m]))', labels: ['queue'] },
  { metric: 'log_spool_bytes', query: 'sum(log_shipper_spooled_bytes)' },
  { metric: 'elasticsearch_up', query: 'min(log_shipper_elasticsearch_up)' },
  { metric: 'db_pool_waiting', query: 'max(db_pool_connections{state="waiting"})' },
  { metric: 'log_bulk_failure_rate', query: 'sum(rate(log_shipper_bulk_failures_total[1m]))' },
];

interface VectorResponse {
  status: string;
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

/** Instant queries against a Prometheus server's HTTP API (`/api/v1/query`), one per series, across every replica it scrapes. */
export class PrometheusSource implements MetricSource {
  readonly name = 'prometheus';

  private readonly baseUrl: string;
  /** `user:password@` in PROMETHEUS_URL becomes Basic authentication: fetch refuses such URLs, and repeats them in errors. */
  private readonly headers: Record<string, string> = {};

  constructor(
    url: string,
    private readonly timeoutMs = 5000,
  ) {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
      this.headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
      parsed.username = '';
      parsed.password = '';
    }
    this.baseUrl = parsed.toString();
  }

  async read(now: number): Promise<Reading[]> {
    const results = await Promise.all(PROMQL.map((q) => this.query(q.query, now).then((rows) => ({ q, rows }))));
    const readings: Reading[] = [];
    for (const { q, rows } of results) {
      for (const row of rows) {
        const value = Number(row.value[1]);
        if (!Number.isFinite(value)) continue;
        const labels = Object.fromEntries((q.labels ?? []).map((name) => [name, row.metric[name] ?? '']));
        readings.push({ metric: q.metric, labels, value, component: SERIES_COMPONENTS[q.metric] ?? 'api' });
      }
    }
    return readings;
  }

  private async query(query: string, now: number): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const url = new URL('api/v1/query', this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
    url.searchParams.set('query', query);
    url.searchParams.set('time', String(now / 1000));
    const response = await fetch(url, { headers: this.headers, signal: AbortSignal.timeout(this.timeoutMs) });
    const body = (await response.json()) as VectorResponse;
    if (!response.ok || body.status !== 'success') throw new Error(`Prometheus answered ${response.status}: ${body.error ?? 'no data'}`);
    return body.data?.resultType === 'vector' ? body.data.result : [];
  }
}
