import { Global, Module } from '@nestjs/common';
import { LogShipper } from './log-shipper';

/** Provides the LogShipper early: the core LoggerModule needs its destination before any feature starts. */
@Global()
@Module({ providers: [LogShipper], exports: [LogShipper] })
export class LogShippingModule {}
