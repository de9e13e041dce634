/** One replica of the platform for bench:ensemble (a separate process, as in production): createApp + listen. */
import 'reflect-metadata';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/core/config/app-config';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  app.enableShutdownHooks();
  await app.listen(config.PORT, '127.0.0.1');
  // The parent asks for the event-loop delay and CPU time of a phase: how busy the replica was.
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let cpu = process.cpuUsage();
  process.on('message', (message: { stats?: boolean; exit?: boolean }) => {
    // A clean exit (not a signal), so that --cpu-prof writes its profile.
    if (message.exit)
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    if (!message.stats) return;
    const used = process.cpuUsage(cpu);
    process.send?.({ stats: { loopP99Ms: delay.percentile(99) / 1e6, loopMaxMs: delay.max / 1e6, cpuMs: (used.user + used.system) / 1000 } });
    delay.reset();
    cpu = process.cpuUsage();
  });
  process.send?.({ ready: true });
}
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
