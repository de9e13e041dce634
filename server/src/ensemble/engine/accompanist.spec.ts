import { Accompanist, AccompanistNote, AccompanistOptions } from './accompanist';
import { leadVoicing } from './comping';
import { Timeline } from './shared-clock';
import { EnsembleNote } from './types';
import { parallelViolations } from '../../music/engine/voicing';
import { GM_DRUM } from '../../music/engine/drums';

const BEAT = 500; // 120 BPM
const room = () => Timeline.create(120, 4, 0);

/** Note on/off events for [pitch, startMs, durationMs] triples. */
function notes(triples: [number, number, number][], memberId = 'p1'): EnsembleNote[] {
  return triples.flatMap(([pitch, start, dur]): EnsembleNote[] => [
    { type: 'on', pitch, velocity: 90, time: start, memberId },
    { type: 'off', pitch, velocity: 0, time: start + dur, memberId },
  ]);
}

/** Block chords, one per bar (2000 ms), from `from`. */
const bars = (chords: number[][], from = 0) => notes(chords.flatMap((c, i) => c.map((p): [number, number, number] => [p, from + i * 2000, 1900])));

interface Call {
  now: number;
  out: AccompanistNote[];
}

/** Runs the server's loop: events are heard when due, `schedule` runs after each event and every `tickMs`. */
function run(
  options: Partial<AccompanistOptions>,
  events: EnsembleNote[],
  untilMs: number,
  tickMs = 10,
): { acc: Accompanist; calls: Call[]; out: AccompanistNote[] } {
  const acc = new Accompanist({ timeline: room(), ...options });
  const queue = [...events].sort((a, b) => a.time - b.time);
  const calls: Call[] = [];
  let i = 0;
  for (let now = 0; now <= untilMs; now += tickMs) {
    while (i < queue.length && queue[i].time <= now) acc.hear(queue[i++]);
    calls.push({ now, out: acc.schedule(now) });
  }
  return { acc, calls, out: calls.flatMap((c) => c.out) };
}

const ons = (out: AccompanistNote[]) => out.filter((n) => n.type === 'on');

describe('Accompanist: accompany', () => {
  const progression = bars([
    [48, 52, 55, 60], // C
    [48, 52, 55, 60],
    [43, 47, 50, 55], // G
    [43, 47, 50, 55],
    [45, 48, 52, 57], // Am
    [45, 48, 52, 57],
  ]);

  it('comes in within a beat of the first note and plays ahead of time', () => {
    const { calls } = run({ style: 'pop' }, progression, 12_000);
    const first = ons(calls.flatMap((c) => c.out))[0];
    expect(first.time).toBeGreaterThanOrEqual(50); // never before the lead time
    expect(first.time).toBeLessThanOrEqual(BEAT);
    for (const c of calls) for (const n of ons(c.out)) expect(n.time).toBeGreaterThanOrEqual(c.now);
  });

  it('plays the chord it hears: bass roots and chord tones of C, then G, then A minor', () => {
    const { out } = run({ style: 'pop' }, progression, 12_000);
    // Windows open 50 ms early: onsets carry a few milliseconds of humanising jitter around the beat.
    const during = (from: number, to: number, part: string) => ons(out).filter((n) => n.part === part && n.time >= from - 50 && n.time < to - 50);
    // Each chord is judged from its second bar on (the accompanist decides one beat ahead, so a change lands a beat late).
    const windows: [number, number, number[]][] = [
      [2000, 4000, [0, 4, 7]],
      [6000, 8000, [7, 11, 2]],
      [10_000, 12_000, [9, 0, 4]],
    ];
    for (const [from, to, triad] of windows) {
      const chordNotes = during(from, to, 'chords');
      const bass = during(from, to, 'bass');
      expect(chordNotes.length).toBeGreaterThan(3);
      expect(bass.length).toBeGreaterThan(0);
      for (const n of chordNotes) expect(triad).toContain(n.pitch % 12);
      expect(bass.some((n) => n.pitch % 12 === triad[0])).toBe(true);
      for (const n of bass) expect(triad).toContain(n.pitch % 12);
    }
  });

  it('releases every note it starts, after starting it', () => {
    const { out } = run({ style: 'ballad' }, progression, 16_000);
    const open = new Map<string, number>();
    for (const n of [...out].sort((a, b) => a.time - b.time || (a.type === 'off' ? -1 : 1))) {
      const key = `${n.channel}:${n.pitch}`;
      if (n.type === 'on') {
        expect(open.has(key)).toBe(false);
        open.set(key, n.time);
      } else if (open.has(key)) {
        expect(n.time).toBeGreaterThanOrEqual(open.get(key)!);
        open.delete(key);
      }
    }
    expect(open.size).toBe(0);
  });

  it('stops two bars after the players stop', () => {
    const { out } = run({ style: 'rock' }, progression, 20_000);
    const lastHuman = 5 * 2000;
    const last = Math.max(...ons(out).map((n) => n.time));
    expect(last).toBeLessThan(lastHuman + 8 * BEAT + BEAT);
    expect(last).toBeGreaterThan(lastHuman + 6 * BEAT);
  });

  it('plays drums in a drum style and none in folk', () => {
    expect(run({ style: 'rock' }, progression, 8000).out.some((n) => n.channel === 9 && n.pitch === GM_DRUM.snare)).toBe(true);
    expect(run({ style: 'folk' }, progression, 8000).out.some((n) => n.channel === 9)).toBe(false);
  });

  it('is deterministic for a seed and differs for another', () => {
    const a = run({ style: 'jazz', seed: 7 }, progression, 8000).out;
    const b = run({ style: 'jazz', seed: 7 }, progression, 8000).out;
    const c = run({ style: 'jazz', seed: 8 }, progression, 8000).out;
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('releases what sounds when switched off', () => {
    const acc = new Accompanist({ timeline: room(), style: 'ambient' });
    for (const e of progression.filter((e) => e.time < 1000)) acc.hear(e);
    const started = ons(acc.schedule(500));
    expect(started.length).toBeGreaterThan(0);
    acc.setMode('off');
    const released = acc.schedule(600);
    expect(released.every((n) => n.type === 'off')).toBe(true);
    expect(released.length).toBeGreaterThan(0);
    expect(acc.schedule(5000)).toEqual([]);
  });
});

describe('Accompanist: following the players', () => {
  // The room says 120 BPM; the players keep 100 BPM (600 ms beats) with a chord on every beat.
  const drifting = notes(Array.from({ length: 40 }, (_, i) => [48, 52, 55].map((p): [number, number, number] => [p, 300 + i * 600, 500])).flat());
  /** Mean distance (ms) of the bass onsets after `from` from the players' beats. */
  const offGrid = (out: AccompanistNote[], from: number) => {
    const bass = ons(out).filter((n) => n.part === 'bass' && n.time >= from);
    const distance = (t: number) => {
      const d = (((t - 300) % 600) + 600) % 600;
      return Math.min(d, 600 - d);
    };
    return bass.reduce((s, n) => s + distance(n.time), 0) / bass.length;
  };

  it("plays on the players' beat when told to follow them, and on the room's otherwise", () => {
    const following = run({ style: 'pop', tempoSource: 'players' }, drifting, 24_000);
    const room = run({ style: 'pop' }, drifting, 24_000);
    expect(following.acc.snapshot(20_000).following).toBe('players');
    expect(following.acc.snapshot(20_000).tempo).toBeCloseTo(100, 0);
    expect(room.acc.snapshot(20_000).tempo).toBe(120);
    // Mean distance of the bass onsets from the players' beats over the last 12 s: small when following.
    expect(offGrid(following.out, 12_000)).toBeLessThan(30);
    expect(offGrid(room.out, 12_000)).toBeGreaterThan(80);
  });
});

describe('Accompanist: voice leading', () => {
  it('leads C → G → C without parallel fifths or octaves, resolving the leading tone', () => {
    const c1 = leadVoicing(undefined, [0, 4, 7]);
    const g = leadVoicing(c1, [7, 11, 2], 11);
    const c2 = leadVoicing(g, [0, 4, 7], undefined, 11);
    expect(parallelViolations(c1, g)).toEqual([]);
    expect(parallelViolations(g, c2)).toEqual([]);
    const b = g.findIndex((p) => p % 12 === 11);
    expect(c2[b]).toBe(g[b] + 1);
    expect(c1.map((p) => p % 12)[0]).toBe(0);
  });
});

describe('Accompanist: drums only', () => {
  it('plays only the drum channel, with a groove even in a drumless style', () => {
    const { out } = run({ mode: 'drums', style: 'folk' }, bars([[60, 64, 67]]), 4000);
    expect(out.length).toBeGreaterThan(0);
    expect(out.every((n) => n.channel === 9 && n.part === 'drums')).toBe(true);
  });
});

describe('Accompanist: call and response', () => {
  // C D E G in quarter notes, released at 2000 ms.
  const call = notes([
    [60, 0, 450],
    [62, 500, 450],
    [64, 1000, 450],
    [67, 1500, 500],
  ]);

  it('answers within a beat of the end of the phrase, after it, in the key', () => {
    const { out } = run({ mode: 'call-response' }, call, 6000);
    const answer = ons(out);
    expect(answer.length).toBeGreaterThanOrEqual(3);
    expect(answer[0].time).toBeGreaterThan(2000 + 0.5 * BEAT - 1);
    expect(answer[0].time - 2000).toBeLessThanOrEqual(BEAT);
    for (const n of answer) expect([0, 2, 4, 5, 7, 9, 11]).toContain(n.pitch % 12);
    expect(answer.every((n) => n.part === 'answer' && n.channel === 2)).toBe(true);
  });

  it('waits while a key is held and does not answer a short breath inside the phrase', () => {
    const held = notes([
      [60, 0, 3000],
      [64, 0, 450],
      [67, 600, 450], // a 150 ms gap after the first note: shorter than half a beat
    ]);
    const { out } = run({ mode: 'call-response' }, held, 6000);
    const answer = ons(out);
    expect(answer.length).toBeGreaterThan(0);
    expect(answer[0].time).toBeGreaterThan(3000);
  });

  /** Sixteenth notes (125 ms) held 87 ms, `offset` ms off the room's grid, for each slot in `slots`, by `players` players ±9 ms apart. */
  const sixteenths = (slots: number[], offset: number, players = 1, lastHeld = 87) =>
    Array.from({ length: players }, (_, p) =>
      notes(
        slots.map((slot, i): [number, number, number] => [
          60 + ((slot * 2 + p) % 12),
          offset + slot * 125 + (p - (players - 1) / 2) * 6,
          i === slots.length - 1 ? lastHeld : 87,
        ]),
        `p${p}`,
      ),
    ).flat();
  const releasedAt = (events: EnsembleNote[]) => Math.max(...events.filter((e) => e.type === 'off').map((e) => e.time));

  it("answers a line of sixteenths when its pulse stops, sooner than half a beat of silence, in the line's time", () => {
    const line = sixteenths([...Array(16).keys()], 40, 3);
    const end = releasedAt(line);
    const answer = ons(run({ mode: 'call-response' }, line, 6000).out);
    expect(answer.length).toBeGreaterThan(0);
    expect(answer[0].time).toBeGreaterThan(end);
    // Half a beat of silence and the 50 ms lead would put it at least 300 ms after the release.
    expect(answer[0].time - end).toBeLessThan(0.5 * BEAT + 50);
    // On the players' sixteenth grid (40 ms off the room's), not the room's.
    expect(Math.abs((((answer[0].time - 40) % 125) + 125) % 125)).toBeLessThan(2);
  });

  it('does not answer a one-sixteenth rest inside a line of sixteenths', () => {
    const slots = [...Array(20).keys()].filter((s) => s !== 8 && s !== 14);
    const line = sixteenths(slots, 40, 2);
    const end = releasedAt(line);
    const answer = ons(run({ mode: 'call-response' }, line, 6000).out);
    expect(answer.length).toBeGreaterThan(0);
    expect(answer.every((n) => n.time > end)).toBe(true);
  });

  it('waits half a beat of silence after a held last note (the pulse no longer runs)', () => {
    const line = sixteenths([...Array(12).keys()], 0, 1, 400);
    const end = releasedAt(line);
    const answer = ons(run({ mode: 'call-response' }, line, 6000).out);
    expect(answer[0].time - end).toBeGreaterThanOrEqual(0.5 * BEAT + 50);
  });

  it('drops the rest of its answer when a player starts again', () => {
    // The player comes back at 2700 ms and holds a note until 5000 ms: the answer under way stops (what was already
    // sent, up to a beat ahead, still sounds), and no new answer comes while the note is held.
    const interrupted = [...call, ...notes([[72, 2700, 2300]])];
    const full = ons(run({ mode: 'call-response' }, call, 6000).out).filter((n) => n.time >= 3200 && n.time < 5000);
    const cut = ons(run({ mode: 'call-response' }, interrupted, 6000).out).filter((n) => n.time >= 3200 && n.time < 5000);
    expect(full.length).toBeGreaterThan(0);
    expect(cut).toEqual([]);
  });
});
