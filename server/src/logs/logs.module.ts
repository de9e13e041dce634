import { Module } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { ElasticsearchClient } from './elasticsearch.client';
import { LogsController } from './logs.controller';
import { LogsService } from './logs.service';

/**
 * The log explorer (`/api/logs`): search, stats and a live tail over the logs in Elasticsearch. Shipping the logs
 * there, the index template and ILM policy, and the shipper's health and metrics are core (`core/logging/`).
 */
@Module({
  controllers: [LogsController],
  providers: [{ provide: ElasticsearchClient, inject: [AppConfig], useFactory: (config: AppConfig) => new ElasticsearchClient(config) }, LogsService],
})
export class LogsModule {}
