import { EventEmitter } from 'node:events';
import { addExtension, Unpackr } from 'msgpackr';
import { Decoder as TextDecoder, Encoder as TextEncoder } from 'socket.io-parser';
import { encodeMessagePack } from './msgpack-encode';

/** Socket.IO packet types (socket.io-protocol v5). */
const CONNECT = 0;
const DISCONNECT = 1;
const CONNECT_ERROR = 4;

interface Packet {
  type: number;
  nsp: string;
  data?: unknown;
  id?: number;
}

/**
 * Decodes MessagePack with msgpackr (about twice as fast as notepack.io): 64-bit integers as numbers, never BigInt.
 * Extension type 0 is read as `socket.io-msgpack-parser`'s notepack.io 2 writes it: one byte is `undefined` (msgpackr's
 * default too), eight a Date (ms since the epoch), any other length an ArrayBuffer. msgpackr keeps extensions for the
 * whole process; nothing else here unpacks MessagePack (BullMQ only packs).
 */
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });
addExtension({
  type: 0,
  unpack: (data: Buffer) =>
    data.length === 1 ? undefined : data.length === 8 ? new Date(data.readInt32BE(0) * 2 ** 32 + data.readUInt32BE(4)) : new Uint8Array(data).buffer,
});

const isObject = (value: unknown) => Object.prototype.toString.call(value) === '[object Object]';

function isDataValid(packet: Packet): boolean {
  switch (packet.type) {
    case CONNECT:
      return packet.data === undefined || isObject(packet.data);
    case DISCONNECT:
      return packet.data === undefined;
    case CONNECT_ERROR:
      return typeof packet.data === 'string' || isObject(packet.data);
    default:
      return Array.isArray(packet.data);
  }
}

/** The checks of `socket.io-msgpack-parser`: a packet that fails one closes the sender's connection (Socket.IO's rule). */
function checkPacket(packet: Packet): void {
  if (!Number.isInteger(packet?.type) || packet.type < CONNECT || packet.type > CONNECT_ERROR) throw new Error('invalid packet type');
  if (typeof packet.nsp !== 'string') throw new Error('invalid namespace');
  if (!isDataValid(packet)) throw new Error('invalid payload');
  if (packet.id !== undefined && !Number.isInteger(packet.id)) throw new Error('invalid packet id');
}

export class Encoder {
  encode(packet: Packet): Buffer[] {
    return [encodeMessagePack(packet)];
  }
}

/**
 * Reads MessagePack packets, or, from a client on Socket.IO's default parser (whose packets are text), text packets
 * with that parser's own decoder: `text` is then set, and `textClients` answers that connection in text too.
 */
export class Decoder extends EventEmitter<{ decoded: [packet: Packet] }> {
  private textDecoder?: TextDecoder;

  get text(): boolean {
    return this.textDecoder !== undefined;
  }

  add(chunk: unknown): void {
    if (typeof chunk === 'string' || this.textDecoder) {
      if (!this.textDecoder) {
        this.textDecoder = new TextDecoder();
        this.textDecoder.on('decoded', (packet: Packet) => this.emit('decoded', packet));
      }
      this.textDecoder.add(chunk);
      return;
    }
    if (!(chunk instanceof Uint8Array)) throw new Error('invalid payload');
    const packet = unpackr.unpack(chunk) as Packet;
    checkPacket(packet);
    this.emit('decoded', packet);
  }

  destroy(): void {
    this.textDecoder?.destroy();
  }
}

/** The parts of a Socket.IO client (one connection) that `textClients` uses. */
interface EngineClient {
  decoder: unknown;
  writeToEngine(encoded: unknown, options: { wsPreEncodedFrame?: unknown }): void;
}

const textEncoder = new TextEncoder();

/** Re-encodes MessagePack packets (every emit and broadcast is encoded so, once for all recipients) as text packets. */
function asText(encoded: unknown): unknown[] {
  return (Array.isArray(encoded) ? encoded : [encoded]).flatMap((chunk: unknown) =>
    chunk instanceof Uint8Array ? (textEncoder.encode(unpackr.unpack(chunk) as Packet) as unknown[]) : [chunk],
  );
}

/**
 * Namespace middleware that lets clients on Socket.IO's default parser play too: a connection whose packets arrive as
 * text is written to in text (its packets decoded from the MessagePack every broadcast is encoded in, and without the
 * broadcast's pre-built binary frame). Registered before any other middleware, so that a refused handshake is
 * answered in the client's format as well. MessagePack clients pay nothing.
 */
export function textClients(socket: { client: unknown }, next: () => void): void {
  const client = socket.client as EngineClient;
  if (client.decoder instanceof Decoder && client.decoder.text && !Object.prototype.hasOwnProperty.call(client, 'writeToEngine')) {
    const write = client.writeToEngine.bind(client);
    client.writeToEngine = (encoded, options) => write(asText(encoded), options.wsPreEncodedFrame ? { ...options, wsPreEncodedFrame: undefined } : options);
  }
  next();
}

/**
 * The server's Socket.IO parser: the wire format of `socket.io-msgpack-parser` (clients keep using that package, whose
 * packet checks it repeats), encoded without building byte arrays and decoded by msgpackr: a note in about half of
 * notepack's time each way.
 */
export const msgpackParser = { Encoder, Decoder };
