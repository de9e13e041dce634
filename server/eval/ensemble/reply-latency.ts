/**
 * How soon the accompanist is heard: for each test phrase, a fresh accompanist runs the server's loop (events heard
 * when due, `schedule` after every event and every 10 ms tick) and the first note it sends is timed.
 *
 * - call-response: from the end of the phrase (its last note-off) to the first note of the answer;
 * - accompany: from the first note of the phrase to the accompaniment's first note;
 * - chord following: block chords changing every bar, from each change to the first bass note on the new root.
 */
import { Accompanist, AccompanistMode, AccompanistNote } from '../../src/ensemble/engine/accompanist';
import { Timeline } from '../../src/ensemble/engine/shared-clock';
import { EnsembleNote } from '../../src/ensemble/engine/types';
import { createRng } from '../../src/music/engine/rng';

/** A phrase as [pitch, start beat, length in beats] triples. */
export interface TestPhrase {
  name: string;
  notes: [number, number, number][];
}

const run = (pitches: number[], step: number, length = step * 0.9, from = 0): [number, number, number][] => pitches.map((p, i) => [p, from + i * step, length]);

/** The test phrases: rhythms, lengths, registers and keys a player might offer. */
export const TEST_PHRASES: TestPhrase[] = [
  { name: 'four quarter notes', notes: run([60, 62, 64, 67], 1) },
  { name: 'eighth-note scale', notes: run([60, 62, 64, 65, 67, 69, 71, 72], 0.5) },
  { name: 'long last note', notes: [...run([60, 64, 67], 1), [72, 3, 3]] },
  { name: 'staccato', notes: run([67, 67, 69, 67, 72, 71], 1, 0.2) },
  {
    name: 'syncopated',
    notes: [
      [60, 0, 0.4],
      [64, 0.5, 0.9],
      [67, 1.5, 0.9],
      [64, 2.5, 0.4],
      [62, 3, 0.9],
    ],
  },
  { name: 'sixteenth flourish', notes: run([72, 74, 76, 77, 79, 77, 76, 74], 0.25) },
  {
    name: 'dotted rhythm',
    notes: [
      [64, 0, 1.4],
      [65, 1.5, 0.4],
      [67, 2, 0.9],
      [60, 3, 0.9],
    ],
  },
  { name: 'pickup off the beat', notes: run([55, 60, 62, 64], 1, 0.9, 0.5) },
  { name: 'short breath inside', notes: [...run([60, 62, 64], 0.5, 0.4), ...run([65, 67], 0.5, 0.4, 1.75)] },
  {
    name: 'block triads',
    notes: [...[60, 64, 67].map((p): [number, number, number] => [p, 0, 1.9]), ...[59, 62, 67].map((p): [number, number, number] => [p, 2, 1.9])],
  },
  { name: 'single note', notes: [[69, 0, 0.9]] },
  { name: 'wide leaps', notes: run([48, 67, 52, 72, 55], 1) },
  { name: 'A minor with G#', notes: run([69, 71, 72, 74, 76, 68, 69], 0.5) },
  { name: 'two-bar line', notes: run([60, 62, 64, 62, 60, 64, 67, 65, 64, 62, 60, 59, 60, 62, 64, 60], 0.5) },
  { name: 'slow half notes', notes: run([64, 62, 60, 62], 2, 1.9) },
  { name: 'legato overlaps', notes: run([60, 62, 64, 65, 67], 1, 1.15) },
];

export interface LatencyRow {
  name: string;
  notes: number;
  /** Phrase end (last release), beats from its first note. */
  endBeat: number;
  /** Answer's first note after the phrase end, beats; undefined when nothing was played. */
  replyBeats?: number;
  /** How far ahead of its time that first note was sent, ms. */
  sentAheadMs?: number;
  /** Answer notes sent before the phrase ended (a rest of half a beat or more inside it reads as a phrase end). */
  notesInsidePhrase: number;
  /** Accompany mode: first note after the phrase's first note, beats. */
  entryBeats?: number;
}

function eventsOf(phrase: TestPhrase, beatMs: number, offset: number): EnsembleNote[] {
  return phrase.notes
    .flatMap(([pitch, start, length]): EnsembleNote[] => [
      { type: 'on', pitch, velocity: 90, time: offset + start * beatMs, memberId: 'player' },
      { type: 'off', pitch, velocity: 0, time: offset + (start + length) * beatMs, memberId: 'player' },
    ])
    .sort((a, b) => a.time - b.time || (a.type === 'off' ? -1 : 1));
}

/** Runs the server loop until `untilMs`; every `on` it sends, with the time it was sent at. */
function played(mode: AccompanistMode, events: EnsembleNote[], timeline: Timeline, untilMs: number, seed: number): { note: AccompanistNote; sentAt: number }[] {
  const acc = new Accompanist({ timeline, mode, style: 'pop', seed });
  const out: { note: AccompanistNote; sentAt: number }[] = [];
  let i = 0;
  for (let now = 0; now <= untilMs; now += 10) {
    while (i < events.length && events[i].time <= now) acc.hear(events[i++]);
    for (const note of acc.schedule(now)) if (note.type === 'on') out.push({ note, sentAt: now });
  }
  return out;
}

/** Reply and entry latency of one phrase at a tempo; the phrase starts at a random point of the bar (seeded). */
export function measurePhrase(phrase: TestPhrase, tempo: number, seed: number): LatencyRow {
  const timeline = Timeline.create(tempo, 4, 0);
  const beatMs = timeline.beatMs;
  const offset = 4 * beatMs + createRng(seed).next() * 4 * beatMs;
  const events = eventsOf(phrase, beatMs, offset);
  const end = Math.max(...events.filter((e) => e.type === 'off').map((e) => e.time));
  const answers = played('call-response', events, timeline, end + 8 * beatMs, seed);
  // The reply to the whole phrase is the first note decided after it ended.
  const reply = answers.find((a) => a.sentAt >= end);
  const entry = played('accompany', events, timeline, offset + 2 * beatMs, seed)[0];
  return {
    name: phrase.name,
    notes: phrase.notes.length,
    endBeat: (end - offset) / beatMs,
    replyBeats: reply ? (reply.note.time - end) / beatMs : undefined,
    sentAheadMs: reply ? reply.note.time - reply.sentAt : undefined,
    notesInsidePhrase: answers.filter((a) => a.sentAt < end).length,
    entryBeats: entry ? (entry.note.time - offset) / beatMs : undefined,
  };
}

/**
 * Beats from each chord change to the first bass note on the new root (block chords, one per bar, accompany mode);
 * Infinity when the bass never reaches it before the next change.
 */
export function chordFollowing(tempo: number, seed: number): number[] {
  const timeline = Timeline.create(tempo, 4, 0);
  const beatMs = timeline.beatMs;
  // I – vi – IV – V in C, G, F and D major, one chord per bar.
  const roots: [number, boolean][] = [];
  for (const key of [0, 7, 5, 2])
    for (const [r, minor] of [
      [0, false],
      [9, true],
      [5, false],
      [7, false],
    ] as [number, boolean][])
      roots.push([(key + r) % 12, minor]);
  const events: EnsembleNote[] = [];
  roots.forEach(([root, minor], bar) => {
    const time = bar * 4 * beatMs;
    for (const interval of [0, minor ? 3 : 4, 7]) {
      const pitch = 48 + ((root + interval) % 12) + (interval > 0 && (root + interval) % 12 < root ? 12 : 0);
      events.push(
        { type: 'on', pitch, velocity: 90, time, memberId: 'player' },
        { type: 'off', pitch, velocity: 0, time: time + 4 * beatMs - 20, memberId: 'player' },
      );
    }
  });
  events.sort((a, b) => a.time - b.time || (a.type === 'off' ? -1 : 1));
  const acc = new Accompanist({ timeline, mode: 'accompany', style: 'pop', seed });
  const bass: AccompanistNote[] = [];
  let i = 0;
  for (let now = 0; now <= roots.length * 4 * beatMs; now += 10) {
    while (i < events.length && events[i].time <= now) acc.hear(events[i++]);
    bass.push(...acc.schedule(now).filter((n) => n.type === 'on' && n.part === 'bass'));
  }
  const delays: number[] = [];
  roots.forEach(([root], bar) => {
    if (bar === 0 || roots[bar - 1][0] === root) return;
    const change = bar * 4 * beatMs;
    const hit = bass.find((n) => n.time >= change - 30 && n.time < change + 4 * beatMs - 30 && n.pitch % 12 === root);
    delays.push(hit ? (hit.time - change) / beatMs : Infinity);
  });
  return delays;
}
