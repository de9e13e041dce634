import { Injectable, OnModuleInit } from '@nestjs/common';
import { HealthCheckFn, HealthRegistry } from '../health/health.registry';
import { MetricsService } from '../metrics/metrics.service';
import { LogShipper } from './log-shipper';
import { registerShipperMetrics } from './log-shipper.metrics';

/** Share of LOG_SPOOL_MAX_BYTES from which the spool counts as full (lines are about to be dropped). */
const SPOOL_FULL = 0.98;

/**
 * The `log-shipping` check, or null when shipping is off. Up unless lines are being dropped (spool cap, or a disk
 * that refuses writes) or the spool is about to hit its cap: an Elasticsearch outage alone is absorbed by the spool.
 * Down, with the reason, while shipping is enabled but the spool could not be opened yet. Either way it is reported,
 * not a reason to stop serving: readiness leaves it out.
 */
export function logShippingCheck(shipper: Pick<LogShipper, 'enabled' | 'aggregator' | 'spoolError' | 'notShipped'>): HealthCheckFn | null {
  if (!shipper.enabled) return null;
  return () => {
    const aggregator = shipper.aggregator;
    if (!aggregator) {
      return Promise.resolve({ up: false, details: { message: shipper.spoolError ?? 'the log spool is not open', notShipped: shipper.notShipped } });
    }
    const stats = aggregator.stats();
    return Promise.resolve({
      up: !stats.dropping && stats.spooledBytes < aggregator.options.spoolMaxBytes * SPOOL_FULL,
      details: {
        elasticsearch: stats.elasticsearchReachable ? 'reachable' : 'unreachable',
        replaying: stats.replaying,
        shipped: stats.shipped,
        retried: stats.retried,
        deadLettered: stats.deadLettered,
        pendingBytes: stats.pendingBytes,
        spooledBytes: stats.spooledBytes,
        dropped: stats.dropped,
        dropping: stats.dropping,
        ...(shipper.notShipped ? { notShipped: shipper.notShipped } : {}),
        ...(stats.awaitingReady ? { waitingFor: 'the index template and ILM policy (log index setup)' } : {}),
        ...(stats.lastError ? { lastError: stats.lastError } : {}),
      },
    });
  };
}

/** Reports the shipper on /api/health (`log-shipping`) and /api/metrics (`log_shipper_*`). */
@Injectable()
export class LogShipperMonitor implements OnModuleInit {
  constructor(
    private readonly shipper: LogShipper,
    private readonly metrics: MetricsService,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    const check = logShippingCheck(this.shipper);
    // A full spool (lines dropped) is reported, but does not take every replica out of service with it.
    if (check) this.health.register('log-shipping', check, { readiness: false });
    if (this.shipper.enabled) registerShipperMetrics(this.metrics.registry, () => this.shipper.aggregator);
  }
}
