import 'reflect-metadata';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './core/config/app-config';
import { MetricsService } from './core/metrics/metrics.service';
import { keepRunningOnUnhandledRejections } from './core/system/unhandled-rejections';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`xiaoyu-ai cannot start.\n${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }

  const app = await createApp(config);
  keepRunningOnUnhandledRejections(app.get(MetricsService).registry);
  app.enableShutdownHooks();
  await app.listen(config.PORT, '0.0.0.0');
  app.getHttpServer().keepAliveTimeout = 65_000;

  // On SIGTERM Nest stops accepting, lets in-flight requests and jobs finish, then closes DB and Redis;
  // this timer only ends a shutdown that overruns the grace period.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS).unref());
  }
}

// A failed start (port taken, database unreachable) ends the process with status 1, saying why.
main().catch((error: unknown) => {
  process.stderr.write(`xiaoyu-ai failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
