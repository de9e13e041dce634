import { Redis, type RedisOptions } from 'ioredis';

/** ioredis options from a redis:// or rediss:// URL. */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: Number.isFinite(db) ? db : 0,
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    // Keep retrying forever, at most every 5 s, so the platform recovers when Redis returns.
    retryStrategy: (attempt: number) => Math.min(200 * 2 ** attempt, 5000),
  };
}

/**
 * Closes a Redis client without waiting on a server that is not there: QUIT while connected, otherwise a plain
 * disconnect (ioredis queues QUIT on a client that is still reconnecting, so awaiting it would hang shutdown).
 */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}

/**
 * A Redis client whose connection errors are not reported by the client itself: RedisAvailability logs an outage once
 * and the callers answer failed commands (503, a logged failure), so the client's own error events, one per reconnect
 * attempt, would only repeat it (and without a listener ioredis prints each as an unhandled error event).
 */
export function quietRedis(options: RedisOptions): Redis {
  const client = new Redis(options);
  client.on('error', () => undefined);
  return client;
}
