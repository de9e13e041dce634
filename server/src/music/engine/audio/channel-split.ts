/**
 * Splits the channels of a Standard MIDI File into two groups of similar synthesis cost, so two
 * render workers can each synthesize half the voices in parallel (mixing is linear, reverb included,
 * so the summed halves equal a single render).
 */

/** Estimated cost per MIDI channel 0–15: sounding voice-time in ticks, each note padded by its release. */
export function channelCosts(midi: Uint8Array): number[] {
  const costs = new Array<number>(16).fill(0);
  if (midi.length < 14 || String.fromCharCode(...midi.subarray(0, 4)) !== 'MThd') return costs;
  const view = new DataView(midi.buffer, midi.byteOffset, midi.byteLength);
  const division = view.getUint16(12);
  const ppq = division & 0x8000 ? 480 : division;
  const release = ppq; // about one beat of release/reverb voice time per note
  let offset = 8 + view.getUint32(4);
  while (offset + 8 <= midi.length) {
    const length = view.getUint32(offset + 4);
    const isTrack = String.fromCharCode(...midi.subarray(offset, offset + 4)) === 'MTrk';
    const end = Math.min(midi.length, offset + 8 + length);
    if (isTrack) scanTrack(midi, offset + 8, end, release, costs);
    offset = end;
  }
  return costs;
}

function scanTrack(midi: Uint8Array, start: number, end: number, release: number, costs: number[]): void {
  const open = new Map<number, number>(); // channel*128+pitch → start tick
  let p = start;
  let tick = 0;
  let status = 0;
  const readVarLen = () => {
    let v = 0;
    for (let i = 0; i < 4 && p < end; i++) {
      const b = midi[p++];
      v = (v << 7) | (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    return v;
  };
  while (p < end) {
    tick += readVarLen();
    if (p >= end) break;
    let byte = midi[p];
    if (byte & 0x80) {
      p++;
      if (byte === 0xff) {
        p++; // meta type
        const length = readVarLen(); // read first: `p += readVarLen()` would add to the stale p
        p += length;
        continue;
      }
      if (byte === 0xf0 || byte === 0xf7) {
        const length = readVarLen();
        p += length;
        continue;
      }
      status = byte;
      byte = midi[p];
    }
    const type = status & 0xf0;
    const channel = status & 0x0f;
    const data1 = midi[p];
    const data2 = type === 0xc0 || type === 0xd0 ? 0 : midi[p + 1];
    p += type === 0xc0 || type === 0xd0 ? 1 : 2;
    const key = channel * 128 + data1;
    if (type === 0x90 && data2 > 0) {
      open.set(key, tick);
    } else if (type === 0x80 || (type === 0x90 && data2 === 0)) {
      const from = open.get(key);
      if (from !== undefined) {
        costs[channel] += tick - from + release;
        open.delete(key);
      }
    }
  }
}

/** Greedy balanced partition of the sounding channels into two groups; undefined when splitting is pointless. */
export function splitChannels(costs: number[]): [number[], number[]] | undefined {
  const used = costs.map((cost, channel) => ({ cost, channel })).filter((c) => c.cost > 0).sort((a, b) => b.cost - a.cost);
  if (used.length < 2) return undefined;
  const groups: [number[], number[]] = [[], []];
  const load = [0, 0];
  for (const { cost, channel } of used) {
    const lighter = load[0] <= load[1] ? 0 : 1;
    groups[lighter].push(channel);
    load[lighter] += cost;
  }
  return groups;
}
