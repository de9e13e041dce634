import { Processor } from '@nestjs/bullmq';
import { AppConfig } from '../core/config/app-config';
import { JobContext, JobProcessor } from '../core/jobs/job-processor';
import type { OwnedJobData } from '../core/jobs/jobs.service';
import { QUEUES } from '../core/jobs/queues';
import { AlertmanagerPayload, postWebhook } from './alerts/alertmanager-webhook';

export interface NotifyJobData extends OwnedJobData {
  payload: AlertmanagerPayload;
}

/** Delivers one Alertmanager-format notification to AIOPS_WEBHOOK_URL; a failure is retried by BullMQ with backoff. */
@Processor(QUEUES.aiopsNotify, { autorun: false })
export class AiopsNotifyProcessor extends JobProcessor<NotifyJobData, { delivered: true }> {
  constructor(private readonly config: AppConfig) {
    super();
  }

  protected async run({ data }: JobContext<NotifyJobData>): Promise<{ delivered: true }> {
    if (!this.config.AIOPS_WEBHOOK_URL) return { delivered: true };
    await postWebhook(this.config.AIOPS_WEBHOOK_URL, data.payload);
    return { delivered: true };
  }
}
