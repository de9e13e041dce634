import * as ws from 'ws';

/** `ws`'s frame builder: public since ws 2 (socket.io-adapter uses it the same way) but not in @types/ws. */
const { Sender } = ws as unknown as {
  Sender: { frame(data: Buffer, options: { readOnly: boolean; mask: boolean; rsv1: boolean; opcode: number; fin: boolean }): Buffer[] };
};

/** What a Socket.IO adapter hands Engine.IO with each broadcast packet (socket.io-adapter's `packetOpts`). */
interface PacketOptions {
  wsPreEncodedFrame?: Buffer[];
}

interface Encoding {
  _encode(packet: unknown, options: PacketOptions): unknown[];
}

/**
 * Frames each binary broadcast as a WebSocket message once, for all its recipients.
 *
 * socket.io-adapter computes the WebSocket frame of a broadcast once when the packet encodes to text (the default
 * parser) and Engine.IO then writes that frame to every recipient as it is; binary packets (the msgpack parser) get
 * no such frame, so Engine.IO encodes and `ws` frames the same bytes again for each member of the room. This gives a
 * binary broadcast its frame too: a binary WebSocket message (opcode 2, unmasked, uncompressed), byte for byte what
 * `ws` would build per recipient, in a single buffer. Engine.IO uses it only on WebSocket transports without
 * per-message deflate (the platform's; long-polling encodes per recipient as before), and every WebSocket client of
 * Engine.IO 4 receives binary.
 */
export function preEncodeBinaryFrames(adapter: object): void {
  const encoding = adapter as Encoding;
  const encode = encoding._encode.bind(adapter);
  encoding._encode = (packet, options) => {
    const encoded = encode(packet, options);
    const data = encoded[0];
    if (encoded.length === 1 && Buffer.isBuffer(data) && options.wsPreEncodedFrame === undefined) {
      // One buffer, header and payload: `ws` then makes one stream write of it per recipient instead of two.
      options.wsPreEncodedFrame = [Buffer.concat(Sender.frame(data, { readOnly: false, mask: false, rsv1: false, opcode: 2, fin: true }))];
    }
    return encoded;
  };
}
