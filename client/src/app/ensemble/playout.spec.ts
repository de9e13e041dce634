import { playoutTime } from './playout';

describe('playoutTime', () => {
  const room = {
    playoutDelayMs: 75,
    intervalMs: 4000,
    accompanist: { mode: 'accompany' as const, style: 'pop', tempoSource: 'room' as const, memberId: 'ai-1' },
  };

  it("sounds a person's note the room's play-out delay after it was played", () => {
    expect(playoutTime({ time: 10_000, memberId: 'm-2' }, room, 'live')).toBe(10_075);
    expect(playoutTime({ time: 10_000, memberId: 'm-2' }, { ...room, playoutDelayMs: 40 }, 'live')).toBe(10_040);
  });

  it("sounds the accompanist's notes at their own time, which is already ahead", () => {
    expect(playoutTime({ time: 10_000, memberId: 'ai-1' }, room, 'live')).toBe(10_000);
  });

  it('plays one interval late in interval mode', () => {
    expect(playoutTime({ time: 10_000, memberId: 'm-2' }, room, 'interval')).toBe(14_075);
    expect(playoutTime({ time: 10_000, memberId: 'ai-1' }, room, 'interval')).toBe(14_000);
  });
});
