import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './db/database.module';
import { HealthModule } from './health/health.module';
import { RouteBodyLimits } from './http/body-limit';
import { ShutdownSignalModule } from './http/shutdown-signal';
import { JobsModule } from './jobs/jobs.module';
import { LanguageModelModule } from './llm/language-model.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { SystemController } from './system/system.controller';
import { SystemService } from './system/system.service';

/** The platform every feature module plugs into. */
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        DiscoveryModule,
        ConfigModule.forRoot(config),
        ShutdownSignalModule,
        LoggingModule,
        DatabaseModule,
        JobsModule,
        MetricsModule,
        HealthModule,
        AuthModule,
        LanguageModelModule,
      ],
      controllers: [SystemController],
      providers: [SystemService, RouteBodyLimits],
    };
  }
}
