import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { LogShipper } from './log-shipper';
import { LogShippingModule } from './log-shipping.module';
import { loggerOptions } from './logger-options';

@Module({
  imports: [
    LoggerModule.forRootAsync({
      // the log shipper (ENABLE_LOG_AGGREGATION) is a second destination beside stdout
      imports: [LogShippingModule],
      inject: [AppConfig, LogShipper],
      useFactory: (config: AppConfig, shipper: LogShipper) => loggerOptions(config, shipper.destination),
    }),
  ],
})
export class LoggingModule {}
