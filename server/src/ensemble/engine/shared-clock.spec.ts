import { ClockOffsetEstimator, Timeline } from './shared-clock';

/** A ping/pong exchange with a known true offset and one-way delays (ms). */
const exchange = (t0: number, offset: number, up: number, down: number) => ({ t0, serverTime: t0 + up + offset, t1: t0 + up + down });

describe('ClockOffsetEstimator', () => {
  it('recovers the offset exactly from symmetric exchanges', () => {
    const clock = new ClockOffsetEstimator();
    for (let i = 0; i < 5; i++) clock.addSample(exchange(1000 * i, 12_345.5, 3, 3));
    expect(clock.estimate?.offsetMs).toBeCloseTo(12_345.5, 9);
    expect(clock.estimate?.rttMs).toBeCloseTo(6, 9);
    expect(clock.toServerTime(100)).toBeCloseTo(12_445.5, 9);
    expect(clock.toClientTime(12_445.5)).toBeCloseTo(100, 9);
  });

  it('ignores exchanges whose round trip was delayed in one direction', () => {
    const clock = new ClockOffsetEstimator({ windowSize: 16 });
    // Seven quick symmetric exchanges, nine where the reply was held up by 40 ms (their midpoints are 20 ms off):
    // a plain median of all sixteen midpoints would be a slow one; the kept half (lowest round trips) is 7 quick + 1 slow.
    for (let i = 0; i < 7; i++) clock.addSample(exchange(100 * i, -500, 0.2, 0.2));
    for (let i = 7; i < 16; i++) clock.addSample(exchange(100 * i, -500, 0.2, 40.2));
    expect(clock.estimate?.offsetMs).toBeCloseTo(-500, 6);
    expect(clock.estimate?.minRttMs).toBeCloseTo(0.4, 9);
  });

  it('measures the jitter as how much the slow round trips exceed the median one', () => {
    const steady = new ClockOffsetEstimator();
    for (let i = 0; i < 20; i++) steady.addSample(exchange(100 * i, 7, 3, 3));
    expect(steady.estimate?.jitterMs).toBe(0);
    // Round trips of 10, 11, … 29 ms: median 19.5, 90th percentile 28.
    const jittery = new ClockOffsetEstimator();
    for (let i = 0; i < 20; i++) jittery.addSample(exchange(100 * i, 7, 5, 5 + i));
    expect(jittery.estimate?.jitterMs).toBeCloseTo(8.5, 9);
  });

  it('takes the median of the kept midpoints, so one lucky outlier cannot move it', () => {
    const clock = new ClockOffsetEstimator({ windowSize: 8, keepFraction: 1 });
    for (const offset of [10, 10, 10, 10, 10, 10, 10, 90]) clock.addSample(exchange(0, offset, 1, 1));
    expect(clock.estimate?.offsetMs).toBe(10);
  });

  it('follows a clock that changes, because old samples leave the window', () => {
    const clock = new ClockOffsetEstimator({ windowSize: 8 });
    for (let i = 0; i < 8; i++) clock.addSample(exchange(i * 1000, 100, 1, 1));
    for (let i = 8; i < 16; i++) clock.addSample(exchange(i * 1000, 250, 1, 1));
    expect(clock.estimate?.offsetMs).toBe(250);
    expect(clock.estimate?.samples).toBe(8);
  });

  it('measures the drift of a clock that runs fast and carries the offset forward to now', () => {
    const clock = new ClockOffsetEstimator();
    const ppm = 100;
    // One ping a second for 40 s; the server clock gains 0.1 ms per second. Each leg's delay varies by 0–0.2 ms (the
    // two independently), so each midpoint is up to 0.1 ms off either way and the quickest exchanges spread over the window.
    for (let i = 0; i < 40; i++) {
      const t0 = i * 1000;
      const up = 0.5 + (i % 3) * 0.1;
      const down = 0.5 + (i % 4) * 0.1;
      clock.addSample({ t0, serverTime: 7 + (t0 + up) * (1 + ppm * 1e-6), t1: t0 + up + down });
    }
    const e = clock.estimate!;
    expect(e.driftPpm).toBeCloseTo(ppm, 0);
    // True offset at the last midpoint (≈39 000.6 ms): 7 + 3.9 ms; a plain median of the window would lag by ~1.6 ms.
    expect(Math.abs(e.offsetMs - (7 + e.atClientTime * ppm * 1e-6))).toBeLessThan(0.15);
    // Ten seconds after the last ping, the drift keeps the conversion within the same bound.
    expect(Math.abs(clock.toServerTime(49_000.5) - 49_000.5 - (7 + 49_000.5 * ppm * 1e-6))).toBeLessThan(0.15);
  });

  it('takes no drift from a busy spell: quick exchanges early, slow lopsided ones later (equal clocks)', () => {
    const clock = new ClockOffsetEstimator();
    // 12 quick pings while idle, then one every 2 s from a loaded machine (as bench:ensemble saw): round trips of
    // 9–400 ms, the quicker of them held up mostly on the way back (midpoints late, offsets a few ms negative).
    for (let i = 0; i < 12; i++) clock.addSample(exchange(10 * i, 0, 0.3 + (i % 3) * 0.1, 0.3));
    const slow: [number, number][] = [
      [2, 7],
      [3, 9],
      [4, 17],
      [1, 20],
      [150, 260],
      [30, 3],
      [12, 70],
      [40, 90],
      [3, 60],
      [80, 2],
      [200, 210],
      [25, 30],
      [60, 20],
      [100, 5],
      [35, 35],
      [45, 90],
      [20, 160],
      [110, 40],
      [50, 50],
      [70, 75],
    ];
    slow.forEach(([up, down], k) => clock.addSample(exchange(4000 + 2000 * k, 0, up, down)));
    const e = clock.estimate!;
    expect(e.driftPpm).toBe(0);
    expect(Math.abs(e.offsetMs)).toBeLessThan(0.2);
    expect(Math.abs(clock.toServerTime(50_000) - 50_000)).toBeLessThan(0.2);
  });

  it('rejects malformed and too slow samples and can be reset', () => {
    const clock = new ClockOffsetEstimator({ maxRttMs: 100 });
    expect(clock.addSample({ t0: 10, serverTime: 5, t1: 9 })).toBe(false);
    expect(clock.addSample({ t0: 0, serverTime: Number.NaN, t1: 1 })).toBe(false);
    expect(clock.addSample(exchange(0, 5, 60, 60))).toBe(false);
    expect(clock.estimate).toBeUndefined();
    expect(clock.toServerTime(42)).toBe(42);
    expect(clock.addSample(exchange(0, 5, 1, 1))).toBe(true);
    clock.reset();
    expect(clock.estimate).toBeUndefined();
    expect(() => new ClockOffsetEstimator({ keepFraction: 0 })).toThrow(RangeError);
  });
});

describe('Timeline', () => {
  it('maps time to beat and phase at the tempo, and back', () => {
    const t = Timeline.create(120, 4, 1000);
    expect(t.beatAt(1000)).toBe(0);
    expect(t.beatAt(1500)).toBe(1);
    expect(t.beatAt(3250)).toBe(4.5);
    expect(t.phaseAt(3250)).toBe(0.5);
    expect(t.phaseAt(500)).toBe(3);
    expect(t.timeAtBeat(6)).toBe(4000);
    expect(t.beatMs).toBe(500);
  });

  it('keeps the beat and phase continuous across a tempo change', () => {
    const before = Timeline.create(120, 4, 0);
    const after = before.withTempo(90, 2250); // beat 4.5 at the change
    expect(after.beatAt(2250)).toBeCloseTo(4.5, 12);
    expect(after.phaseAt(2250)).toBeCloseTo(before.phaseAt(2250), 12);
    expect(after.beatAt(2250 + 2000)).toBeCloseTo(4.5 + 3, 12); // 2 s at 90 BPM = 3 beats
    expect(before.beatAt(2250 + 2000)).toBeCloseTo(4.5 + 4, 12);
  });

  it('finds the next bar and the beats of a window', () => {
    const t = Timeline.create(120, 3, 0);
    expect(t.nextBarTime(100)).toBe(1500);
    expect(t.nextBarTime(1500)).toBe(1500);
    expect(t.beatsBetween(900, 2100)).toEqual([
      { beat: 2, time: 1000, downbeat: false },
      { beat: 3, time: 1500, downbeat: true },
      { beat: 4, time: 2000, downbeat: false },
    ]);
  });

  it('round-trips through its state and forces a beat at a time', () => {
    const t = Timeline.create(100, 4, 0).withTempo(140, 6000);
    const copy = Timeline.fromState(t.toState(10_000));
    expect(copy.beatAt(12_345)).toBeCloseTo(t.beatAt(12_345), 9);
    const forced = t.withBeatAtTime(0, 20_000);
    expect(forced.beatAt(20_000)).toBe(0);
    expect(forced.tempo).toBe(140);
  });

  it('rejects tempi outside 20–999 BPM and a bad quantum', () => {
    expect(() => Timeline.create(10)).toThrow(RangeError);
    expect(() => Timeline.create(120).withTempo(2000, 0)).toThrow(RangeError);
    expect(() => Timeline.create(120, 0)).toThrow(RangeError);
  });
});
