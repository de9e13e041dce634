import { Module } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { AiopsAnalysisService } from './aiops-analysis.service';
import { AiopsAnalysisController } from './aiops-analysis.controller';
import { AiopsCollectProcessor } from './aiops-collect.processor';
import { AiopsNotifyProcessor } from './aiops-notify.processor';
import { AiopsController } from './aiops.controller';
import { AiopsRepository } from './aiops.repository';
import { AiopsService } from './aiops.service';
import { AlertingService } from './alerts/alerting.service';
import { CollectionScheduler } from './collection/collection-scheduler';
import { AiopsCollector } from './collection/collector.service';
import { AutoFixAdvisor } from './fixes/auto-fix-advisor';
import { FixActions } from './fixes/fix-actions';
import { FixesService } from './fixes/fixes.service';
import { KubernetesScaler } from './fixes/kubernetes-scaler';
import { ForecastsService } from './forecasts.service';

/**
 * AIOps (issue 12, docs/aiops.md): stateless scoring of any series and mining of any log lines on worker threads;
 * collection (worker role) of metrics, health, queues and logs into PostgreSQL series; threshold, anomaly, log and
 * forecast alerts grouped into incidents with ranked causes (engine/); the AutoFixAdvisor's diagnosis and fixes,
 * with safe automatic fixes under a policy, audited.
 */
@Module({
  controllers: [AiopsAnalysisController, AiopsController],
  providers: [
    AiopsAnalysisService,
    AiopsRepository,
    AiopsService,
    AiopsCollector,
    AiopsCollectProcessor,
    AiopsNotifyProcessor,
    CollectionScheduler,
    AlertingService,
    AutoFixAdvisor,
    FixActions,
    {
      provide: KubernetesScaler,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new KubernetesScaler({ host: config.KUBERNETES_SERVICE_HOST, port: config.KUBERNETES_SERVICE_PORT, deployment: config.AIOPS_WORKER_DEPLOYMENT }),
    },
    FixesService,
    ForecastsService,
  ],
})
export class AiopsModule {}
