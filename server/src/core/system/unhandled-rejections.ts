import { Logger } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';

/**
 * What the process does with a promise that was rejected while nobody listened: typically a library's own stray,
 * such as a Redis command that failed during an outage. It is logged with its stack and counted
 * (`process_unhandled_rejections_total`), and the process keeps serving: Node's default would end it, and a replica
 * that restarts while a dependency is down only restarts again. Uncaught exceptions still end the process.
 */
export function unhandledRejectionHandler(registry: Registry, logger: Pick<Logger, 'error'> = new Logger('Process')): (reason: unknown) => void {
  const counter = new Counter({
    name: 'process_unhandled_rejections_total',
    help: 'Promises rejected with no handler (logged; the process kept running)',
    registers: [registry],
  });
  return (reason) => {
    counter.inc();
    logger.error({ err: reason }, 'A promise was rejected with no handler; the process keeps running');
  };
}

/** Installs the handler on this process (main.ts only: tests keep their own runner's handling); returns its removal. */
export function keepRunningOnUnhandledRejections(registry: Registry, logger?: Pick<Logger, 'error'>): () => void {
  const handler = unhandledRejectionHandler(registry, logger);
  process.on('unhandledRejection', handler);
  return () => process.off('unhandledRejection', handler);
}
