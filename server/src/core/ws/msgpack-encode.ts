/**
 * MessagePack exactly as notepack.io 2 writes it (the encoder of `socket.io-msgpack-parser`, which the platform's
 * clients use), byte for byte: integers in their smallest form (beyond 32 bits as 64-bit integers), other numbers as
 * float 64, `undefined` as extension 0 of one byte, a Date as extension 0 of eight (ms since the epoch), a Buffer as
 * `bin`, any other ArrayBuffer or view as extension 0 of its whole underlying buffer, an object with `toJSON` as what
 * that returns, and a plain object's members that are not functions. It writes straight into a slab of memory shared
 * by consecutive messages (each one a view of its part, as msgpackr does) instead of collecting byte arrays and
 * deferred writes and copying them out.
 */
const SLAB_BYTES = 64 * 1024;
let out = Buffer.allocUnsafe(SLAB_BYTES);
/** Where the message being written starts in `out`, and the next byte. */
let start = 0;
let at = 0;

/** Strings up to this many UTF-16 units are measured and written in JavaScript; longer ones natively. */
const SHORT_STRING = 32;

export function encodeMessagePack(value: unknown): Buffer {
  // A new slab once this one runs low: earlier messages are views of it and keep it alive until they are sent.
  if (out.length - at < 2048) {
    out = Buffer.allocUnsafe(SLAB_BYTES);
    at = 0;
  }
  start = at;
  try {
    write(value);
  } catch (error) {
    at = start;
    throw error;
  }
  return out.subarray(start, at);
}

/** Makes room for `bytes` more: a larger slab, into which the message so far moves. */
function room(bytes: number): void {
  if (at + bytes <= out.length) return;
  const larger = Buffer.allocUnsafe(Math.max(SLAB_BYTES, 2 * (at - start + bytes)));
  out.copy(larger, 0, start, at);
  at -= start;
  start = 0;
  out = larger;
}

function write(value: unknown): void {
  switch (typeof value) {
    case 'string':
      return writeString(value);
    case 'number':
      return writeNumber(value);
    case 'boolean':
      room(1);
      out[at++] = value ? 0xc3 : 0xc2;
      return;
    case 'undefined':
      room(3);
      out[at++] = 0xd4;
      out[at++] = 0;
      out[at++] = 0;
      return;
    case 'object':
      return writeObject(value);
    default:
      throw new Error('Could not encode');
  }
}

/**
 * A length as MessagePack writes those of strings, arrays, maps, `bin` and `ext`: within the `fix` code below
 * `fixLimit`, else after `code8` (if any: -1 is none), `code16` or `code32` in 8, 16 or 32 bits.
 */
function writeLength(length: number, fix: number, fixLimit: number, code8: number, code16: number, code32: number): void {
  room(5);
  if (length < fixLimit) {
    out[at++] = fix | length;
  } else if (code8 >= 0 && length < 0x100) {
    out[at++] = code8;
    out[at++] = length;
  } else if (length < 0x10000) {
    out[at++] = code16;
    out[at++] = length >> 8;
    out[at++] = length & 0xff;
  } else {
    out[at++] = code32;
    out.writeUInt32BE(length, at);
    at += 4;
  }
}

function writeString(value: string): void {
  const units = value.length;
  if (units < 0x20 && writeShortAscii(value, units)) return;
  const short = units <= SHORT_STRING;
  const length = short ? utf8Length(value) : Buffer.byteLength(value);
  if (length >= 0x100000000) throw new Error('String too long');
  writeLength(length, 0xa0, 0x20, 0xd9, 0xda, 0xdb);
  room(length);
  if (short) utf8Write(value);
  else at += out.write(value, at, length, 'utf8');
}

/** Most keys and values: fewer than 32 ASCII characters, written in one pass (false, and nothing kept, otherwise). */
function writeShortAscii(value: string, units: number): boolean {
  room(units + 1);
  let i = 0;
  const first = at + 1;
  for (; i < units; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x80) return false;
    out[first + i] = c;
  }
  out[at] = 0xa0 | units;
  at = first + units;
  return true;
}

function utf8Length(value: string): number {
  let length = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) length += 1;
    else if (c < 0x800) length += 2;
    else if (c < 0xd800 || c >= 0xe000) length += 3;
    else {
      i++;
      length += 4;
    }
  }
  return length;
}

/** notepack's own loop, lone surrogates included, so that the length written above holds. */
function utf8Write(value: string): void {
  for (let i = 0; i < value.length; i++) {
    let c = value.charCodeAt(i);
    if (c < 0x80) {
      out[at++] = c;
    } else if (c < 0x800) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 0x3f);
    } else if (c < 0xd800 || c >= 0xe000) {
      out[at++] = 0xe0 | (c >> 12);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    } else {
      i++;
      c = 0x10000 + (((c & 0x3ff) << 10) | (value.charCodeAt(i) & 0x3ff));
      out[at++] = 0xf0 | (c >> 18);
      out[at++] = 0x80 | ((c >> 12) & 0x3f);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    }
  }
}

function writeNumber(value: number): void {
  room(9);
  if (Math.floor(value) !== value || !Number.isFinite(value)) {
    out[at++] = 0xcb;
    out.writeDoubleBE(value, at);
    at += 8;
  } else if (value >= 0) {
    if (value < 0x80) out[at++] = value;
    else if (value < 0x100) {
      out[at++] = 0xcc;
      out[at++] = value;
    } else if (value < 0x10000) {
      out[at++] = 0xcd;
      out.writeUInt16BE(value, at);
      at += 2;
    } else if (value < 0x100000000) {
      out[at++] = 0xce;
      out.writeUInt32BE(value, at);
      at += 4;
    } else {
      out[at++] = 0xcf;
      writeInt64((value / 2 ** 32) >> 0, value >>> 0);
    }
  } else if (value >= -0x20) {
    out[at++] = value & 0xff;
  } else if (value >= -0x80) {
    out[at++] = 0xd0;
    out[at++] = value & 0xff;
  } else if (value >= -0x8000) {
    out[at++] = 0xd1;
    out.writeInt16BE(value, at);
    at += 2;
  } else if (value >= -0x80000000) {
    out[at++] = 0xd2;
    out.writeInt32BE(value, at);
    at += 4;
  } else {
    out[at++] = 0xd3;
    writeInt64(Math.floor(value / 2 ** 32), value >>> 0);
  }
}

/** Two 32-bit halves as notepack writes them (bytes of the JavaScript integers, wrapped as `>>` wraps them). */
function writeInt64(hi: number, lo: number): void {
  out.writeInt32BE(hi | 0, at);
  out.writeUInt32BE(lo >>> 0, at + 4);
  at += 8;
}

function writeObject(value: object | null): void {
  if (value === null) {
    room(1);
    out[at++] = 0xc0;
    return;
  }
  if (Array.isArray(value)) {
    if (value.length >= 0x100000000) throw new Error('Array too large');
    writeLength(value.length, 0x90, 0x10, -1, 0xdc, 0xdd);
    for (let i = 0; i < value.length; i++) write(value[i]);
    return;
  }
  if (value instanceof Date) {
    room(9);
    out[at++] = 0xd7;
    out[at++] = 0;
    const time = value.getTime();
    writeInt64(Math.floor(time / 2 ** 32), time >>> 0);
    return;
  }
  if (Buffer.isBuffer(value)) {
    if (value.length >= 0x100000000) throw new Error('Buffer too large');
    writeLength(value.length, 0, 0, 0xc4, 0xc5, 0xc6);
    room(value.length);
    at += value.copy(out, at);
    return;
  }
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    const buffer = ArrayBuffer.isView(value) ? value.buffer : value;
    const length = buffer.byteLength;
    if (length >= 0x100000000) throw new Error('ArrayBuffer too large');
    writeLength(length, 0, 0, 0xc7, 0xc8, 0xc9);
    room(length + 1);
    out[at++] = 0;
    out.set(new Uint8Array(buffer), at);
    at += length;
    return;
  }
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return write((json as () => unknown).call(value));
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let count = 0;
  for (const key of keys) if (typeof record[key] !== 'function') count++;
  writeLength(count, 0x80, 0x10, -1, 0xde, 0xdf);
  for (const key of keys) {
    const member = record[key];
    if (typeof member === 'function') continue;
    writeString(key);
    write(member);
  }
}
