import { Packr } from 'msgpackr';
import reference from 'socket.io-msgpack-parser';
import { msgpackParser } from './msgpack-parser';

/** What the clients' parser (socket.io-msgpack-parser) encodes. */
const encodeAsClient = (packet: unknown) => (new reference.Encoder().encode(packet) as unknown as Buffer[])[0];

function decode(chunk: unknown): unknown {
  const decoder = new msgpackParser.Decoder();
  let decoded: unknown;
  decoder.on('decoded', (packet) => (decoded = packet));
  decoder.add(chunk);
  return decoded;
}

const note = { memberId: 'm-0123456789abcdef', type: 'on', pitch: 64, velocity: 90, time: 1764499200123.456, channel: 9 };
const packets = {
  note: { type: 2, nsp: '/ensemble', data: ['note', note] },
  ack: {
    type: 3,
    nsp: '/ensemble',
    id: 17,
    data: [{ ok: true, room: { id: 'r', tempo: 120, members: [{ id: 'a', name: 'Ada 李', instrument: 0, role: 'player' }] } }],
  },
  error: { type: 3, nsp: '/ensemble', id: 4, data: [{ ok: false, error: { status: 422, title: 'Unprocessable', detail: 'pitch must be 0–127 🎹' } }] },
  connect: { type: 0, nsp: '/ensemble', data: { sid: 'abc' } },
  connectError: { type: 4, nsp: '/ensemble', data: { message: 'Unauthorized' } },
  numbers: { type: 2, nsp: '/', data: ['n', -1, -200, 70000, -70000, 2 ** 31, 0.5, -0.25, 1e15 + 0.5] },
  long: { type: 2, nsp: '/', data: ['s', 'x'.repeat(70_000), Array.from({ length: 40 }, (_, i) => i)] },
  date: { type: 2, nsp: '/', data: ['d', new Date(1764499200123)] },
};

describe('msgpackParser', () => {
  it.each(Object.entries(packets))('encodes a %s packet byte for byte as socket.io-msgpack-parser does', (_name, packet) => {
    expect(new msgpackParser.Encoder().encode(packet)[0]).toEqual(encodeAsClient(packet));
  });

  // Not compared: a lone surrogate in a string of 33 bytes or more, where notepack counts one length and writes another.
  it('writes every other kind of value as the clients do, byte for byte', () => {
    const view = new Uint16Array(new ArrayBuffer(8), 2, 1);
    const values = [
      { ok: true, room: undefined, code: 'ABC', skip: () => 1, at: { toJSON: () => 'then' } },
      [-33, -128, -129, -32768, -32769, 2 ** 31, -(2 ** 31) - 1, 2 ** 40 + 7, -(2 ** 40) - 7, 2 ** 53, -0, NaN, Infinity],
      ['é€😀'.repeat(3), 'é€😀'.repeat(40), 'x'.repeat(31), 'x'.repeat(32), 'x'.repeat(255), 'x'.repeat(256), 'lone \ud800', 'lone \ud800'.repeat(9)],
      [new ArrayBuffer(3), view, Buffer.alloc(300, 7), new Date(-1), new Date(NaN), new Map([[1, 2]])],
      Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, Array.from({ length: i }, () => i)])),
    ];
    for (const value of values)
      expect(new msgpackParser.Encoder().encode({ type: 2, nsp: '/', data: ['v', value] })[0]).toEqual(
        encodeAsClient({ type: 2, nsp: '/', data: ['v', value] }),
      );
  });

  it('writes random payloads as the clients do, byte for byte', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const leaf = () =>
      [
        () => Math.floor((random() - 0.5) * 2 ** (random() * 60)),
        () => random() * 1e6,
        () => ['a', 'b€', '😀', ''][Math.floor(random() * 4)].repeat(Math.floor(random() * 20)),
        () => random() < 0.5,
        () => null,
        () => undefined,
      ][Math.floor(random() * 6)]();
    const tree = (depth: number): unknown => {
      if (depth === 0 || random() < 0.3) return leaf();
      const size = Math.floor(random() * 12);
      return random() < 0.5
        ? Array.from({ length: size }, () => tree(depth - 1))
        : Object.fromEntries(Array.from({ length: size }, (_, i) => [`key${i}${'é'.repeat(i % 3)}`, tree(depth - 1)]));
    };
    for (let i = 0; i < 300; i++) {
      const packet = { type: 2, nsp: '/ensemble', data: ['random', tree(3)] };
      const [ours, theirs] = [new msgpackParser.Encoder().encode(packet)[0], encodeAsClient(packet)];
      if (!ours.equals(theirs)) expect(ours).toEqual(theirs);
    }
  });

  it('decodes what the clients send, binary and 64-bit integers included', () => {
    for (const packet of Object.values(packets)) expect(decode(encodeAsClient(packet))).toEqual(packet);
    const binary = { type: 2, nsp: '/', data: ['b', Buffer.from([1, 2, 3]), 2 ** 40, -(2 ** 40), undefined, new Uint8Array([4, 5]).buffer] };
    expect(decode(encodeAsClient(binary))).toEqual(binary);
  });

  it("keeps one sender's msgpackr record definitions out of the next message (pitch 64 stays a number)", () => {
    const withRecords = new Packr({ useRecords: true }).pack({ type: 2, nsp: '/ensemble', data: ['note', { pitch: 1 }] });
    expect(withRecords.includes(0x72)).toBe(true);
    decode(withRecords);
    expect(decode(encodeAsClient(packets.note))).toEqual(packets.note);
  });

  it('refuses what socket.io-msgpack-parser refuses (Socket.IO then closes only that connection)', () => {
    const refused = [
      [{ type: 7, nsp: '/', data: [] }, 'invalid packet type'],
      [{ type: 2, data: ['note'] }, 'invalid namespace'],
      [{ type: 2, nsp: '/', data: { event: 'note' } }, 'invalid payload'],
      [{ type: 1, nsp: '/', data: ['x'] }, 'invalid payload'],
      [{ type: 0, nsp: '/', data: 'hello' }, 'invalid payload'],
      [{ type: 2, nsp: '/', id: 1.5, data: ['note'] }, 'invalid packet id'],
      ['just a string', 'invalid packet type'],
    ] as const;
    for (const [packet, message] of refused) expect(() => decode(encodeAsClient(packet))).toThrow(message);
    expect(() => decode('42["note",{}]')).toThrow('invalid payload');
    expect(() => decode(Buffer.from([0xc1]))).toThrow();
    // Lengths of 4 GiB declared in a few bytes: refused at once, nothing allocated for them.
    for (const bytes of [
      [0xdd, 0xff, 0xff, 0xff, 0xff],
      [0xdf, 0xff, 0xff, 0xff, 0xff],
      [0xdb, 0xff, 0xff, 0xff, 0xff, 0x41],
      [0xc6, 0xff, 0xff, 0xff, 0xff],
    ]) {
      expect(() => decode(Buffer.from(bytes))).toThrow(/Unexpected end/);
    }
  });
});
