/**
 * Splits a Standard MIDI File into two files that together play the same notes: every non-note
 * event (tempo, program, controllers, pitch bend, meta) goes to both, and each channel's notes are
 * dealt alternately to the half with less sounding time on that channel. Synthesis and reverb are
 * linear, so rendering both halves and summing equals one render, in about half the time on two
 * cores — even when one channel (a pad, say) carries most of the cost.
 */

interface RawEvent {
  tick: number;
  bytes: Uint8Array;
  /** For note events: 'on' | 'off', channel and pitch. */
  note?: { kind: 'on' | 'off'; channel: number; pitch: number };
}

interface ParsedTrack {
  events: RawEvent[];
}

/** One beat of release/reverb voice time is charged to each note when balancing. */
const RELEASE_BEATS = 1;

/** The two halves, or undefined when the bytes are not a well-formed SMF with at least two notes. */
export function splitMidiByNotes(midi: Uint8Array): [Uint8Array, Uint8Array] | undefined {
  const parsed = parseSmf(midi);
  if (!parsed) return undefined;
  const { header, tracks, ppq } = parsed;

  // Pair notes (FIFO per channel+pitch across the file) to know their lengths.
  const notes: { on: RawEvent; off?: RawEvent; channel: number }[] = [];
  const open = new Map<number, { on: RawEvent; off?: RawEvent; channel: number }[]>();
  const all = tracks.flatMap((t) => t.events).filter((e) => e.note);
  all.sort((a, b) => a.tick - b.tick || (a.note!.kind === 'off' ? -1 : 1));
  for (const e of all) {
    const key = e.note!.channel * 128 + e.note!.pitch;
    if (e.note!.kind === 'on') {
      const n = { on: e, channel: e.note!.channel };
      notes.push(n);
      const list = open.get(key) ?? [];
      list.push(n);
      open.set(key, list);
    } else {
      const n = open.get(key)?.shift();
      if (n) n.off = e;
    }
  }
  if (notes.length < 2) return undefined;

  const owner = new Map<RawEvent, 0 | 1>();
  const load = new Map<number, [number, number]>();
  for (const n of notes) {
    const l = load.get(n.channel) ?? [0, 0];
    const half: 0 | 1 = l[0] <= l[1] ? 0 : 1;
    l[half] += (n.off ? n.off.tick - n.on.tick : ppq) + RELEASE_BEATS * ppq;
    load.set(n.channel, l);
    owner.set(n.on, half);
    if (n.off) owner.set(n.off, half);
  }

  const write = (half: 0 | 1) =>
    writeSmf(
      header,
      tracks.map((t) => t.events.filter((e) => !e.note || (owner.get(e) ?? 0) === half)),
    );
  return [write(0), write(1)];
}

function parseSmf(midi: Uint8Array): { header: Uint8Array; tracks: ParsedTrack[]; ppq: number } | undefined {
  if (midi.length < 14 || ascii(midi, 0) !== 'MThd') return undefined;
  const view = new DataView(midi.buffer, midi.byteOffset, midi.byteLength);
  const headerLength = view.getUint32(4);
  const division = view.getUint16(12);
  if (division & 0x8000) return undefined; // SMPTE time: not produced by the composer
  const tracks: ParsedTrack[] = [];
  let offset = 8 + headerLength;
  while (offset + 8 <= midi.length) {
    const length = view.getUint32(offset + 4);
    const end = offset + 8 + length;
    if (end > midi.length) return undefined;
    if (ascii(midi, offset) === 'MTrk') {
      const events = parseTrack(midi, offset + 8, end);
      if (!events) return undefined;
      tracks.push({ events });
    }
    offset = end;
  }
  return { header: midi.slice(0, 8 + headerLength), tracks, ppq: division };
}

function parseTrack(midi: Uint8Array, start: number, end: number): RawEvent[] | undefined {
  const events: RawEvent[] = [];
  let p = start;
  let tick = 0;
  let status = 0;
  const varLen = (): number => {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      if (p >= end) return -1;
      const b = midi[p++];
      v = (v << 7) | (b & 0x7f);
      if (!(b & 0x80)) return v;
    }
    return -1;
  };
  while (p < end) {
    const delta = varLen();
    if (delta < 0 || p >= end) return delta < 0 ? undefined : events;
    tick += delta;
    const first = midi[p];
    if (first === 0xff) {
      const from = p;
      p += 2; // 0xff, type
      const length = varLen();
      if (length < 0 || p + length > end) return undefined;
      p += length;
      events.push({ tick, bytes: midi.slice(from, p) });
      continue;
    }
    if (first === 0xf0 || first === 0xf7) {
      const from = p;
      p += 1;
      const length = varLen();
      if (length < 0 || p + length > end) return undefined;
      p += length;
      events.push({ tick, bytes: midi.slice(from, p) });
      continue;
    }
    if (first & 0x80) {
      status = first;
      p++;
    }
    if (!status) return undefined;
    const type = status & 0xf0;
    const dataLength = type === 0xc0 || type === 0xd0 ? 1 : 2;
    if (p + dataLength > end) return undefined;
    const bytes = new Uint8Array(1 + dataLength);
    bytes[0] = status;
    bytes.set(midi.subarray(p, p + dataLength), 1);
    p += dataLength;
    const channel = status & 0x0f;
    let note: RawEvent['note'];
    if (type === 0x90 && bytes[2] > 0) note = { kind: 'on', channel, pitch: bytes[1] };
    else if (type === 0x80 || (type === 0x90 && bytes[2] === 0)) note = { kind: 'off', channel, pitch: bytes[1] };
    events.push({ tick, bytes, ...(note ? { note } : {}) });
  }
  return events;
}

function writeSmf(header: Uint8Array, tracks: RawEvent[][]): Uint8Array {
  const chunks: Uint8Array[] = [header];
  for (const events of tracks) {
    const body: number[] = [];
    let last = 0;
    for (const e of events) {
      body.push(...varLenBytes(e.tick - last));
      for (const b of e.bytes) body.push(b);
      last = e.tick;
    }
    const chunk = new Uint8Array(8 + body.length);
    chunk.set([0x4d, 0x54, 0x72, 0x6b], 0);
    new DataView(chunk.buffer).setUint32(4, body.length);
    chunk.set(body, 8);
    chunks.push(chunk);
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

function varLenBytes(value: number): number[] {
  const out = [value & 0x7f];
  let v = value >>> 7;
  while (v > 0) {
    out.unshift((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  return out;
}

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}
