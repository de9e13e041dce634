import { Global, Module } from '@nestjs/common';
import { LogIndexSetup } from './log-index-setup';
import { LogShipper } from './log-shipper';
import { LogShipperMonitor } from './log-shipper.monitor';
import { LogTap } from './log-tap';

/**
 * Shipping logs to Elasticsearch: the LogShipper (provided early, because the core LoggerModule needs its
 * destination before any feature starts), its health check and metrics, and the index template + ILM policy of
 * the indices it writes; and the in-process log stream (LogTap). Global, so the log explorer can say whether shipping is
 * on and AIOps can follow the logs.
 */
@Global()
@Module({ providers: [LogShipper, LogShipperMonitor, LogIndexSetup, LogTap], exports: [LogShipper, LogTap] })
export class LogShippingModule {}
