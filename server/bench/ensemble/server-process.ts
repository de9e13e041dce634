/** One replica of the platform for bench:ensemble (a separate process, as in production): createApp + listen. */
import 'reflect-metadata';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/core/config/app-config';
import { answerPhaseStats } from './phase-stats';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  app.enableShutdownHooks();
  await app.listen(config.PORT, '127.0.0.1');
  answerPhaseStats(() => app.close());
  process.send?.({ ready: true });
}
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
