import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import type { RoomState } from './ensemble.types';

type ServerEventHandler = (...args: unknown[]) => void;

/**
 * This replica's view of the `/ensemble` namespace: emits to rooms (through the Redis adapter, so members on every
 * replica get them), talks to the other replicas (server-side events), and keeps the newest state of each room that
 * has members here, so that the note path never reads Redis.
 */
@Injectable()
export class EnsembleHub {
  readonly replicaId = randomUUID();
  private namespace?: Namespace;
  private readonly states = new Map<string, RoomState>();
  private readonly handlers = new Map<string, ServerEventHandler[]>();

  attach(namespace: Namespace): void {
    this.namespace = namespace;
    for (const [event, list] of this.handlers) for (const handler of list) namespace.on(event, handler);
  }

  /** Handles an event another replica sent with `toOtherReplicas`. */
  onReplicaEvent(event: string, handler: ServerEventHandler): void {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    this.namespace?.on(event, handler);
  }

  toOtherReplicas(event: string, ...args: unknown[]): void {
    try {
      this.namespace?.serverSideEmit(event, ...args);
    } catch {
      // No adapter connection: the other replicas catch up from Redis on their next read.
    }
  }

  toRoom(roomId: string, event: string, payload: unknown): void {
    this.namespace?.to(roomId).emit(event, payload);
  }

  /** How many of this replica's sockets are in the room. */
  localMembers(roomId: string): number {
    return this.namespace?.adapter.rooms.get(roomId)?.size ?? 0;
  }

  state(roomId: string): RoomState | undefined {
    return this.states.get(roomId);
  }

  /** Keeps the newer of the cached and the given state; answers whether it was newer. */
  remember(state: RoomState): boolean {
    const known = this.states.get(state.id);
    if (known && known.version > state.version) return false;
    this.states.set(state.id, state);
    return true;
  }

  forget(roomId: string): void {
    this.states.delete(roomId);
  }

  /**
   * Forgets the rooms none of this replica's sockets is in: every replica hears every room's changes, and would
   * otherwise keep each room another replica serves (and closes) for as long as it runs.
   */
  sweep(): void {
    for (const roomId of this.states.keys()) if (this.localMembers(roomId) === 0) this.states.delete(roomId);
  }

  knownRooms(): RoomState[] {
    return [...this.states.values()];
  }
}
