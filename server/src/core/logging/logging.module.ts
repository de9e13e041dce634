import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { LogShipper } from './log-shipper';
import { LogShippingModule } from './log-shipping.module';
import { fanOut, LogTap } from './log-tap';
import { loggerOptions } from './logger-options';

@Module({
  imports: [
    LoggerModule.forRootAsync({
      // the log shipper (ENABLE_LOG_AGGREGATION) is a second destination beside stdout
      imports: [LogShippingModule],
      // and the in-process log stream (LogTap) while lines are JSON, i.e. not pretty-printed
      inject: [AppConfig, LogShipper, LogTap],
      useFactory: (config: AppConfig, shipper: LogShipper, tap: LogTap) => {
        const pretty = config.LOG_PRETTY ?? config.NODE_ENV === 'development';
        const shipping = shipper.destination;
        const extra = shipping ? fanOut([shipping, tap]) : pretty ? undefined : tap;
        return loggerOptions(config, extra);
      },
    }),
  ],
})
export class LoggingModule {}
