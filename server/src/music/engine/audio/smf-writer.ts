/** A tiny Standard MIDI File writer: the render warm-up piece and the audio tests (independent of the composer's writer). */

/** One note: MIDI pitch, start and length in quarter notes. */
export interface SmfNote {
  pitch: number;
  startBeat: number;
  beats: number;
  velocity?: number;
  channel?: number;
  program?: number;
}

/** Format-0 SMF at 480 PPQ and the given tempo (BPM), with CC91 reverb send 40 on used channels. */
export function writeSmf(notes: SmfNote[], bpm = 120): Uint8Array {
  const ppq = 480;
  const events: { tick: number; bytes: number[] }[] = [];
  const usPerQuarter = Math.round(60_000_000 / bpm);
  events.push({ tick: 0, bytes: [0xff, 0x51, 0x03, (usPerQuarter >> 16) & 0xff, (usPerQuarter >> 8) & 0xff, usPerQuarter & 0xff] });
  const channels = new Map<number, number>();
  for (const n of notes) channels.set(n.channel ?? 0, n.program ?? 0);
  for (const [ch, program] of channels) {
    events.push({ tick: 0, bytes: [0xc0 | ch, program] });
    events.push({ tick: 0, bytes: [0xb0 | ch, 91, 40] });
  }
  for (const n of notes) {
    const ch = n.channel ?? 0;
    events.push({ tick: Math.round(n.startBeat * ppq), bytes: [0x90 | ch, n.pitch, n.velocity ?? 100] });
    events.push({ tick: Math.round((n.startBeat + n.beats) * ppq), bytes: [0x80 | ch, n.pitch, 0] });
  }
  events.sort((a, b) => a.tick - b.tick || (a.bytes[0] & 0xf0) - (b.bytes[0] & 0xf0));
  const track: number[] = [];
  let last = 0;
  for (const e of [...events, { tick: events.at(-1)?.tick ?? 0, bytes: [0xff, 0x2f, 0x00] }]) {
    track.push(...varLen(e.tick - last), ...e.bytes);
    last = e.tick;
  }
  const header = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, (ppq >> 8) & 0xff, ppq & 0xff];
  const len = track.length;
  return new Uint8Array([...header, 0x4d, 0x54, 0x72, 0x6b, (len >>> 24) & 0xff, (len >> 16) & 0xff, (len >> 8) & 0xff, len & 0xff, ...track]);
}

function varLen(value: number): number[] {
  const out = [value & 0x7f];
  let v = value >> 7;
  while (v > 0) {
    out.unshift((v & 0x7f) | 0x80);
    v >>= 7;
  }
  return out;
}

/** Two seconds touching piano, strings, bass, a pad, a lead and drums: run once per worker to JIT the render path. */
export const WARM_UP_MIDI: Uint8Array = writeSmf([
  { pitch: 60, startBeat: 0, beats: 2, program: 0 },
  { pitch: 64, startBeat: 0, beats: 2, channel: 1, program: 48 },
  { pitch: 40, startBeat: 0, beats: 2, channel: 2, program: 33 },
  { pitch: 67, startBeat: 1, beats: 2, channel: 3, program: 89 },
  { pitch: 72, startBeat: 2, beats: 1, channel: 4, program: 80 },
  { pitch: 36, startBeat: 0, beats: 0.5, channel: 9 },
  { pitch: 38, startBeat: 1, beats: 0.5, channel: 9 },
  { pitch: 42, startBeat: 2, beats: 0.5, channel: 9 },
]);
