import type { RoomState } from './ensemble.store';

/**
 * The shared-clock time at which this member sounds another member's note: its time, one interval later when this
 * member plays in interval mode (NINJAM-style), plus the room's play-out delay for people, so that every member hears
 * it at the same moment. The accompanist's notes already carry a time ahead of when they sound.
 */
export function playoutTime(
  note: { time: number; memberId: string },
  room: Pick<RoomState, 'playoutDelayMs' | 'intervalMs' | 'accompanist'>,
  myMode: 'live' | 'interval' | undefined,
): number {
  const shift = myMode === 'interval' ? room.intervalMs : 0;
  return note.time + shift + (note.memberId === room.accompanist.memberId ? 0 : room.playoutDelayMs);
}
