/** One replica of the platform for bench:ensemble (a separate process, as in production): createApp + listen. */
import type { AddressInfo } from 'node:net';
import 'reflect-metadata';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/core/config/app-config';
import { answerPhaseStats } from './phase-stats';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  app.enableShutdownHooks();
  // Port 0: the kernel picks a free one and the parent is told which (see bare-relay.ts).
  await app.listen(0, '127.0.0.1');
  answerPhaseStats(() => app.close());
  process.send?.({ ready: true, port: (app.getHttpServer().address() as AddressInfo).port });
}
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
