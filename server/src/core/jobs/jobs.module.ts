import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { AppConfig } from '../config/app-config';
import { JobQuota } from './job-quota.service';
import { JobQuotaRepository } from './job-quota.repository';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';
import { QUEUE_NAMES } from './queues';
import { RedisAvailability } from './redis-availability.service';
import { redisOptionsFromUrl } from './redis-connection';
import { WorkerStarter } from './worker-starter.service';

const queues = BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name })));

@Global()
@Module({
  imports: [
    DiscoveryModule,
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: { ...redisOptionsFromUrl(config.REDIS_URL), maxRetriesPerRequest: null },
        prefix: config.QUEUE_PREFIX,
      }),
    }),
    queues,
  ],
  controllers: [JobsController],
  providers: [JobsService, JobQuota, JobQuotaRepository, RedisAvailability, WorkerStarter],
  exports: [JobsService, JobQuota, RedisAvailability, WorkerStarter, queues],
})
export class JobsModule {}
