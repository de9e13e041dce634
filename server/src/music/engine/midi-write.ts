import { keySignatureAccidentals, isMinorFamily } from './theory';
import { Composition, ModeName, TempoChange } from './types';

/** Ticks per quarter note in the files we write. */
export const PPQ = 480;

class ByteSink {
  private readonly bytes: number[] = [];
  push(...values: number[]): void {
    for (const v of values) this.bytes.push(v & 0xff);
  }
  u16(v: number): void {
    this.push(v >> 8, v);
  }
  u32(v: number): void {
    this.push(v >>> 24, v >>> 16, v >>> 8, v);
  }
  ascii(s: string): void {
    for (const b of Buffer.from(s, 'latin1')) this.push(b);
  }
  bytesOf(): number[] {
    return this.bytes;
  }
}

/** MIDI variable-length quantity (7 bits per byte, high bit = continuation). */
export function encodeVarLen(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0x0fffffff) throw new RangeError(`VLQ out of range: ${value}`);
  const out = [value & 0x7f];
  let v = value >>> 7;
  while (v > 0) {
    out.unshift((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  return out;
}

interface TimedEvent {
  tick: number;
  order: number;
  data: number[];
}

function trackChunk(events: TimedEvent[]): number[] {
  events.sort((a, b) => a.tick - b.tick || a.order - b.order);
  const body: number[] = [];
  let last = 0;
  for (const e of events) {
    body.push(...encodeVarLen(e.tick - last), ...e.data);
    last = e.tick;
  }
  body.push(0x00, 0xff, 0x2f, 0x00); // end of track
  const sink = new ByteSink();
  sink.ascii('MTrk');
  sink.u32(body.length);
  const out = sink.bytesOf();
  for (const b of body) out.push(b);
  return out;
}

function metaText(type: number, text: string): number[] {
  const bytes = [...Buffer.from(text, 'utf8')];
  return [0xff, type, ...encodeVarLen(bytes.length), ...bytes];
}

/** Seconds → ticks through a tempo map whose changes are sorted and start at 0 s. */
function secondsToTicks(changes: readonly TempoChange[]): (sec: number) => number {
  const startTicks: number[] = [0];
  for (let i = 1; i < changes.length; i++) {
    const previous = changes[i - 1];
    startTicks.push(startTicks[i - 1] + ((changes[i].startSec - previous.startSec) * previous.tempo * PPQ) / 60);
  }
  return (sec: number) => {
    let i = changes.length - 1;
    while (i > 0 && changes[i].startSec > sec) i--;
    return Math.max(0, Math.round(startTicks[i] + ((sec - changes[i].startSec) * changes[i].tempo * PPQ) / 60));
  };
}

const tempoEvent = (tempo: number): number[] => {
  const usPerQuarter = Math.round(60_000_000 / tempo);
  return [0xff, 0x51, 0x03, usPerQuarter >> 16, usPerQuarter >> 8, usPerQuarter];
};
const meterEvent = ([beats, unit]: [number, number]): number[] => [0xff, 0x58, 0x04, beats, Math.log2(unit), 24, 8];
const keyEvent = ({ tonic, mode }: { tonic: number; mode: ModeName }): number[] => [
  0xff,
  0x59,
  0x02,
  keySignatureAccidentals(tonic, mode) & 0xff,
  isMinorFamily(mode) ? 1 : 0,
];

/**
 * Standard MIDI File (format 1): a conductor track with tempo, meter and key (and their changes, so a piece whose
 * sections change tempo keeps its bar lines in a notation program), then one track per part.
 */
export function toMidi(composition: Composition): Uint8Array {
  const { tempo, meter, plan, tracks, notes } = composition;
  const changes: TempoChange[] = composition.tempoChanges?.length
    ? composition.tempoChanges
    : [{ startSec: 0, tempo, meter, key: { tonic: plan.tonic, mode: plan.mode } }];
  const secToTick = secondsToTicks(changes);

  const conductor: TimedEvent[] = [{ tick: 0, order: 0, data: metaText(0x03, composition.title ?? `xiaoyu-ai ${plan.emotion} ${plan.key} ${plan.mode}`) }];
  for (const change of changes) {
    const tick = secToTick(change.startSec);
    conductor.push({ tick, order: 1, data: tempoEvent(change.tempo) });
    if (change.meter) conductor.push({ tick, order: 2, data: meterEvent(change.meter) });
    if (change.key) conductor.push({ tick, order: 3, data: keyEvent(change.key) });
  }
  const endTick = secToTick(composition.durationSec);
  const chunks: number[][] = [trackChunk(conductor)];

  for (const track of tracks) {
    const ch = track.channel & 0x0f;
    const events: TimedEvent[] = [{ tick: 0, order: 0, data: metaText(0x03, track.name) }];
    if (ch !== 9) events.push({ tick: 0, order: 1, data: [0xc0 | ch, track.program & 0x7f] });
    for (const n of notes) {
      if (n.track !== track.index) continue;
      const on = secToTick(n.startSec);
      const off = Math.max(on + 1, secToTick(n.startSec + n.durationSec));
      // Note-offs sort before note-ons at the same tick so repeated pitches retrigger cleanly.
      events.push({ tick: on, order: 3, data: [0x90 | ch, n.pitch & 0x7f, Math.max(1, Math.min(127, n.velocity))] });
      events.push({ tick: off, order: 2, data: [0x80 | ch, n.pitch & 0x7f, 0x40] });
    }
    // A final marker so every part ends together at the end of the last bar.
    const lastTick = events.reduce((m, e) => Math.max(m, e.tick), endTick);
    events.push({ tick: lastTick, order: 4, data: metaText(0x01, 'end') });
    chunks.push(trackChunk(events));
  }

  const header = new ByteSink();
  header.ascii('MThd');
  header.u32(6);
  header.u16(1);
  header.u16(chunks.length);
  header.u16(PPQ);
  const size = 14 + chunks.reduce((s, c) => s + c.length, 0);
  const file = new Uint8Array(size);
  file.set(header.bytesOf(), 0);
  let offset = 14;
  for (const c of chunks) {
    file.set(c, offset);
    offset += c.length;
  }
  return file;
}
