import { ENSEMBLE_LIMITS } from './ensemble.limits';
import type { MemberRecord, RoomRecord } from './ensemble.types';
import { newRoomCode } from './room-code';
import { accompanistMemberId, intervalMsOf, memberMode, playoutDelayMsOf, roomStateOf } from './room-state';

const room: RoomRecord = {
  id: '0b0e8a52-3c9f-4d7e-9a51-6d0f1c2b3a4e',
  code: 'K7MZ3Q',
  name: 'jam',
  ownerId: 'u1',
  capacity: 8,
  open: true,
  createdAt: 0,
  timeline: { tempo: 120, quantum: 4, beat: 0, time: 1000 },
  metronome: true,
  accompanist: { mode: 'accompany', style: 'jazz', tempoSource: 'room' },
  interval: 'auto',
  recording: null,
  version: 3,
};
const member = (id: string, rttMs: number | null): MemberRecord => ({
  id,
  userId: `user-${id}`,
  name: id,
  instrument: 0,
  role: 'player',
  rttMs,
  connected: true,
  connectionId: `socket-${id}`,
  seenAt: 0,
  joinedAt: 0,
});

describe('room state', () => {
  it('lists the humans with their latency and mode, then the accompanist as an AI member', () => {
    const state = roomStateOf(room, [member('a', 20), member('b', null), member('c', 400)], 5000);
    expect(state.members.map((m) => [m.id, m.kind, m.latencyMs, m.mode])).toEqual([
      ['a', 'human', 10, 'live'],
      ['b', 'human', null, 'live'],
      ['c', 'human', 200, 'interval'],
      [accompanistMemberId(room.id), 'ai', 0, 'live'],
    ]);
    expect(state).toMatchObject({ tempo: 120, quantum: 4, accompanist: { mode: 'accompany', memberId: accompanistMemberId(room.id) }, serverTime: 5000 });
    // The accompanist plays the style's chord instrument (jazz: piano), named as General MIDI names it.
    expect(state.members[3]).toMatchObject({ instrument: 0, instrumentName: 'Acoustic Grand Piano' });
    expect(state.members[0].instrumentName).toBe('Acoustic Grand Piano');
    const drums = roomStateOf({ ...room, accompanist: { ...room.accompanist, mode: 'drums' } }, [], 0);
    expect(drums.members[0]).toMatchObject({ kind: 'ai', instrumentName: 'Drum kit' });
  });

  it('leaves the accompanist out when it is off', () => {
    const state = roomStateOf({ ...room, accompanist: { ...room.accompanist, mode: 'off' } }, [member('a', 10)], 0);
    expect(state.members.map((m) => m.kind)).toEqual(['human']);
  });

  it('decides interval mode from the room setting and the round trip', () => {
    expect(memberMode({ interval: 'auto' }, ENSEMBLE_LIMITS.intervalRttMs)).toBe('live');
    expect(memberMode({ interval: 'auto' }, ENSEMBLE_LIMITS.intervalRttMs + 1)).toBe('interval');
    expect(memberMode({ interval: 'off' }, 5000)).toBe('live');
    expect(memberMode({ interval: 'room' }, 1)).toBe('interval');
    // Two bars of 4/4 at 120 BPM.
    expect(intervalMsOf(room)).toBe(ENSEMBLE_LIMITS.intervalBars * 2000);
  });

  it('delays play-out by the slowest live path and a jitter margin, within bounds', () => {
    const { minPlayoutDelayMs, maxPlayoutDelayMs, playoutJitterMarginMs } = ENSEMBLE_LIMITS;
    expect(playoutDelayMsOf(room, [])).toBe(minPlayoutDelayMs);
    expect(playoutDelayMsOf(room, [member('a', 2), member('b', null)])).toBe(minPlayoutDelayMs);
    // A 30 ms one-way sender to a 30 ms one-way receiver: 60 ms on the way, plus the margin.
    expect(playoutDelayMsOf(room, [member('a', 60), member('b', 10)])).toBe(60 + playoutJitterMarginMs);
    // Not waited for: a member in interval mode, or one whose connection dropped.
    expect(playoutDelayMsOf(room, [member('a', 30), member('c', 400)])).toBe(30 + playoutJitterMarginMs);
    expect(playoutDelayMsOf(room, [member('a', 30), { ...member('d', 110), connected: false }])).toBe(30 + playoutJitterMarginMs);
    // With interval mode off, a slow member is waited for up to the bound.
    expect(playoutDelayMsOf({ interval: 'off' }, [member('a', 400)])).toBe(maxPlayoutDelayMs);
    expect(roomStateOf(room, [member('a', 60)], 0).playoutDelayMs).toBe(60 + playoutJitterMarginMs);
  });

  it('sizes the jitter margin from what the live members report', () => {
    const { playoutJitterMarginMs, playoutMinMarginMs } = ENSEMBLE_LIMITS;
    const steady = (id: string, rttMs: number, jitterMs: number) => ({ ...member(id, rttMs), jitterMs });
    // Steady connections: the smallest margin instead of the default.
    expect(playoutDelayMsOf(room, [steady('a', 60, 1), steady('b', 10, 0.5)])).toBe(60 + playoutMinMarginMs);
    // A jittery one sets the margin for the room.
    expect(playoutDelayMsOf(room, [steady('a', 60, 1), steady('b', 10, 35)])).toBe(60 + 35);
    // One that has not reported its jitter counts as the default.
    expect(playoutDelayMsOf(room, [steady('a', 60, 1), member('b', 10)])).toBe(60 + playoutJitterMarginMs);
    // A member in interval mode is not waited for, however jittery.
    expect(playoutDelayMsOf(room, [steady('a', 60, 1), steady('c', 400, 90)])).toBe(60 + playoutMinMarginMs);
  });

  it('covers the one-way delays of notes that the live members report', () => {
    const { maxPlayoutDelayMs, playoutMinMarginMs } = ENSEMBLE_LIMITS;
    const measured = (id: string, rttMs: number, noteDelayMs: number) => ({ ...member(id, rttMs), jitterMs: 1, noteDelayMs });
    // Notes arriving within the round-trip bound change nothing.
    expect(playoutDelayMsOf(room, [measured('a', 60, 20), measured('b', 10, 8)])).toBe(60 + playoutMinMarginMs);
    // Notes that reach a member later than the pings suggest (a queue, bursts between pings) widen the delay.
    expect(playoutDelayMsOf(room, [measured('a', 60, 20), measured('b', 10, 90.2)])).toBe(Math.ceil(90.2 + playoutMinMarginMs));
    expect(playoutDelayMsOf(room, [measured('a', 60, 400)])).toBe(maxPlayoutDelayMs);
    // Not from a member in interval mode or one whose connection dropped.
    expect(playoutDelayMsOf(room, [measured('a', 60, 20), measured('c', 400, 130)])).toBe(60 + playoutMinMarginMs);
    expect(playoutDelayMsOf(room, [measured('a', 60, 20), { ...measured('d', 10, 130), connected: false }])).toBe(60 + playoutMinMarginMs);
  });

  it('makes room codes from an unambiguous alphabet', () => {
    const codes = Array.from({ length: 200 }, newRoomCode);
    for (const code of codes) expect(code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(195);
  });
});
