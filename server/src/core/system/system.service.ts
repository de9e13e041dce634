import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobsService } from '../jobs/jobs.service';
import { QUEUE_NAMES } from '../jobs/queues';
import { LanguageModelService } from '../llm/language-model.service';
import { APP_VERSION } from '../version';
import { QueueCountsDto, SystemInfoDto } from './system.dto';

@Injectable()
export class SystemService {
  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly llm: LanguageModelService,
  ) {}

  info(): SystemInfoDto {
    const { configured, model } = this.llm.describe();
    return {
      name: 'xiaoyu-ai',
      version: APP_VERSION,
      role: this.config.ROLE,
      node: process.version,
      uptimeSec: Math.round(process.uptime()),
      database: this.config.DATABASE_URL ? 'postgresql' : 'pglite',
      llm: { configured, model },
    };
  }

  async queues(): Promise<QueueCountsDto[]> {
    return Promise.all(
      QUEUE_NAMES.map(async (name) => {
        const counts = await this.jobs.counts(name, 'waiting', 'active', 'completed', 'failed', 'delayed');
        return {
          name,
          waiting: counts.waiting ?? 0,
          active: counts.active ?? 0,
          completed: counts.completed ?? 0,
          failed: counts.failed ?? 0,
          delayed: counts.delayed ?? 0,
        };
      }),
    );
  }
}
