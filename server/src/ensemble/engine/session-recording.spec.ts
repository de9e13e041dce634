import { parseMidi } from '../../music/engine/midi-read';
import { recordSession, SessionMember } from './session-recording';
import { Timeline } from './shared-clock';
import { EnsembleNote } from './types';

const on = (memberId: string, pitch: number, time: number, channel = 0, velocity = 90): EnsembleNote => ({
  type: 'on',
  pitch,
  velocity,
  time,
  channel,
  memberId,
});
const off = (memberId: string, pitch: number, time: number, channel = 0): EnsembleNote => ({ type: 'off', pitch, velocity: 0, time, channel, memberId });

const members: SessionMember[] = [
  { id: 'ann', name: 'Ann', instrument: 0 },
  { id: 'bo', name: 'Bo', instrument: 40 },
  { id: 'ai', name: 'Accompanist', instrument: 0, channelPrograms: { 0: 25, 1: 33, 9: 0 } },
];

describe('recordSession', () => {
  // 120 BPM, beat 0 at 1000 ms: 480 ticks per 500 ms beat. G major material.
  const timeline = Timeline.create(120, 4, 1000);
  const events: EnsembleNote[] = [
    on('ann', 67, 1500),
    off('ann', 67, 2000),
    on('ann', 71, 2000),
    off('ann', 71, 2500),
    on('bo', 55, 1500),
    off('bo', 55, 3500),
    on('ai', 43, 3000, 1),
    off('ai', 43, 3900, 1),
    on('ai', 59, 3000, 0),
    on('ai', 62, 3000, 0),
    off('ai', 59, 3400, 0),
    off('ai', 62, 3400, 0),
    on('ai', 36, 3000, 9),
    off('ai', 36, 3100, 9),
    on('ai', 66, 3500, 0), // never released: closes at the end of the session
  ];

  it('writes one track per member and channel with names, programs and the drum channel', () => {
    const rec = recordSession({ members, events, timeline, endTime: 5000 });
    const midi = parseMidi(rec.midi);
    expect(midi.format).toBe(1);
    expect(midi.ppq).toBe(480);
    expect(midi.tracks).toHaveLength(1 + 5);
    expect(midi.tracks[0].name).toBe('xiaoyu-ai ensemble session');
    expect(parseMidi(recordSession({ members, events, timeline, title: 'Jam · 2026-12-01 09:00' }).midi).tracks[0].name).toBe('Jam · 2026-12-01 09:00');
    const byName = new Map(midi.tracks.slice(1).map((t) => [t.name, t]));
    expect([...byName.keys()].sort()).toEqual(
      ['Accompanist: Acoustic Guitar (steel)', 'Accompanist: Electric Bass (finger)', 'Accompanist: drums', 'Ann: Acoustic Grand Piano', 'Bo: Violin'].sort(),
    );
    const drums = byName.get('Accompanist: drums')!;
    expect(drums.notes.every((n) => n.channel === 9)).toBe(true);
    expect(byName.get('Bo: Violin')!.notes[0].program).toBe(40);
    const channels = midi.tracks.slice(1).flatMap((t) => t.notes.map((n) => n.channel));
    expect(new Set(channels).size).toBe(5);
    expect(rec.tracks.reduce((s, t) => s + t.notes, 0)).toBe(8);
  });

  it('places notes on the room timeline, from the bar of the first note', () => {
    const rec = recordSession({ members, events, timeline, endTime: 5000 });
    const midi = parseMidi(rec.midi);
    const ann = midi.tracks.find((t) => t.name.startsWith('Ann'))!;
    expect(ann.notes.map((n) => [n.pitch, n.startTick, n.endTick])).toEqual([
      [67, 480, 960],
      [71, 960, 1440],
    ]);
    const held = midi.tracks.find((t) => t.name === 'Accompanist: Acoustic Guitar (steel)')!.notes.find((n) => n.pitch === 66)!;
    expect(held.endTick).toBe(3840); // released at the end of the session (5000 ms = beat 8)
    expect(midi.tempos[0].usPerQuarter).toBe(500_000);
    expect(midi.timeSignatures[0]).toMatchObject({ numerator: 4, denominator: 4 });
    expect(rec.durationSec).toBe(4);
  });

  it('writes the key it hears in the key signature', () => {
    const rec = recordSession({ members, events, timeline });
    expect(rec.key?.name).toBe('G major');
    expect(parseMidi(rec.midi).keySignatures[0]).toMatchObject({ accidentals: 1, minor: false });
  });

  it('writes a tempo or bar change during the session where it happened, so later notes stay on their beats', () => {
    // 120 BPM from 1000 ms; at 3000 ms (beat 4) the room goes to 90 BPM; from beat 8 at 90 BPM (5666.7 ms) three beats a bar.
    const faster = timeline.withTempo(90, 3000);
    const waltz = Timeline.fromState({ tempo: 90, quantum: 3, beat: 0, time: faster.timeAtBeat(8) });
    const beatAt90 = (beat: number) => faster.timeAtBeat(beat);
    const played = [on('ann', 60, 1000), off('ann', 60, 1500), on('ann', 62, beatAt90(6)), off('ann', 62, beatAt90(7)), on('ann', 64, waltz.timeAtBeat(3))];
    const rec = recordSession({ members, events: played, timeline: [timeline.toState(), faster.toState(), waltz.toState(4000)], endTime: waltz.timeAtBeat(6) });
    const midi = parseMidi(rec.midi);
    expect(midi.tracks[1].notes.map((n) => n.startTick)).toEqual([0, 6 * 480, 11 * 480]);
    expect(midi.tempos.map((t) => [t.tick, t.usPerQuarter])).toEqual([
      [0, 500_000],
      [4 * 480, 666_667],
      [8 * 480, 666_667],
    ]);
    expect(midi.timeSignatures.map((t) => [t.tick, t.numerator])).toEqual([
      [0, 4],
      [8 * 480, 3],
    ]);
  });

  it('ends a note struck again while it sounds, and ignores stray note-offs', () => {
    const rec = recordSession({
      members,
      events: [on('ann', 60, 0), on('ann', 60, 400), off('ann', 60, 800), off('ann', 61, 900)],
    });
    const notes = parseMidi(rec.midi).tracks[1].notes.map((n) => [n.startTick, n.endTick]);
    expect(notes).toEqual([
      [0, 384],
      [384, 768],
    ]);
  });

  it('shares channels between parts with one program when there are more than 15, and refuses otherwise', () => {
    const many = Array.from({ length: 20 }, (_, i) => `p${i}`);
    const sameProgram = many.map((id) => ({ id, name: id, instrument: 0 }));
    const events = many.flatMap((id, i) => [on(id, 60 + i, i * 10), off(id, 60 + i, i * 10 + 100)]);
    const midi = parseMidi(recordSession({ members: sameProgram, events }).midi);
    expect(midi.tracks).toHaveLength(21);
    const distinct = many.map((id, i) => ({ id, name: id, instrument: i }));
    expect(() => recordSession({ members: distinct, events })).toThrow(RangeError);
  });
});
