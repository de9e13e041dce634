import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { Redis } from 'ioredis';
import type { Namespace, Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '../config/app-config';
import { closeRedis, redisOptionsFromUrl } from '../jobs/redis-connection';
import { preEncodeBinaryFrames } from './binary-frames';
import { CoalescedWrites } from './coalesced-writes';
import { msgpackParser, textClients } from './msgpack-parser';
import { SoloAwareRedisAdapter } from './solo-aware-redis-adapter';

/**
 * Largest Socket.IO message accepted (bytes), as the HTTP body limit: smaller oversized payloads reach validation and
 * get an error ack; larger ones close only the sender's connection (Engine.IO's rule), never anyone else's.
 */
export const WS_MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * The adapter publishes without awaiting (broadcasts, `serverSideEmit`): a PUBLISH that fails, such as one still queued
 * when shutdown closes the client, goes to `onError` instead of becoming an unhandled rejection.
 */
export function handlePublishFailures(client: Redis, onError: (error: Error) => void): Redis {
  const publish = client.publish.bind(client) as (...args: unknown[]) => Promise<number>;
  client.publish = (...args: unknown[]) => {
    const sent = publish(...args);
    sent.catch(onError);
    return sent;
  };
  return client;
}

/**
 * Socket.IO for every gateway: the msgpack wire format of `socket.io-msgpack-parser` (binary, smaller and faster than
 * JSON for note events; clients use that package, the server `msgpackParser` on msgpackr), a bounded message size, and
 * `@socket.io/redis-adapter` on the platform's Redis, so that sockets connected to different replicas share rooms and
 * broadcasts (publishing only while another replica listens: `SoloAwareRedisAdapter`), each broadcast's WebSocket
 * frame built once for all its recipients (`preEncodeBinaryFrames`), and one socket write per connection per turn of
 * the event loop (`CoalescedWrites`).
 */
export class RedisIoAdapter extends IoAdapter {
  private readonly logger = new Logger(RedisIoAdapter.name);
  private readonly clients: Redis[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      parser: msgpackParser,
      maxHttpBufferSize: WS_MAX_MESSAGE_BYTES,
      pingInterval: 10_000,
      pingTimeout: 10_000,
      ...(this.config.corsOrigins.length ? { cors: { origin: this.config.corsOrigins } } : {}),
    }) as Server;
    new CoalescedWrites().attach(server.engine);
    // Before the gateways' own middleware (added when they create their namespaces, after this).
    server.on('new_namespace', (namespace: Namespace) => namespace.use(textClients));
    const redis = { ...redisOptionsFromUrl(this.config.REDIS_URL), maxRetriesPerRequest: null, lazyConnect: false };
    const pub = handlePublishFailures(new Redis(redis), (error) => this.logger.warn(`Socket.IO Redis adapter: a publish failed: ${error.message}`));
    const sub = new Redis(redis);
    for (const client of [pub, sub]) client.on('error', (error: Error) => this.logger.warn(`Socket.IO Redis adapter: ${error.message}`));
    this.clients.push(pub, sub);
    const adapterOptions = { key: `${this.config.QUEUE_PREFIX}:socket.io`, requestsTimeout: 3000 };
    // A plain function, not an arrow: socket.io calls it with `new`.
    server.adapter(function (nsp: Namespace) {
      const adapter = new SoloAwareRedisAdapter(nsp, pub, sub, adapterOptions);
      preEncodeBinaryFrames(adapter);
      return adapter;
    });
    return server;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await Promise.all(this.clients.splice(0).map(closeRedis));
  }
}
