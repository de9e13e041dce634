import { MIN_NOTE_DELAYS, MIN_REPORT_GAP_MS, NoteDelays } from './note-delays';

describe('NoteDelays', () => {
  it('reports nothing until enough notes have arrived', () => {
    const delays = new NoteDelays();
    for (let i = 0; i < MIN_NOTE_DELAYS - 1; i++) delays.add(10, 40);
    expect(delays.p95()).toBeNull();
    delays.add(10, 40);
    expect(delays.p95()).toBe(10);
  });

  it('gives the 95th percentile of the recent delays, so a burst of slow notes shows', () => {
    const delays = new NoteDelays(100);
    for (let i = 0; i < 95; i++) delays.add(5 + (i % 10) / 10, 40);
    for (let i = 0; i < 5; i++) delays.add(80 + i, 40);
    expect(delays.p95()).toBe(5.9);
    delays.add(90, 40);
    expect(delays.p95()).toBe(80);
  });

  it('forgets notes older than its window', () => {
    const delays = new NoteDelays(50);
    for (let i = 0; i < 50; i++) delays.add(100, 150);
    for (let i = 0; i < 50; i++) delays.add(12, 150);
    expect(delays.p95()).toBe(12);
  });

  it('counts the notes that arrived after their play-out time', () => {
    const delays = new NoteDelays();
    delays.add(30, 40);
    delays.add(41, 40);
    delays.add(Number.NaN, 40);
    expect(delays.late).toBe(1);
  });

  it('asks for an early report when late notes push the 95th percentile past the play-out delay, at most every gap', () => {
    const delays = new NoteDelays(100);
    for (let i = 0; i < 95; i++) delays.add(10, 40);
    delays.reported(0);
    delays.add(60, 40); // late, but one note in a hundred: the 95th percentile still fits the delay
    expect(delays.earlyReportDue(40, 1000)).toBe(false);
    for (let i = 0; i < 5; i++) delays.add(60, 40); // six in a hundred: past the 95th percentile
    expect(delays.earlyReportDue(40, MIN_REPORT_GAP_MS - 1)).toBe(false); // too soon after the last report
    expect(delays.earlyReportDue(40, 1000)).toBe(true);
    delays.reported(1000);
    delays.add(60, 40);
    expect(delays.earlyReportDue(40, 1000 + MIN_REPORT_GAP_MS - 1)).toBe(false);
    expect(delays.earlyReportDue(40, 1000 + MIN_REPORT_GAP_MS)).toBe(true);
    delays.add(10, 40); // the latest note was on time: nothing to hurry
    expect(delays.earlyReportDue(40, 5000)).toBe(false);
    expect(delays.earlyReportDue(70, 5000)).toBe(false);
  });
});
