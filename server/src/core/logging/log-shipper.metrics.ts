import { Counter, Gauge, Registry } from 'prom-client';
import { LogAggregator, ShipperStats } from './shipper/log-aggregator';

type NumericStat = { [K in keyof ShipperStats]: ShipperStats[K] extends number ? K : never }[keyof ShipperStats];

const COUNTERS: Array<[string, string, NumericStat]> = [
  ['log_shipper_received_total', 'Log lines handed to the Elasticsearch shipper', 'received'],
  ['log_shipper_shipped_total', 'Log documents Elasticsearch confirmed (201, or 409 for a replay already stored)', 'shipped'],
  ['log_shipper_retried_total', 'Log document sends that failed (429/5xx/connection/timeout) and were retried', 'retried'],
  ['log_shipper_dead_lettered_total', 'Log documents refused as malformed (400) and written to the dead-letter file', 'deadLettered'],
  ['log_shipper_dropped_total', 'Log lines dropped because the spool cap was hit (should stay 0)', 'dropped'],
  ['log_shipper_bulk_requests_total', 'Bulk requests sent to Elasticsearch', 'bulkRequests'],
  ['log_shipper_bulk_failures_total', 'Bulk requests that failed as a whole', 'bulkFailures'],
];

const GAUGES: Array<[string, string, NumericStat]> = [
  ['log_shipper_spooled_bytes', 'Bytes of log spool segment files on disk', 'spooledBytes'],
  ['log_shipper_pending_bytes', 'Bytes of logs handed over but not yet acknowledged by Elasticsearch', 'pendingBytes'],
];

/** Exposes the shipper's own counters on /api/metrics, read from its stats at scrape time (0 while the spool is not open). */
export function registerShipperMetrics(registry: Registry, aggregator: () => LogAggregator | null): void {
  const stat = (key: NumericStat): number => aggregator()?.stats()[key] ?? 0;
  for (const [name, help, key] of COUNTERS) {
    if (registry.getSingleMetric(name)) continue;
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(stat(key));
      },
    });
  }
  for (const [name, help, key] of GAUGES) {
    if (registry.getSingleMetric(name)) continue;
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(stat(key));
      },
    });
  }
  if (!registry.getSingleMetric('log_shipper_elasticsearch_up')) {
    new Gauge({
      name: 'log_shipper_elasticsearch_up',
      help: '1 when the last bulk request reached Elasticsearch, else 0',
      registers: [registry],
      collect() {
        this.set(aggregator()?.stats().elasticsearchReachable ? 1 : 0);
      },
    });
  }
}
