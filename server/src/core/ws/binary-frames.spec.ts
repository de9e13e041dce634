import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import msgpackParser from 'socket.io-msgpack-parser';
import { preEncodeBinaryFrames } from './binary-frames';

type Encode = (packet: unknown, options: { wsPreEncodedFrame?: Buffer[] }) => unknown[];

describe('preEncodeBinaryFrames', () => {
  let http: HttpServer;
  let server: Server;
  let clients: ClientSocket[] = [];

  /** A server with the msgpack parser (frames pre-encoded or not), and `count` clients. */
  async function start(preEncode: boolean, count: number): Promise<{ frames: Buffer[][] }> {
    http = createServer();
    server = new Server(http, { parser: msgpackParser });
    const frames: Buffer[][] = [];
    const adapter = server.of('/').adapter as unknown as { _encode: Encode };
    if (preEncode) preEncodeBinaryFrames(adapter);
    const encode = adapter._encode.bind(adapter);
    adapter._encode = (packet, options) => {
      const encoded = encode(packet, options);
      if (options.wsPreEncodedFrame) frames.push(options.wsPreEncodedFrame);
      return encoded;
    };
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    clients = Array.from({ length: count }, () => io(url, { transports: ['websocket'], reconnection: false, parser: msgpackParser }));
    await Promise.all(clients.map((client) => new Promise<void>((resolve) => client.on('connect', resolve))));
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { frames };
  }

  const receive = (client: ClientSocket) => new Promise<unknown>((resolve) => client.once('note', resolve));

  afterEach(async () => {
    for (const client of clients) client.close();
    clients = [];
    await server?.close();
  });

  it('frames a binary broadcast once as an unmasked binary WebSocket message, and every member decodes it', async () => {
    const { frames } = await start(true, 3);
    const note = { memberId: 'm-1', type: 'on', pitch: 64, velocity: 90, time: 1764499200123.5, channel: 9 };
    const arrived = clients.map(receive);
    server.emit('note', note);
    expect(await Promise.all(arrived)).toEqual([note, note, note]);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toHaveLength(1); // header and payload in one buffer: one write per recipient
    const frame = frames[0][0];
    expect(frame[0]).toBe(0x82); // FIN, opcode 2 (binary)
    expect(frame[1]).toBe(frame.length - 2); // no mask bit; a short payload's length in the second byte
    const data = frame.subarray(2);
    const decoder = new msgpackParser.Decoder();
    const decoded = new Promise((resolve) => decoder.on('decoded', resolve));
    decoder.add(data);
    expect(await decoded).toEqual({ type: 2, nsp: '/', data: ['note', note] });
  });

  it('frames payloads above 125 bytes with an extended length, and delivers them whole', async () => {
    const { frames } = await start(true, 2);
    const state = { members: Array.from({ length: 20 }, (_, i) => ({ id: `member-${i}`, name: `Player ${i}`, instrument: i })) };
    const arrived = clients.map(receive);
    server.emit('note', state);
    expect(await Promise.all(arrived)).toEqual([state, state]);
    const frame = frames[0][0];
    expect(frame[1]).toBe(126);
    expect(frame.readUInt16BE(2)).toBe(frame.length - 4);
  });

  it('leaves binary broadcasts unframed without it (Socket.IO frames only text packets)', async () => {
    const { frames } = await start(false, 2);
    const arrived = clients.map(receive);
    server.emit('note', { pitch: 60 });
    expect(await Promise.all(arrived)).toEqual([{ pitch: 60 }, { pitch: 60 }]);
    expect(frames).toHaveLength(0);
  });
});
