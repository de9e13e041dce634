import { dayOf, endOfDayIn, practisedOn, streakAt } from './tutor-streak';

const fresh = { streakDays: 0, longestStreakDays: 0, lastPracticeDay: null, timeZone: 'UTC' };
const at = (iso: string) => new Date(iso);

describe('practice streak', () => {
  it('starts at 1, grows by one on consecutive days, stays within a day, and restarts after a gap', () => {
    let learner = practisedOn(fresh, at('2026-11-01T09:00:00Z'));
    expect(learner).toEqual({ ...fresh, streakDays: 1, longestStreakDays: 1, lastPracticeDay: '2026-11-01' });
    learner = practisedOn(learner, at('2026-11-01T22:00:00Z'));
    expect(learner.streakDays).toBe(1);
    learner = practisedOn(learner, at('2026-11-02T00:30:00Z'));
    learner = practisedOn(learner, at('2026-11-03T12:00:00Z'));
    expect(learner).toEqual({ ...fresh, streakDays: 3, longestStreakDays: 3, lastPracticeDay: '2026-11-03' });
    learner = practisedOn(learner, at('2026-11-06T12:00:00Z'));
    expect(learner).toEqual({ ...fresh, streakDays: 1, longestStreakDays: 3, lastPracticeDay: '2026-11-06' });
  });

  it('shows a streak as current through the next day, then as lapsed', () => {
    const learner = { ...fresh, streakDays: 5, longestStreakDays: 7, lastPracticeDay: '2026-03-01' };
    expect(streakAt(learner, at('2026-03-01T10:00:00Z'))).toEqual({ current: 5, longest: 7, practisedToday: true });
    expect(streakAt(learner, at('2026-03-02T23:00:00Z'))).toEqual({ current: 5, longest: 7, practisedToday: false });
    expect(streakAt(learner, at('2026-03-03T00:00:01Z'))).toEqual({ current: 0, longest: 7, practisedToday: false });
  });

  it("counts the learner's own calendar days", () => {
    // 07:30 in Shanghai is 23:30 UTC of the day before: morning practice after an evening one is the next day there.
    const shanghai = { ...fresh, timeZone: 'Asia/Shanghai' };
    let learner = practisedOn(shanghai, at('2026-11-01T12:00:00Z')); // 20:00 on 1 Nov in Shanghai
    learner = practisedOn(learner, at('2026-11-01T23:30:00Z')); // 07:30 on 2 Nov in Shanghai, still 1 Nov in UTC
    expect(learner).toMatchObject({ streakDays: 2, lastPracticeDay: '2026-11-02' });
    expect(practisedOn({ ...learner, timeZone: 'UTC', lastPracticeDay: '2026-11-01', streakDays: 1 }, at('2026-11-01T23:30:00Z')).streakDays).toBe(1);
    // A New York evening is already tomorrow in UTC: still practised "today" there.
    const newYork = { ...fresh, timeZone: 'America/New_York', streakDays: 3, longestStreakDays: 3, lastPracticeDay: '2026-11-01' };
    expect(streakAt(newYork, at('2026-11-02T03:00:00Z'))).toEqual({ current: 3, longest: 3, practisedToday: true });
  });

  it('keeps the streak when the learner moves west, where the last practice day is still to come', () => {
    const learner = { ...fresh, timeZone: 'Asia/Shanghai', streakDays: 4, longestStreakDays: 4, lastPracticeDay: '2026-11-01' };
    const practised = practisedOn(learner, at('2026-11-01T23:30:00Z')); // 07:30 on 2 Nov in Shanghai
    expect(practised).toMatchObject({ streakDays: 5, lastPracticeDay: '2026-11-02' });
    const inLosAngeles = { ...practised, timeZone: 'America/Los_Angeles' };
    // 18:00 on 1 Nov in Los Angeles: before the last practice day there.
    expect(streakAt(inLosAngeles, at('2026-11-02T02:00:00Z'))).toEqual({ current: 5, longest: 5, practisedToday: true });
    expect(practisedOn(inLosAngeles, at('2026-11-02T02:00:00Z'))).toMatchObject({ streakDays: 5, lastPracticeDay: '2026-11-02' });
  });

  it('finds the end of the learner’s day in their zone, on a 25-hour day too', () => {
    expect(endOfDayIn(at('2026-11-03T10:00:00Z'), 'Asia/Shanghai').toISOString()).toBe('2026-11-03T15:59:59.999Z');
    expect(endOfDayIn(at('2026-11-03T23:30:00Z'), 'UTC').toISOString()).toBe('2026-11-03T23:59:59.999Z');
    // Berlin leaves summer time at 01:00 UTC on 25 Oct 2026: that day ends at 23:00 UTC.
    expect(endOfDayIn(at('2026-10-24T22:30:00Z'), 'Europe/Berlin').toISOString()).toBe('2026-10-25T22:59:59.999Z');
  });

  it('keeps calendar days across a daylight-saving change', () => {
    // Europe/Berlin leaves summer time on 25 Oct 2026: 24 h after 00:30 on the 25th is still the 25th there.
    expect(dayOf(at('2026-10-24T22:30:00Z'), 'Europe/Berlin')).toBe('2026-10-25');
    expect(dayOf(at('2026-10-25T22:30:00Z'), 'Europe/Berlin')).toBe('2026-10-25');
    expect(dayOf(at('2026-10-25T23:30:00Z'), 'Europe/Berlin')).toBe('2026-10-26');
  });
});
