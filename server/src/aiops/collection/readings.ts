/** One value of one series at collection time. */
export interface Reading {
  metric: string;
  labels: Record<string, string>;
  value: number;
  /** The dependency-graph component the series speaks for (engine PLATFORM_DEPENDENCIES). */
  component: string;
  /**
   * The process behind it started less than WARMUP_SECONDS ago: its startup work (loading modules, compiling, filling
   * caches) makes CPU, event-loop lag, GC and memory growth unrepresentative. Stored and scored, but neither a
   * threshold rule nor an anomaly alert fires on it.
   */
  warmingUp?: true;
}

/** How long after a process starts its startup-sensitive series are not alerted on. */
export const WARMUP_SECONDS = 120;
/** The series whose startup values say nothing about health. */
export const WARMUP_SENSITIVE = new Set(['cpu_seconds_rate', 'eventloop_lag_p99_seconds', 'gc_seconds_rate', 'rss_growth_bytes_per_second']);

/** Where metric readings come from: the process's own registry, or a Prometheus server's HTTP API. */
export interface MetricSource {
  readonly name: string;
  read(now: number): Promise<Reading[]>;
}

/** A stable key per series: metric plus its labels in name order. */
export function seriesKey(metric: string, labels: Record<string, string>): string {
  const names = Object.keys(labels).sort();
  return names.length ? `${metric}{${names.map((n) => `${n}="${labels[n]}"`).join(',')}}` : metric;
}

/** Component of a health check by its name in the HealthRegistry. */
export function componentOfCheck(check: string): string {
  if (check === 'database') return 'postgres';
  if (check === 'log-shipping') return 'elasticsearch';
  return check;
}

/** The series every source produces (name → component), documented in docs/aiops.md. */
export const SERIES_COMPONENTS: Record<string, string> = {
  http_request_rate: 'api',
  http_error_ratio: 'api',
  http_latency_p95_seconds: 'api',
  cpu_seconds_rate: 'api',
  eventloop_lag_p99_seconds: 'event-loop',
  heap_used_bytes: 'memory',
  heap_used_ratio: 'memory',
  rss_bytes: 'memory',
  rss_growth_bytes_per_second: 'memory',
  gc_seconds_rate: 'memory',
  queue_waiting: 'queue',
  queue_active: 'worker',
  queue_failed_rate: 'worker',
  queue_completed_rate: 'worker',
  log_spool_bytes: 'log-spool',
  db_pool_waiting: 'postgres',
  elasticsearch_up: 'elasticsearch',
  log_bulk_failure_rate: 'elasticsearch',
};
