import { RedisAdapter, type RedisAdapterOptions } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { BroadcastOptions } from 'socket.io-adapter';

/** How often the number of replicas on the adapter's channels is re-counted (ms). */
export const REPLICA_COUNT_INTERVAL_MS = 1000;

type Namespace = ConstructorParameters<typeof RedisAdapter>[0];

/**
 * `@socket.io/redis-adapter` that skips the Redis PUBLISH of a broadcast while no other replica listens.
 *
 * The stock adapter publishes every broadcast (each relayed note) and, subscribed to its own pattern, reads and decodes
 * it back only to drop it: with one replica that is most of a note's cost and nobody receives it. This one counts the
 * replicas subscribed to the namespace's request channel (PUBSUB NUMSUB, each replica's adapter subscribes once) every
 * second and broadcasts locally while it is the only one. A replica that appears is noticed at the latest on its first
 * broadcast (its join's `room:state`, which precedes its first member's entry in the room): while this replica is
 * alone it publishes nothing, so any message on its pattern comes from another replica and turns publishing back on
 * at once. Until the first count, and whenever counting fails, it publishes as the stock adapter does.
 */
export class SoloAwareRedisAdapter extends RedisAdapter {
  private solo = false;
  /** Bumped when another replica is heard: a count sent before that is stale. */
  private heard = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly channelPrefix: string;
  private readonly onPatternMessage = (_pattern: Buffer, channel: Buffer) => {
    if (!this.solo || !channel.toString().startsWith(this.channelPrefix)) return;
    this.solo = false;
    this.heard += 1;
  };

  constructor(
    nsp: Namespace,
    pubClient: Redis,
    private readonly subClient_: Redis,
    opts: Partial<RedisAdapterOptions> & { key: string },
  ) {
    super(nsp, pubClient, subClient_, opts);
    this.channelPrefix = `${opts.key}#${(nsp as { name: string }).name}#`;
    subClient_.on('pmessageBuffer', this.onPatternMessage);
    this.timer = setInterval(() => this.recount(), REPLICA_COUNT_INTERVAL_MS);
    this.timer.unref();
    this.recount();
  }

  /** Whether broadcasts currently stay on this replica (no other replica listens). */
  get isSolo(): boolean {
    return this.solo;
  }

  override broadcast(packet: unknown, opts: BroadcastOptions): void {
    if (this.solo && !opts.flags?.local) opts = { ...opts, flags: { ...opts.flags, local: true } };
    super.broadcast(packet, opts);
  }

  override close(): Promise<void> | void {
    clearInterval(this.timer);
    this.subClient_.off('pmessageBuffer', this.onPatternMessage);
    return super.close();
  }

  private recount(): void {
    const heard = this.heard;
    this.serverCount().then(
      (count) => {
        if (heard === this.heard) this.solo = count <= 1;
      },
      () => (this.solo = false),
    );
  }
}
