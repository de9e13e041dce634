import type { Worker } from 'node:worker_threads';
import { AccompanistThread, type AccompanistCommand } from './accompanist-thread';
import type { AccompanistNote } from './engine';
import type { RoomRecord } from './ensemble.types';
import { roomStateOf } from './room-state';
import { sharedNow } from './shared-time';

const now = sharedNow();
const room: RoomRecord = {
  id: '5d1c2b3a-0b0e-4d7e-9a51-6d0f1c2b3a4e',
  code: 'Q3ZM7K',
  name: 'jam',
  ownerId: 'u1',
  capacity: 8,
  open: true,
  createdAt: 0,
  timeline: { tempo: 120, quantum: 4, beat: 0, time: now },
  metronome: true,
  accompanist: { mode: 'accompany', style: 'pop', tempoSource: 'room' },
  interval: 'auto',
  recording: null,
  version: 1,
};
const state = roomStateOf(room, [], now);

/** Plays a C major chord now, and resolves with the first notes the thread sends for the room. */
function playChord(thread: AccompanistThread, played: Promise<AccompanistNote[]>): Promise<AccompanistNote[]> {
  const time = sharedNow();
  for (const pitch of [60, 64, 67]) thread.hear(room.id, { type: 'on', pitch, velocity: 90, time });
  return played;
}

describe('AccompanistThread', () => {
  let thread: AccompanistThread;
  let onPlayed: (roomId: string, notes: AccompanistNote[]) => void;
  const restore = jest.fn((): AccompanistCommand[] => [{ kind: 'start', state, seed: 7 }]);
  const nextPlayed = () => new Promise<AccompanistNote[]>((resolve) => (onPlayed = (roomId, notes) => roomId === room.id && resolve(notes)));

  beforeEach(() => {
    restore.mockClear();
    thread = new AccompanistThread({ played: (roomId, notes) => onPlayed?.(roomId, notes), failed: () => undefined, restore });
  });
  afterEach(() => thread.close());

  it("runs a room's accompanist in the thread: players' notes go in, its notes for the room come back", async () => {
    thread.start(state, 7);
    const notes = await playChord(thread, nextPlayed());
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((n) => (n.type === 'on' || n.type === 'off') && n.pitch >= 0 && n.pitch <= 127 && n.time >= now)).toBe(true);
  });

  it('replaces a thread that died and gives it back the rooms it played', async () => {
    thread.start(state, 7);
    await playChord(thread, nextPlayed());
    expect(restore).toHaveBeenCalledTimes(1); // the first thread starts with the rooms already played (none here)
    const worker = (thread as unknown as { worker: Worker }).worker;
    await worker.terminate();
    const notes = await playChord(thread, nextPlayed());
    expect(restore).toHaveBeenCalledTimes(2);
    expect(notes.length).toBeGreaterThan(0);
  });
});
