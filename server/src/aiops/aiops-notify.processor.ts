import { Processor } from '@nestjs/bullmq';
import { AppConfig } from '../core/config/app-config';
import { JobContext, JobProcessor } from '../core/jobs/job-processor';
import type { OwnedJobData } from '../core/jobs/jobs.service';
import { QUEUES } from '../core/jobs/queues';
import { AlertmanagerPayload, postWebhook, WebhookDeliveryError } from './alerts/alertmanager-webhook';

export interface NotifyJobData extends OwnedJobData {
  payload: AlertmanagerPayload;
}

/**
 * Delivers one Alertmanager-format notification to AIOPS_WEBHOOK_URL. A receiver that is down, slow or answers 408, 429
 * or 5xx is tried again by BullMQ with the queue's backoff; any other answer (a 4xx: the request is wrong) is final.
 */
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

  protected override retryable(error: unknown): boolean {
    return error instanceof WebhookDeliveryError ? error.retryable : super.retryable(error);
  }
}
