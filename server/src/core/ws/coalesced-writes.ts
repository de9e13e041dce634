/** The parts of an Engine.IO transport the coalescer reads and writes (engine.io's WebSocket transport). */
interface EngineTransport {
  name: string;
  /** Engine.IO sends a connection's buffered packets only while this is true (false while a write is in flight). */
  writable: boolean;
  /** The `ws` WebSocket, and under it the TCP socket. */
  socket?: { _socket?: { cork(): void; uncork(): void } };
}

/** The parts of an Engine.IO connection the coalescer uses. */
export interface EngineConnection {
  readyState: string;
  transport: EngineTransport;
  flush(): void;
  on(event: 'packetCreate', listener: () => void): unknown;
}

/** The Engine.IO server: each new connection is announced with `connection`. */
export interface EngineServer {
  on(event: 'connection', listener: (connection: EngineConnection) => void): unknown;
}

/**
 * Sends each WebSocket connection the frames it is given within one turn of the event loop in one socket write.
 *
 * Stock Engine.IO writes every packet the moment it is emitted while the transport is writable: a member of a busy
 * room gets one `writev` system call per note (the largest single cost of relaying: about half of a replica's CPU),
 * and the accompanist's chord of eight notes to six members is 48 of them. Here the first packet of a turn marks the
 * connection's transport not writable, so Engine.IO keeps that turn's packets in its own buffer; once the turn's
 * I/O callbacks have run (`setImmediate`), each held connection is flushed as one batch with its TCP socket corked:
 * one write per member per turn. A packet waits at most for the rest of the turn in which it was emitted (the other
 * events already read), never for a timer. Packets on a transport that is not writable anyway (a write in flight)
 * or not a WebSocket (long-polling) are left to Engine.IO as before. Volatile emits, which Engine.IO drops while the
 * transport is not writable, are not used on these connections.
 */
export class CoalescedWrites {
  private held = new Map<EngineConnection, EngineTransport>();
  /** The map the previous turn flushed, emptied and kept for the next (nothing allocated per turn). */
  private spare = new Map<EngineConnection, EngineTransport>();
  private scheduled = false;

  /** Coalesces the writes of every connection the server accepts from now on. */
  attach(engine: EngineServer): void {
    engine.on('connection', (connection) => {
      connection.on('packetCreate', () => this.hold(connection));
    });
  }

  private hold(connection: EngineConnection): void {
    const transport = connection.transport;
    if (transport.name !== 'websocket' || !transport.writable || this.held.has(connection)) return;
    transport.writable = false;
    this.held.set(connection, transport);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.release);
    }
  }

  private readonly release = (): void => {
    this.scheduled = false;
    // Packets emitted while flushing belong to the next turn: they go to the other map.
    const held = this.held;
    this.held = this.spare;
    held.forEach(this.flush);
    held.clear();
    this.spare = held;
  };

  private readonly flush = (transport: EngineTransport, connection: EngineConnection): void => {
    transport.writable = true;
    // A connection that closed, or moved to another transport, meanwhile has nothing of ours to send.
    if (connection.readyState === 'closed' || connection.transport !== transport) return;
    const tcp = transport.socket?._socket;
    tcp?.cork();
    connection.flush();
    tcp?.uncork();
  };
}
