import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { WorkerStarter } from './worker-starter.service';

/**
 * Drains the queue workers before anything else shuts down. Nest destroys the root module first and the global
 * modules (the queues among them) last, so without this the feature modules would close what running jobs use (the
 * render pool, model engines) while the workers still ran them and took waiting ones, failing each. Provided by the
 * root AppModule for that reason.
 */
@Injectable()
export class JobWorkersDrain implements OnModuleDestroy {
  constructor(private readonly workers: WorkerStarter) {}

  onModuleDestroy(): Promise<void> {
    return this.workers.stop();
  }
}
