import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import { AppConfig } from '../config/app-config';

/**
 * Processors are declared with `autorun: false`; this starts them only when ROLE is worker or all,
 * so API and worker processes scale apart from one image.
 */
@Injectable()
export class WorkerStarter implements OnApplicationBootstrap {
  private readonly logger = new Logger('Workers');
  private hosts: WorkerHost[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const hosts = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost);
    this.hosts = hosts;
    for (const host of hosts) {
      const worker = host.worker;
      worker.on('error', (error) => this.logger.warn(`Worker ${worker.name}: ${error.message}`));
      if (!this.config.runsWorkers) continue;
      worker.run().catch((error: Error) => this.logger.error(`Worker ${worker.name} stopped: ${error.message}`));
      this.logger.log(`Processing queue ${worker.name}`);
    }
  }

  /** Stops taking jobs and waits for the running ones to finish (BullMQ's graceful close). */
  async stop(): Promise<void> {
    await Promise.all(this.hosts.map((host) => host.worker.close()));
  }
}
