import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import { CoalescedWrites } from './coalesced-writes';

/** The TCP socket under a server-side Socket.IO socket, and the number of writes made on it from now on. */
function countWrites(socket: ServerSocket): { writes: () => number } {
  const tcp = (socket.conn.transport as unknown as { socket: { _socket: Record<string, (...args: unknown[]) => unknown> } }).socket._socket;
  let writes = 0;
  for (const method of ['_write', '_writev']) {
    const original = tcp[method];
    tcp[method] = (...args: unknown[]) => {
      writes += 1;
      return original.apply(tcp, args);
    };
  }
  return { writes: () => writes };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescedWrites', () => {
  let http: HttpServer;
  let server: Server;
  let client: ClientSocket;

  async function start(coalesce: boolean): Promise<ServerSocket> {
    http = createServer();
    server = new Server(http);
    if (coalesce) new CoalescedWrites().attach(server.engine);
    const connected = new Promise<ServerSocket>((resolve) => server.on('connection', resolve));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    client = io(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'], reconnection: false });
    const socket = await connected;
    await turn();
    return socket;
  }

  function received(count: number): Promise<number[]> {
    const notes: number[] = [];
    return new Promise((resolve) =>
      client.on('note', (pitch: number) => {
        notes.push(pitch);
        if (notes.length === count) resolve(notes);
      }),
    );
  }

  afterEach(async () => {
    client?.close();
    await server?.close();
  });

  it('sends the packets a connection gets within one turn of the event loop in one socket write, in order', async () => {
    const socket = await start(true);
    const { writes } = countWrites(socket);
    const arrived = received(5);
    for (const pitch of [60, 62, 64, 65, 67]) socket.emit('note', pitch);
    expect(writes()).toBe(0);
    expect(await arrived).toEqual([60, 62, 64, 65, 67]);
    expect(writes()).toBe(1);
  });

  it('leaves stock Socket.IO writing once per packet (the cost it removes)', async () => {
    const socket = await start(false);
    const { writes } = countWrites(socket);
    const arrived = received(5);
    for (const pitch of [60, 62, 64, 65, 67]) socket.emit('note', pitch);
    await arrived;
    expect(writes()).toBe(5);
  });

  it('holds nothing past its turn: packets of later turns are sent in theirs', async () => {
    const socket = await start(true);
    const { writes } = countWrites(socket);
    const arrived = received(3);
    socket.emit('note', 60);
    await turn();
    expect(writes()).toBe(1);
    await turn();
    socket.emit('note', 62);
    socket.emit('note', 64);
    expect(await arrived).toEqual([60, 62, 64]);
    expect(writes()).toBe(2);
  });

  it('gives up quietly on a connection that closed while its packets were held', async () => {
    const socket = await start(true);
    socket.emit('note', 60);
    socket.disconnect(true);
    await turn();
    expect(socket.connected).toBe(false);
  });
});
