/** Minimal Standard MIDI File reader (formats 0 and 1, PPQ division): enough for tests and the evaluation corpora. */

export interface ParsedNote {
  track: number;
  channel: number;
  pitch: number;
  velocity: number;
  startTick: number;
  endTick: number;
  program: number;
}
export interface ParsedTrack {
  name: string;
  /** Whether the chunk ended with an End-of-Track meta event. */
  endOfTrack: boolean;
  eventCount: number;
  notes: ParsedNote[];
}
export interface ParsedMidi {
  format: number;
  ppq: number;
  tracks: ParsedTrack[];
  /** Microseconds per quarter note, by tick. */
  tempos: { tick: number; usPerQuarter: number }[];
  timeSignatures: { tick: number; numerator: number; denominator: number }[];
  keySignatures: { tick: number; accidentals: number; minor: boolean }[];
}

class Reader {
  pos = 0;
  constructor(
    private readonly b: Uint8Array,
    private readonly end = b.length,
  ) {}
  eof(): boolean {
    return this.pos >= this.end;
  }
  u8(): number {
    if (this.pos >= this.end) throw new RangeError('MIDI data ended unexpectedly');
    return this.b[this.pos++];
  }
  u16(): number {
    return (this.u8() << 8) | this.u8();
  }
  u32(): number {
    return ((this.u8() << 24) >>> 0) + (this.u8() << 16) + (this.u8() << 8) + this.u8();
  }
  varLen(): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const byte = this.u8();
      v = (v << 7) | (byte & 0x7f);
      if ((byte & 0x80) === 0) return v;
    }
    throw new RangeError('MIDI variable-length quantity longer than 4 bytes');
  }
  bytes(n: number): Uint8Array {
    if (this.pos + n > this.end) throw new RangeError('MIDI data ended unexpectedly');
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  ascii(n: number): string {
    return String.fromCharCode(...this.bytes(n));
  }
}

function parseTrack(data: Uint8Array, index: number, out: ParsedMidi): ParsedTrack {
  const r = new Reader(data);
  const track: ParsedTrack = { name: '', endOfTrack: false, eventCount: 0, notes: [] };
  const open = new Map<number, { tick: number; velocity: number }[]>();
  const programs = new Array<number>(16).fill(0);
  let tick = 0;
  let status = 0;
  const close = (ch: number, pitch: number) => {
    const stack = open.get(ch * 128 + pitch);
    const start = stack?.shift();
    if (start) track.notes.push({ track: index, channel: ch, pitch, velocity: start.velocity, startTick: start.tick, endTick: tick, program: programs[ch] });
  };
  while (!r.eof()) {
    tick += r.varLen();
    let byte = r.u8();
    if (byte < 0x80) {
      if (status === 0) throw new RangeError('MIDI running status without a previous status byte');
      r.pos--;
      byte = status;
    }
    track.eventCount++;
    if (byte === 0xff) {
      const type = r.u8();
      const len = r.varLen();
      const payload = r.bytes(len);
      if (type === 0x03 && !track.name) track.name = Buffer.from(payload).toString('utf8');
      else if (type === 0x51 && len === 3) out.tempos.push({ tick, usPerQuarter: (payload[0] << 16) | (payload[1] << 8) | payload[2] });
      else if (type === 0x58 && len >= 2) out.timeSignatures.push({ tick, numerator: payload[0], denominator: 2 ** payload[1] });
      else if (type === 0x59 && len === 2) out.keySignatures.push({ tick, accidentals: (payload[0] << 24) >> 24, minor: payload[1] === 1 });
      else if (type === 0x2f) {
        track.endOfTrack = true;
        break;
      }
      continue;
    }
    if (byte === 0xf0 || byte === 0xf7) {
      r.bytes(r.varLen());
      continue;
    }
    status = byte;
    const kind = byte & 0xf0;
    const ch = byte & 0x0f;
    const a = r.u8();
    const b = kind === 0xc0 || kind === 0xd0 ? 0 : r.u8();
    if (kind === 0x90 && b > 0) {
      const key = ch * 128 + a;
      if (!open.has(key)) open.set(key, []);
      open.get(key)!.push({ tick, velocity: b });
    } else if (kind === 0x80 || (kind === 0x90 && b === 0)) {
      close(ch, a);
    } else if (kind === 0xc0) {
      programs[ch] = a;
    }
  }
  for (const [key, stack] of open)
    for (const s of stack) {
      track.notes.push({
        track: index,
        channel: Math.floor(key / 128),
        pitch: key % 128,
        velocity: s.velocity,
        startTick: s.tick,
        endTick: tick,
        program: programs[Math.floor(key / 128)],
      });
    }
  track.notes.sort((x, y) => x.startTick - y.startTick || x.pitch - y.pitch);
  return track;
}

/** Parses SMF bytes; throws RangeError on malformed data or SMPTE time division. */
export function parseMidi(bytes: Uint8Array): ParsedMidi {
  const r = new Reader(bytes);
  if (r.ascii(4) !== 'MThd') throw new RangeError('not a Standard MIDI File: missing MThd header');
  const headerLen = r.u32();
  const format = r.u16();
  const ntracks = r.u16();
  const division = r.u16();
  if (division & 0x8000) throw new RangeError('SMPTE time division is not supported');
  r.pos = 8 + headerLen;
  const out: ParsedMidi = { format, ppq: division, tracks: [], tempos: [], timeSignatures: [], keySignatures: [] };
  for (let i = 0; i < ntracks && !r.eof(); i++) {
    const id = r.ascii(4);
    const len = r.u32();
    const data = r.bytes(len);
    if (id !== 'MTrk') {
      i--;
      continue;
    }
    out.tracks.push(parseTrack(data, out.tracks.length, out));
  }
  out.tempos.sort((a, b) => a.tick - b.tick);
  return out;
}

/** Seconds at a tick, honouring tempo changes (default 120 BPM). */
export function tickToSeconds(midi: ParsedMidi, tick: number): number {
  let sec = 0;
  let lastTick = 0;
  let us = 500000;
  for (const t of midi.tempos) {
    if (t.tick >= tick) break;
    sec += ((t.tick - lastTick) * us) / midi.ppq / 1e6;
    lastTick = t.tick;
    us = t.usPerQuarter;
  }
  return sec + ((tick - lastTick) * us) / midi.ppq / 1e6;
}
