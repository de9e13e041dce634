import { setMaxListeners } from 'node:events';
import { BeforeApplicationShutdown, Global, Injectable, Module } from '@nestjs/common';

/**
 * Aborted when the application starts to shut down, after the queue workers drained and before the HTTP server
 * closes. Open Server-Sent-Events streams end on it (their clients reconnect to another replica): the server's close
 * waits for every open connection, so one stream left open held the whole shutdown until its grace period ran out.
 */
@Injectable()
export class ShutdownSignal implements BeforeApplicationShutdown {
  private readonly controller = new AbortController();

  constructor() {
    // Every open stream listens: past Node's default of 10 it would warn of a leak that is not one.
    setMaxListeners(0, this.controller.signal);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  beforeApplicationShutdown(): void {
    this.controller.abort();
  }
}

@Global()
@Module({ providers: [ShutdownSignal], exports: [ShutdownSignal] })
export class ShutdownSignalModule {}
