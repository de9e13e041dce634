import { Module } from '@nestjs/common';
import { ElasticsearchClient } from './elasticsearch.client';
import { LogsController } from './logs.controller';
import { LogsService } from './logs.service';

/**
 * Log aggregation: the explorer API over Elasticsearch, index template/ILM setup, and the shipper's metrics and
 * health. The shipper itself (LogShipper) lives in LogShippingModule, which the core logger imports.
 */
@Module({ controllers: [LogsController], providers: [ElasticsearchClient, LogsService] })
export class LogAggregationModule {}
