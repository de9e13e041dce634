import { Global, Module } from '@nestjs/common';
import { LogIndexSetup } from './log-index-setup';
import { LogShipper } from './log-shipper';
import { LogShipperMonitor } from './log-shipper.monitor';

/**
 * Shipping logs to Elasticsearch: the LogShipper (provided early, because the core LoggerModule needs its
 * destination before any feature starts), its health check and metrics, and the index template + ILM policy of
 * the indices it writes. Global, so the log explorer can say whether shipping is on.
 */
@Global()
@Module({ providers: [LogShipper, LogShipperMonitor, LogIndexSetup], exports: [LogShipper] })
export class LogShippingModule {}
