import { EventEmitter } from 'node:events';
import { addExtension, Unpackr } from 'msgpackr';
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

export class Decoder extends EventEmitter<{ decoded: [packet: Packet] }> {
  add(chunk: unknown): void {
    if (!(chunk instanceof Uint8Array)) throw new Error('invalid payload');
    const packet = unpackr.unpack(chunk) as Packet;
    checkPacket(packet);
    this.emit('decoded', packet);
  }

  destroy(): void {}
}

/**
 * The server's Socket.IO parser: the wire format of `socket.io-msgpack-parser` (clients keep using that package, whose
 * packet checks it repeats), encoded without building byte arrays and decoded by msgpackr: a note in about half of
 * notepack's time each way.
 */
export const msgpackParser = { Encoder, Decoder };
