import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { SoloAwareRedisAdapter } from './solo-aware-redis-adapter';

/** Just enough of ioredis for the adapter: PUBLISH recorded, PUBSUB NUMSUB answered with `subscribers()`. */
function fakeRedis(subscribers: () => number | Error) {
  const pub = Object.assign(new EventEmitter(), {
    published: [] as string[],
    publish(channel: string) {
      pub.published.push(channel);
      return Promise.resolve(1);
    },
    send_command(_command: string, args: string[], callback: (error: Error | null, reply?: unknown) => void) {
      const count = subscribers();
      setImmediate(() => (count instanceof Error ? callback(count) : callback(null, [args[1], count])));
    },
  });
  const sub = Object.assign(new EventEmitter(), {
    psubscribe: () => undefined,
    subscribe: () => undefined,
    punsubscribe: () => undefined,
    unsubscribe: () => undefined,
  });
  return { pub, sub };
}

const nsp = { name: '/ensemble', sockets: new Map(), server: { encoder: { encode: (packet: unknown) => [JSON.stringify(packet)] } } };
const settle = () => new Promise((resolve) => setImmediate(resolve));
const broadcast = (adapter: SoloAwareRedisAdapter) => adapter.broadcast({ type: 2, data: ['note', {}] }, { rooms: new Set(['room-1']), except: new Set() });

describe('SoloAwareRedisAdapter', () => {
  let adapters: SoloAwareRedisAdapter[] = [];
  const make = (subscribers: () => number | Error) => {
    const { pub, sub } = fakeRedis(subscribers);
    const adapter = new SoloAwareRedisAdapter(nsp, pub as unknown as Redis, sub as unknown as Redis, { key: 'test:socket.io' });
    adapters.push(adapter);
    return { adapter, pub, sub };
  };
  afterEach(async () => {
    for (const adapter of adapters) await adapter.close();
    adapters = [];
  });

  it('publishes until the first count, and not while it is the only replica', async () => {
    const { adapter, pub } = make(() => 1);
    broadcast(adapter);
    expect(pub.published).toHaveLength(1);
    await settle();
    expect(adapter.isSolo).toBe(true);
    broadcast(adapter);
    expect(pub.published).toHaveLength(1);
  });

  it('publishes while another replica listens or when the count fails', async () => {
    const { adapter, pub } = make(() => 2);
    await settle();
    broadcast(adapter);
    expect(pub.published).toEqual(['test:socket.io#/ensemble#room-1#']);
    const failing = make(() => new Error('Redis is down'));
    await settle();
    broadcast(failing.adapter);
    expect(failing.pub.published).toHaveLength(1);
  });

  it("publishes again as soon as another replica's broadcast arrives, before the next count", async () => {
    let count = 1;
    const { adapter, pub, sub } = make(() => count);
    await settle();
    expect(adapter.isSolo).toBe(true);
    // Another namespace's traffic says nothing about this one.
    sub.emit('pmessageBuffer', Buffer.from('test:socket.io#/other#*'), Buffer.from('test:socket.io#/other#room-9#'), Buffer.from(''));
    expect(adapter.isSolo).toBe(true);
    count = 2;
    sub.emit('pmessageBuffer', Buffer.from('test:socket.io#/ensemble#*'), Buffer.from('test:socket.io#/ensemble#room-1#'), Buffer.from(''));
    broadcast(adapter);
    expect(pub.published).toHaveLength(1);
  });
});
