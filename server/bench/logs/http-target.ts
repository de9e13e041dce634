/**
 * A small Nest app logging through the real core logger configuration (nestjs-pino, ECS, request ids),
 * with the Elasticsearch shipper attached (SHIP=on) or not (SHIP=off). bench/logs.bench.ts hits it with autocannon.
 * Env: SHIP, ES_URL, SPOOL_DIR. Prints {"port":…} on stdout's fd 3 pipe (stdout itself carries the logs).
 */
import 'reflect-metadata';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger, LoggerModule } from 'nestjs-pino';
import * as fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/core/config/app-config';
import { loggerOptions, requestLogging } from '../../src/core/logging/logger-options';
import { LogAggregator } from '../../src/core/logging/shipper/log-aggregator';

const env = process.env;
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', LOG_PRETTY: 'false' });
const shipper =
  env.SHIP === 'on'
    ? new LogAggregator({ node: env.ES_URL ?? '', spoolDir: env.SPOOL_DIR ?? './bench-spool-http' }, { diagnostics: () => undefined })
    : undefined;

@Controller('music/tracks')
class TracksController {
  @Get(':id')
  get(@Param('id') id: string): Record<string, unknown> {
    return { id, title: `Track ${id}`, mood: 'calm', tempo: 92, key: 'D major' };
  }
}

/** CPU time of this process (µs): the bench reads it around a run, which is steadier than req/s on a busy machine. */
@Controller('bench')
class BenchController {
  @Get('cpu')
  cpu(): { micros: number } {
    const u = process.cpuUsage();
    return { micros: u.user + u.system };
  }
}

const params = loggerOptions(config, shipper);

@Module({ imports: [LoggerModule.forRoot(params)], controllers: [TracksController, BenchController] })
class BenchModule {}

async function stop(): Promise<void> {
  await shipper?.close(2000);
  shipper?.release();
  fs.writeSync(3, `${JSON.stringify({ stats: shipper?.stats() ?? null })}\n`);
}

async function main(): Promise<void> {
  const app = await NestFactory.create(BenchModule, { bufferLogs: true });
  // the core's request-line middleware, as createApp registers it
  app.use(requestLogging(params));
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api');
  await app.listen(0, '127.0.0.1');
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  fs.writeSync(3, `${JSON.stringify({ port })}\n`);
  process.on('SIGTERM', () => {
    stop()
      .catch((err: unknown) => process.stderr.write(`http-target could not stop cleanly: ${String(err)}\n`))
      .finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`http-target failed: ${String(err)}\n`);
  process.exit(1);
});
